"""Closing a vacancy of 2 to 9 positions with its placements, and the chain partners' duplicates (R-25)."""

from datetime import datetime

import pghistory
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind, OrganisationKind, Role
from accounts.models import User
from accounts.rules import require_staff
from accounts.services import notify
from matching.choices import PlacementStatus, ReferralStatus
from matching.models import Referral, ReferralStatusChange
from vacancies import services as vacancy_services
from vacancies.choices import CloseReason, VacancyStatus
from vacancies.models import Vacancy
from wsp.errors import Conflict, RuleRefused

from ..referrals import is_two_to_nine_original, lock_vacancy, partner_adviser

# --- Closing a 2-9 vacancy (R-25) --------------------------------------------------------------------------------


@transaction.atomic
def vacancy_close_with_placements(*, vacancy: Vacancy, by: User, now: datetime | None = None) -> list[Vacancy]:
    """R-25: the owner of a vacancy of 2 to 9 positions books its own candidates first and closes the vacancy with
    outcome "placement". Each chain partner organisation with hired, unbooked candidates then gets one duplicate of
    the vacancy under the same employer (vacancies.services.vacancy_duplicate), owned by the adviser decided at the
    first hire to book them (`Referral.booker`, or when that is no active adviser of the partner any more,
    `partner_adviser`; none at all refuses the close), with its hired candidates referred again (register lines
    proposed -> hired), so the partner only has to book there; the partner's adviser is told (a notice and an
    e-mail) and finds it under "Plaatsing boeken" on the home page.

    No dead ends: the close is refused while the owner's own hired candidates on the open vacancy are not booked yet
    (they could not be booked on a closed vacancy), and it needs reciprocity (R-22): a booked placement, or a
    partner's hire to carry over (a vacancy filled only by partners' candidates). A vacancy already filled by the
    owner's bookings while partners' hires are still unbooked can be passed too: it stays filled and only the
    duplicates are made. A co-production (R-19, 10 or more) is closed without duplicates: its partners book on their
    own vacancies under it. Returns the duplicates made.
    """
    now = now or timezone.now()
    require_staff(by)
    vacancy = lock_vacancy(vacancy.pk)
    if vacancy.owner_id != by.pk:
        raise RuleRefused(_("Only the owner of the vacancy closes it."), code="not_vacancy_owner", rule="R-25")
    if vacancy.status == VacancyStatus.EXPIRED:
        raise RuleRefused(
            _("This vacancy has expired; reactivate it first (R-20)."),
            code="vacancy_expired_reactivate_first",
            rule="R-20",
        )
    pending = _partner_hires_to_carry_over(vacancy) if is_two_to_nine_original(vacancy) else []
    if not pending and not vacancy.placements.filter(status=PlacementStatus.BOOKED).exists():
        raise RuleRefused(
            _("A vacancy is closed with outcome placement only after a placement was booked on it (R-22)."),
            code="placement_outcome_needs_booking",
            rule="R-22",
        )
    if vacancy.status == VacancyStatus.CLOSED or (vacancy.status == VacancyStatus.FILLED and not pending):
        raise Conflict(_("This vacancy is no longer open."), code="vacancy_not_open", rule="R-25")
    if vacancy.status == VacancyStatus.OPEN:
        unbooked_own = list(
            vacancy.referrals.filter(status=ReferralStatus.HIRED, candidate__organisation_id=vacancy.organisation_id)
            .exclude(placements__status=PlacementStatus.BOOKED)
            .order_by("id")
            .values_list("candidate_id", flat=True)
        )
        if unbooked_own:
            raise RuleRefused(
                _(
                    "Book your own hired candidates first (%(candidates)s): once the vacancy is closed they cannot "
                    "be booked on it (R-25)."
                )
                % {"candidates": ", ".join(f"#{pk}" for pk in unbooked_own)},
                code="own_hires_unbooked",
                rule="R-25",
                extra={"candidates": unbooked_own},
            )

    per_partner: dict[int, list[Referral]] = {}
    for referral in pending:
        per_partner.setdefault(referral.candidate.organisation_id, []).append(referral)
    # Each duplicate's owner is chosen before anything is written: a partner without an active adviser refuses the
    # whole close.
    owners = [(_duplicate_owner(referrals[0]), referrals) for referrals in per_partner.values()]

    duplicates: list[Vacancy] = []
    carried: list[tuple[Referral, Vacancy]] = []
    with pghistory.context(user=by.pk, action="close_with_placements"):
        if vacancy.status == VacancyStatus.OPEN:
            # Closed first: a vacancy is duplicated for the partners only once its owner has closed it.
            vacancy.status, vacancy.close_reason, vacancy.closed_at = VacancyStatus.CLOSED, CloseReason.PLACEMENT, now
            vacancy.save(update_fields=["status", "close_reason", "closed_at", "updated_at"])
        for adviser, referrals in owners:
            duplicate = vacancy_services.vacancy_duplicate(
                vacancy=vacancy, by=by, owner=adviser, requested_positions=len(referrals), now=now
            )
            for original in referrals:
                carried.append((_carry_over(original, duplicate=duplicate, owner=adviser, by=by, now=now), duplicate))
            # The originals now point at the one adviser who books them, on the duplicate.
            Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(booker=adviser, updated_at=now)
            duplicates.append(duplicate)
    for referral, duplicate in carried:
        _tell_duplicate_owner(referral, duplicate, original=vacancy, by=by)
    return duplicates


def _duplicate_owner(referral: Referral) -> User:
    """R-25: the adviser decided at the hire books on the duplicate, while they are an active adviser of the
    candidate's organisation; otherwise the partner's adviser as R-24 finds one (or the close is refused)."""
    booker = referral.booker
    if (
        booker is not None
        and booker.is_active
        and booker.role == Role.ADVISER
        and booker.organisation_id == referral.candidate.organisation_id
    ):
        return booker
    return partner_adviser(referral.candidate)


def _tell_duplicate_owner(referral: Referral, duplicate: Vacancy, *, original: Vacancy, by: User) -> None:
    """R-25: the partner's adviser hears that the duplicate is ready. R-40: the notice is e-mailed, so it names the
    candidate by number only; the booking page behind the link shows the name to those who may see it."""
    names = {
        "candidate": referral.candidate_id,
        "vacancy": original.title,
        "owner": by.full_name,
    }
    notify(
        users=[referral.booker],
        kind=NotificationKind.PLACEMENT_TO_BOOK,
        key=f"referral:{referral.pk}",
        title=_("%(owner)s closed %(vacancy)s: book the placement of candidate %(candidate)s on your duplicate")
        % names,
        body=_(
            "Candidate %(candidate)s was hired on %(vacancy)s. The owner has booked its own candidates and closed the "
            "vacancy; your organisation's duplicate of it is ready to book the placement on (R-25)."
        )
        % names,
        url=reverse("placement-book", args=[referral.pk]),
        email=referral.booker_id != by.pk,
    )


def _partner_hires_to_carry_over(vacancy: Vacancy) -> list[Referral]:
    """Hired, unbooked referrals of other organisations' candidates not yet carried over to a duplicate."""
    return list(
        vacancy.referrals.filter(status=ReferralStatus.HIRED)
        .exclude(candidate__organisation_id=vacancy.organisation_id)
        .exclude(placements__status=PlacementStatus.BOOKED)
        .exclude(candidate__referrals__vacancy__duplicated_from=vacancy)
        .select_related("candidate__adviser__organisation", "booker")
        .order_by("id")
    )


def _carry_over(original: Referral, *, duplicate: Vacancy, owner: User, by: User, now: datetime) -> Referral:
    """R-25: the partner refers its hired candidate again on its duplicate; the register shows where it came from.
    The duplicate's owner books it."""
    referral = Referral(
        vacancy=duplicate,
        candidate=original.candidate,
        referred_by=owner,
        organisation_id=owner.organisation_id,
        referred_at=now,
        status=ReferralStatus.HIRED,
        status_changed_at=now,
        # PAWA is for UWV staff only, so it goes along only when the new referrer is UWV.
        pawa=original.pawa and owner.organisation.kind == OrganisationKind.UWV,
        note=original.note,
        booker=owner,
    )
    referral.save()
    reason = _("Hired on vacancy %(vacancy)s (referral %(referral)s); carried over to the partner's duplicate (R-25).")
    reason %= {"vacancy": original.vacancy_id, "referral": original.pk}
    ReferralStatusChange.objects.bulk_create(
        [
            ReferralStatusChange(
                referral=referral,
                from_status="",
                to_status=ReferralStatus.PROPOSED,
                changed_by=by,
                changed_at=now,
                reason=reason,
            ),
            ReferralStatusChange(
                referral=referral,
                from_status=ReferralStatus.PROPOSED,
                to_status=ReferralStatus.HIRED,
                changed_by=by,
                changed_at=now,
                reason=reason,
            ),
        ]
    )
    return referral
