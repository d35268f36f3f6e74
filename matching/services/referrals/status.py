"""Moving a referral through the funnel (R-21, R-23..R-25, R-43): each change a timestamped register line.

A hire can fall through (the candidate never starts): until a placement is booked for it, the vacancy owner or
the organisation that books it withdraws the hire with a reason (`hired -> withdrawn`). Without that a hire that
will never be booked would keep the vacancy from being closed (R-25) and a partner from its duplicate.
"""

from datetime import datetime

import pghistory
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import NotificationKind
from accounts.models import Notification, User
from accounts.rules import require_staff
from accounts.services import notifications_mark_read, notify
from matching.choices import PlacementStatus, ReferralStatus, RejectionReason
from matching.models import Placement, Referral, ReferralStatusChange
from vacancies import services as vacancy_services
from vacancies.choices import HandoverReason, VacancyStatus
from vacancies.models import Vacancy
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import clean_text

from .common import _record_change, lock_vacancy
from .who_books import HIRE_NOTICE_SUFFIXES, _tell_about_the_hire, booking_plan

MSG_HIRE_REASON = gettext_lazy("Say why the hire is withdrawn (for instance: the candidate did not start).")


def _may_set_status(referral: Referral, vacancy: Vacancy, by: User, status: str) -> bool:
    """The owner moves a referral through the funnel; the candidate's own organisation may withdraw it, and so may the
    organisation that books a hire (R-23..R-25: the one left with a hire that fell through)."""
    if vacancy.owner_id == by.pk:
        return True
    if status != ReferralStatus.WITHDRAWN:
        return False
    organisations = {referral.candidate.organisation_id}
    if referral.booker_id is not None:
        organisations.add(referral.booker.organisation_id)
    return by.organisation_id in organisations


def _carried_over_twin(referral: Referral, vacancy: Vacancy) -> Referral | None:
    """R-25: a partner's hire on a 2-9 original is carried over to the partner's duplicate (a second register entry,
    hired, which the partner books). The two are one hire: the other entry of the pair, locked, or None."""
    twins = Referral.objects.select_for_update(of=("self",)).select_related("vacancy__owner", "booker")
    twins = twins.filter(candidate_id=referral.candidate_id, status=ReferralStatus.HIRED)
    if vacancy.duplicated_from_id is not None:
        return twins.filter(vacancy_id=vacancy.duplicated_from_id).first()
    return twins.filter(vacancy__duplicated_from_id=vacancy.pk).order_by("id").first()


def _refuse_hire_withdrawal(referral: Referral, twin: Referral | None, reason: str) -> None:
    """R-21, R-57: a hire is withdrawn with a reason, and only while no placement is booked for it (a booked
    placement is cancelled first, with its own reason, so the booking's figures stay reproducible)."""
    if not reason:
        raise InvalidInput(MSG_HIRE_REASON, code="reason_required", rule="R-21", fields={"reason": [MSG_HIRE_REASON]})
    ids = [referral.pk] + ([twin.pk] if twin is not None else [])
    booked = (
        Placement.objects.filter(referral_id__in=ids, status=PlacementStatus.BOOKED)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    if booked is not None:
        raise Conflict(
            _("A placement is booked for this hire: cancel the placement first, with its reason (R-57)."),
            code="hire_booked",
            rule="R-21",
            extra={"placement": booked},
        )


def _withdraw_twin(twin: Referral, *, by: User, at: datetime, reason: str) -> None:
    twin.status, twin.booker = ReferralStatus.WITHDRAWN, None
    twin.status_changed_at = max(at, twin.referred_at)
    twin.save(update_fields=["status", "status_changed_at", "booker", "updated_at"])
    _record_change(twin, from_status=ReferralStatus.HIRED, by=by, at=twin.status_changed_at, reason=reason)


def _hire_people(referral: Referral, vacancy: Vacancy, twin: Referral | None) -> list[User]:
    """Who heard of the hire: the vacancy owner(s), the booker and whoever recorded the hire (after an R-24 move the
    former owner). One query for the recorders."""
    people = [vacancy.owner, referral.booker]
    if twin is not None:
        people += [twin.vacancy.owner, twin.booker]
    ids = [referral.pk] + ([twin.pk] if twin is not None else [])
    recorders = User.objects.filter(
        pk__in=ReferralStatusChange.objects.filter(referral_id__in=ids, to_status=ReferralStatus.HIRED).values(
            "changed_by_id"
        )
    )
    return [person for person in [*people, *recorders] if person is not None]


def _tell_about_the_withdrawn_hire(
    referral: Referral, vacancy: Vacancy, people: list[User], twin: Referral | None, *, by: User
) -> None:
    """R-21, R-23..R-25: the other advisers of the hire hear that it was withdrawn (a notice and an e-mail), and its
    notices to book are marked read. R-40: the e-mail names the candidate by number, and the reason (free text
    about the candidate) stays in the referral register."""
    names = {
        "candidate": referral.candidate_id,
        "vacancy": vacancy.title,
        "employer": vacancy.employer.name,
        "by": by.full_name,
        "organisation": by.organisation.name,
    }
    others = [person for person in people if person.pk != by.pk]
    notify(
        users=others,
        kind=NotificationKind.OTHER,
        key=f"referral:{referral.pk}:withdrawn",
        title=_("Hire of candidate %(candidate)s on %(vacancy)s withdrawn") % names,
        body=_(
            "%(by)s (%(organisation)s) withdrew the hire at %(employer)s before a placement was booked: nothing is to "
            "be booked for it. The reason is in the referral register of the vacancy (R-21)."
        )
        % names,
        url=reverse("vacancy-detail", args=[vacancy.pk]),
        email=True,
    )
    # The notices about booking this hire have had their day: marked read, for whoever has them.
    pks = {referral.pk} | ({twin.pk} if twin is not None else set())
    keys = [f"referral:{pk}{suffix}" for pk in pks for suffix in HIRE_NOTICE_SUFFIXES]
    stale = Notification.objects.filter(key__in=keys, read_at=None).values_list("user_id", "pk")
    for user_id, ids in _by_user(stale).items():
        notifications_mark_read(user=User(pk=user_id), ids=ids)


def _by_user(rows) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for user_id, pk in rows:
        grouped.setdefault(user_id, []).append(pk)
    return grouped


@transaction.atomic
def referral_set_status(
    *,
    referral: Referral,
    by: User,
    status: str,
    reason: str = "",
    rejection_reason: str = "",
    now: datetime | None = None,
) -> Referral:
    """Move a referral to its next stage; each change is a timestamped register line (R-21, R-43).

    Rejected needs a rejection reason (the funnel analysis asks why). A hire decides at once who books the
    placement (`booking_plan`, R-23..R-25) and records it on the referral (`booker`). R-24: when a chain partner's
    candidate is hired on a single-position vacancy, the vacancy's ownership moves to the partner
    (`partner_adviser`: the candidate's adviser, or another active adviser of the partner), who books the placement
    (a `VacancyHandover` with reason "partner_hired"); a partner without an active adviser cannot take it over, so
    the hire is refused. The vacancy owner and the booker are told (`accounts.services.notify`).

    A hire that fell through is withdrawn (`hired -> withdrawn`) by the vacancy owner or the organisation that books
    it, with a reason, while no placement is booked for it (cancel that first); a hire carried over to a partner's
    duplicate (R-25) is one hire with its original entry, so both entries are withdrawn together. The register keeps
    the hire and its withdrawal as two timestamped lines, so the funnel counts it as hired and never as booked
    (R-43); the other advisers of the hire are told.
    """
    now = now or timezone.now()
    require_staff(by)
    vacancy = lock_vacancy(referral.vacancy_id)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("candidate__adviser__organisation", "candidate__organisation", "booker__organisation")
        .get(pk=referral.pk)
    )
    if status not in ReferralStatus.values:
        raise InvalidInput(_("Unknown status."), code="invalid", fields={"status": [_("Choose a valid status.")]})
    if not _may_set_status(referral, vacancy, by, status):
        raise RuleRefused(
            _("Only the owner of the vacancy changes the status of a referral (R-17)."),
            code="not_vacancy_owner",
            rule="R-17",
        )
    if status not in ReferralStatus.transitions()[referral.status]:
        raise Conflict(
            _("A referral with status %(from)s cannot become %(to)s.")
            % {"from": ReferralStatus(referral.status).label, "to": ReferralStatus(status).label},
            code="status_transition_not_allowed",
            extra={"status": referral.status},
        )
    if status == ReferralStatus.REJECTED and rejection_reason not in RejectionReason.values:
        raise InvalidInput(
            _("Say why the employer rejected the candidate."),
            code="rejection_reason_required",
            rule="R-43",
            fields={"rejection_reason": [_("Choose a reason.")]},
        )
    if status != ReferralStatus.REJECTED and rejection_reason:
        raise InvalidInput(
            _("A reason for rejection belongs to a rejected referral only."),
            fields={"rejection_reason": [_("Leave this empty unless the candidate was rejected.")]},
        )
    if status == ReferralStatus.HIRED:
        if vacancy.status == VacancyStatus.EXPIRED:
            raise RuleRefused(
                _("This vacancy has expired; reactivate it first (R-20)."),
                code="vacancy_expired_reactivate_first",
                rule="R-20",
            )
        if vacancy.status != VacancyStatus.OPEN:
            raise Conflict(_("This vacancy is no longer open."), code="vacancy_not_open", rule="R-20")

    reason = clean_text(reason)
    hire_withdrawn = referral.status == ReferralStatus.HIRED and status == ReferralStatus.WITHDRAWN
    twin = people = None
    if hire_withdrawn:
        twin = _carried_over_twin(referral, vacancy)
        _refuse_hire_withdrawal(referral, twin, reason)
        people = _hire_people(referral, vacancy, twin)

    # R-23..R-25: who books is decided now, and refused here, before anything is written, when nobody could.
    plan = booking_plan(vacancy, referral.candidate) if status == ReferralStatus.HIRED else None
    owner = vacancy.owner

    previous = referral.status
    referral.status = status
    referral.status_changed_at = max(now, referral.referred_at)
    referral.rejection_reason = rejection_reason if status == ReferralStatus.REJECTED else ""
    referral.booker = plan.booker if plan else None
    with pghistory.context(user=by.pk):
        referral.save(update_fields=["status", "status_changed_at", "rejection_reason", "booker", "updated_at"])
        _record_change(referral, from_status=previous, by=by, at=referral.status_changed_at, reason=reason)
        if twin is not None:
            _withdraw_twin(twin, by=by, at=referral.status_changed_at, reason=reason)
        if plan is not None and plan.hands_over:
            # the partner whose candidate was hired takes the vacancy over and books the placement.
            vacancy_services.vacancy_hand_over(
                vacancy=vacancy,
                by=by,
                to_user=plan.booker,
                reason=HandoverReason.PARTNER_HIRED,
                enforce_owner=False,
                note=_("Candidate %(id)s of a chain partner hired (R-24).") % {"id": referral.candidate_id},
            )
    if plan is not None:
        _tell_about_the_hire(referral, vacancy, plan, owner=owner, by=by)
    if hire_withdrawn:
        _tell_about_the_withdrawn_hire(referral, vacancy, people, twin, by=by)
    return referral
