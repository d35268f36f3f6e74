"""A vacancy moves to another adviser: offered to and taken by a chain partner, handed over (R-13), moved by the
system to the partner whose candidate was hired (R-24)."""

from datetime import datetime

import pghistory
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import NotificationKind, Role
from accounts.models import User
from accounts.rules import require_staff
from accounts.services import notify
from employers.choices import AccountHolderVia
from employers.models import AccountHolder, Employer
from employers.services import employer_ownership_move_agreed
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import clean_text

from ..choices import HandoverReason, VacancyStatus, Visibility
from ..models import Vacancy, VacancyHandover
from .shared import MSG_NOT_A_CHAIN_PARTNER, MSG_NOT_OPEN, _lock, _owner_from_input, _require_owner

# --- Offering a vacancy to the chain partners (R-13) -------------------------------------------------------------

MSG_OFFER_BLOCKED = gettext_lazy("A blocked vacancy takes no referrals; unblock it before offering it (R-16).")


def _require_open_for_partners(vacancy: Vacancy) -> None:
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-13")
    if vacancy.visibility == Visibility.BLOCKED:
        raise RuleRefused(MSG_OFFER_BLOCKED, code="vacancy_blocked", rule="R-16")


@transaction.atomic
def vacancy_offer_to_partners(
    *, vacancy: Vacancy | int, by: User, note: str = "", now: datetime | None = None
) -> Vacancy:
    """R-13: the owner marks the vacancy as not fillable from the own organisation's target groups ("at once": it
    then shows on the home page of every adviser of the other partner organisations, see
    `selectors.vacancies_offered_to_partners`), with an optional note for them. One of them takes it
    (`vacancy_take_from_partner`); the owner may withdraw the offer or still hand the vacancy over directly.
    Only an open, unblocked vacancy (R-16: a blocked one takes no referrals); 409 `already_offered` when it is."""
    now = now or timezone.now()
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by, rule="R-13")
    _require_open_for_partners(vacancy)
    if vacancy.partner_offer_at is not None:
        raise Conflict(_("This vacancy is already offered to the chain partners."), code="already_offered", rule="R-13")
    vacancy.partner_offer_at, vacancy.partner_offer_note = now, clean_text(note)
    with pghistory.context(user=by.pk, action="offer_to_partners"):
        vacancy.save(update_fields=["partner_offer_at", "partner_offer_note", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_withdraw_partner_offer(*, vacancy: Vacancy | int, by: User) -> Vacancy:
    """R-13: the owner takes the offer back (the vacancy turned out fillable after all); 409 `not_offered`."""
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by, rule="R-13")
    if vacancy.partner_offer_at is None:
        raise Conflict(_("This vacancy is not offered to the chain partners."), code="not_offered", rule="R-13")
    vacancy.partner_offer_at, vacancy.partner_offer_note = None, ""
    with pghistory.context(user=by.pk, action="withdraw_partner_offer"):
        vacancy.save(update_fields=["partner_offer_at", "partner_offer_note", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_take_from_partner(
    *, vacancy: Vacancy | int, by: User, note: str = "", now: datetime | None = None
) -> Vacancy:
    """R-13: an adviser of a chain partner takes a vacancy its owner offered: they become its owner (the vacancy's
    organisation moves along) and account holder of the employer (the R-13 exception to R-04's admission request);
    a `VacancyHandover` with reason `chain_partner`, handed over by the partner, records it. By default only the
    vacancy moves: the employer's main account holder stays. The offer ends and the former owner is notified.

    Refused, with the data unchanged: not an active adviser (403 `not_an_adviser`), the vacancy not open (403
    `vacancy_not_open`) or blocked (403 `vacancy_blocked`, R-16), not offered (409 `not_offered`) or already taken
    by another partner (409 `already_taken`), an adviser of the owner's own organisation (403 `own_organisation`).
    """
    if getattr(by, "role", None) != Role.ADVISER or not by.is_active:
        raise RuleRefused(
            _("Only an adviser of a chain partner takes a vacancy (R-13)."), code="not_an_adviser", rule="R-13"
        )
    vacancy = _lock(vacancy)
    _require_open_for_partners(vacancy)
    if vacancy.partner_offer_at is None:
        taken = (
            VacancyHandover.objects.filter(vacancy=vacancy, reason=HandoverReason.CHAIN_PARTNER)
            .filter(handed_over_by=F("to_user"))
            .select_related("to_user")
            .first()
        )
        if taken is not None:
            raise Conflict(
                _("%(name)s already took this vacancy.") % {"name": taken.to_user.full_name},
                code="already_taken",
                rule="R-13",
                extra={"taken_by": taken.to_user_id},
            )
        raise Conflict(_("This vacancy is not offered to the chain partners."), code="not_offered", rule="R-13")
    if by.organisation_id == vacancy.organisation_id:
        raise RuleRefused(
            _("This vacancy is of your own organisation; a colleague takes it over through a handover (R-13)."),
            code="own_organisation",
            rule="R-13",
        )
    employer = Employer.objects.select_for_update().get(pk=vacancy.employer_id)
    former_owner = vacancy.owner
    with pghistory.context(user=by.pk, action="take_from_partner"):
        handover = _move_vacancy(
            vacancy, employer, to_user=by, by=by, reason=HandoverReason.CHAIN_PARTNER, note=note, move_employer=False
        )
    notify(
        users=[former_owner],
        kind=NotificationKind.VACANCY_HANDED_OVER,
        key=f"vacancy:{vacancy.pk}:taken:{handover.pk}",
        title=_("%(name)s (%(organisation)s) took over your vacancy %(title)s")
        % {"name": by.full_name, "organisation": by.organisation.name, "title": vacancy.title},
        body=_("You offered it to the chain partners because your own target groups could not fill it (R-13).")
        + (f" {handover.note}" if handover.note else ""),
        url=reverse("vacancy-detail", args=[vacancy.pk]),
        email=True,
    )
    return vacancy


# --- Handover to a chain partner (R-13, R-24) -----------------------------------------------------------------


def _add_account_holder(employer: Employer, user: User) -> None:
    if employer.main_account_holder_id != user.pk:
        AccountHolder.objects.get_or_create(employer=employer, user=user, defaults={"via": AccountHolderVia.HANDOVER})


MSG_EMPLOYER_MOVE_BY_HOLDER = gettext_lazy(
    "Only the employer's main account holder can agree that the employer moves along with the vacancy (R-03, R-13). "
    "Hand over only the vacancy; taking over the employer without consultation is possible after 12 months without "
    "contact (R-05)."
)
MSG_EMPLOYER_MOVE_NOT_BY_TAKEOVER = gettext_lazy(
    "A colleague's takeover moves the vacancy only; the employer's ownership moves by agreement with a chain partner "
    "(R-13) or by a takeover after 12 months without contact (R-05)."
)


def _check_employer_move(employer: Employer, *, by: User, reason: str) -> None:
    """R-03/R-05/R-13: the employer's ownership moves along with a vacancy only when its main account holder agrees
    (the caller is that main account holder) and only to a chain partner; never by a colleague's takeover."""
    if reason == HandoverReason.TAKEOVER:
        raise RuleRefused(
            MSG_EMPLOYER_MOVE_NOT_BY_TAKEOVER,
            code="employer_move_not_by_takeover",
            rule="R-13",
            fields={"move_employer": [MSG_EMPLOYER_MOVE_NOT_BY_TAKEOVER]},
        )
    if employer.main_account_holder_id != getattr(by, "pk", None):
        raise RuleRefused(
            MSG_EMPLOYER_MOVE_BY_HOLDER,
            code="employer_move_needs_main_account_holder",
            rule="R-13",
            fields={"move_employer": [MSG_EMPLOYER_MOVE_BY_HOLDER]},
        )


@transaction.atomic
def vacancy_hand_over(
    *,
    vacancy: Vacancy | int,
    by: User,
    to_user: User | int,
    move_employer: bool = False,
    note: str = "",
    reason: str = HandoverReason.CHAIN_PARTNER,
    enforce_owner: bool = True,
) -> Vacancy:
    """Move the vacancy to another adviser.

    R-13: a vacancy the owner cannot fill from its own target groups goes to a chain partner (an adviser of another
    organisation), who becomes account holder of the employer and owner of the vacancy; the vacancy's organisation
    moves along. Only the vacancy moves unless moving the employer was agreed (`move_employer`): then the partner
    becomes main account holder and the old main account holder stays account holder. Only the employer's main
    account holder can agree to that (R-03; otherwise 403 `employer_move_needs_main_account_holder`, R-05 being the
    only way to take an employer over without consultation), and never with a colleague's takeover.
    R-24: the matching app moves a 1-position vacancy to the partner whose candidate was hired
    (reason `partner_hired`, `enforce_owner=False`: the system does it, not the owner).
    A colleague of the same organisation takes a vacancy over with reason `takeover`.
    """
    if enforce_owner:
        require_staff(by)
    if reason not in HandoverReason.values:
        message = _("Choose a reason for the handover.")
        raise InvalidInput(message, fields={"reason": [message]})
    vacancy = _lock(vacancy)
    if enforce_owner:
        _require_owner(vacancy, by, rule="R-13")
    to_user = _owner_from_input(to_user, field="to_user")
    if to_user.pk == vacancy.owner_id:
        raise Conflict(_("This adviser already owns the vacancy."), code="already_owner", rule="R-13")
    same_organisation = to_user.organisation_id == vacancy.organisation_id
    if reason == HandoverReason.TAKEOVER and not same_organisation:
        message = _("A takeover is by a colleague of the same organisation; hand over to a chain partner instead.")
        raise RuleRefused(message, code="not_a_colleague", rule="R-13", fields={"to_user": [message]})
    if reason != HandoverReason.TAKEOVER and same_organisation:
        raise RuleRefused(
            MSG_NOT_A_CHAIN_PARTNER,
            code="not_a_chain_partner",
            rule="R-13",
            fields={"to_user": [MSG_NOT_A_CHAIN_PARTNER]},
        )
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-13")

    employer = Employer.objects.select_for_update().get(pk=vacancy.employer_id)
    if move_employer:
        _check_employer_move(employer, by=by, reason=reason)
    with pghistory.context(user=by.pk, action="hand_over"):
        handover = _move_vacancy(
            vacancy, employer, to_user=to_user, by=by, reason=reason, note=note, move_employer=move_employer
        )
    if enforce_owner:
        # The owner's own handover: the new owner hears of it (the system's R-24 move is announced by matching).
        notify(
            users=[to_user],
            kind=NotificationKind.VACANCY_HANDED_OVER,
            key=f"vacancy:{vacancy.pk}:handover:{handover.pk}",
            title=_("%(name)s handed the vacancy %(title)s to you")
            % {"name": getattr(by, "full_name", ""), "title": vacancy.title},
            body=handover.note,
            url=reverse("vacancy-detail", args=[vacancy.pk]),
            email=True,
        )
    return vacancy


def _move_vacancy(
    vacancy: Vacancy, employer: Employer, *, to_user: User, by: User, reason: str, note: str, move_employer: bool
) -> VacancyHandover:
    """Move the vacancy to `to_user` (R-13, R-24): owner and organisation, the new owner as account holder of the
    employer (or as main account holder when moving the employer was agreed), any offer to the chain partners
    ended, and the handover recorded. The caller holds the locks and the named pghistory action."""
    from_user_id, from_organisation_id = vacancy.owner_id, vacancy.organisation_id
    # the agreed move of the employer is the one of employers.services (R-05 clock, R-10 requests follow).
    employer_moved = employer_ownership_move_agreed(employer, to_user) if move_employer else False
    if not employer_moved:
        _add_account_holder(employer, to_user)
    vacancy.owner, vacancy.organisation_id = to_user, to_user.organisation_id
    vacancy.partner_offer_at, vacancy.partner_offer_note = None, ""
    vacancy.save(update_fields=["owner", "organisation", "partner_offer_at", "partner_offer_note", "updated_at"])
    return VacancyHandover.objects.create(
        vacancy=vacancy,
        from_user_id=from_user_id,
        to_user=to_user,
        from_organisation_id=from_organisation_id,
        to_organisation_id=to_user.organisation_id,
        reason=reason,
        employer_moved=employer_moved,
        note=clean_text(note),
        handed_over_by=by,
    )
