"""Corrections and cancellations of placements, never a delete (R-22, R-30, R-33, R-57)."""

from datetime import date, datetime, timedelta

import pghistory
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import require_staff
from matching.choices import CandidateStatus, PlacementStatus
from matching.models import Candidate, Placement
from vacancies.choices import CloseReason, VacancyStatus
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused
from wsp.inputs import clean_text

from ..referrals import lock_vacancy
from .booking import (
    _hours,
    _instruments,
    _refuse_double_booking,
    _refuse_short_without_conditions,
    _refuse_start_outside,
    _validate,
    start_window,
)
from .durability import _derive

# What a correction may change; the rest is copied at booking so a reported figure stays reproducible.
# `job_agreement` is not among them: it is derived from the candidate's job-agreement register entry.
CORRECTABLE_FIELDS = (
    "start_date", "end_date", "hours_per_week", "placement_type", "instruments_advised", "instruments_applied",
    "conditions",
)  # fmt: skip

# --- Corrections and cancellations (never a delete) --------------------------------------------------------------


def _lock_placement(placement_id: int) -> Placement:
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("organisation", "vacancy", "referral", "candidate")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise NotVisible(_("Placement not found."))
    return placement


def _require_booking_organisation(placement: Placement, by: User) -> None:
    require_staff(by)
    if placement.organisation_id != by.organisation_id:
        raise RuleRefused(
            _("Only staff of the organisation that booked the placement change it (R-23)."),
            code="not_booking_organisation",
            rule="R-23",
        )


def _require_booked(placement: Placement) -> None:
    if placement.status != PlacementStatus.BOOKED:
        raise Conflict(_("This placement has been cancelled."), code="placement_cancelled")


def _require_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(
            _("Give the reason for this change."), code="reason_required", fields={"reason": [_("Required.")]}
        )
    return reason


def _apply(placement: Placement, fields: dict, *, today: date, conditions_needed: bool = True) -> None:
    """Set corrected values on a locked placement and check them as at booking: no start outside the start window
    (R-22, R-57; only when the start moves), no end before the start, instruments from the list (R-33), conditions
    for a short placement (R-30). The derived values follow (durability date and state, R-30; the first aftercare
    date while there was no aftercare yet, R-32)."""
    if "hours_per_week" in fields:
        fields["hours_per_week"] = _hours(fields["hours_per_week"])
    for name in ("instruments_advised", "instruments_applied"):
        if name in fields:
            fields[name] = _instruments(fields[name], field=name)
    if "conditions" in fields:
        fields["conditions"] = clean_text(fields["conditions"])
    if "start_date" in fields and fields["start_date"] != placement.start_date:
        window = start_window(vacancy=placement.vacancy, referral=placement.referral, today=today)
        _refuse_start_outside(window, fields["start_date"])
    for name, value in fields.items():
        setattr(placement, name, value)
    _derive(placement, organisation_kind=placement.organisation.kind, today=today)
    if placement.aftercare_ended_at is None and not placement.aftercare_contacts.exists():
        placement.next_aftercare_on = placement.start_date + timedelta(days=settings.WSP["AFTERCARE_INTERVAL_DAYS"])
    _validate(placement)
    if conditions_needed:
        _refuse_short_without_conditions(placement)


@transaction.atomic
def placement_correct(
    *, placement: Placement, by: User, reason: str, now: datetime | None = None, **fields
) -> Placement:
    """Correct a booked placement with a reason (R-57: a date that decides a figure is never moved without one); the
    same rules as at booking hold (`_apply`: R-22, R-30, R-33, R-57) and the derived values follow the corrected
    data. The old values stay in `PlacementEvent`, the reason in its context (shown on the placement page)."""
    now = now or timezone.now()
    placement = _lock_placement(placement.pk)
    _require_booking_organisation(placement, by)
    _require_booked(placement)
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be corrected."), fields={name: [_("Cannot be corrected.")] for name in unknown}
        )
    reason = _require_reason(reason)
    if not fields:
        raise InvalidInput(_("Nothing to correct."), code="nothing_to_correct")
    _apply(placement, dict(fields), today=timezone.localdate(now))
    placement.correction_reason = reason
    if "start_date" in fields or "end_date" in fields:
        _refuse_double_booking(
            placement.candidate, start_date=placement.start_date, end_date=placement.end_date, exclude=placement.pk
        )
    with pghistory.context(user=by.pk, action="correct_placement", reason=reason):
        placement.save()
    placement.refresh_from_db(fields=["job_agreement_jobs"])  # computed by the database
    return placement


@transaction.atomic
def placement_cancel(*, placement: Placement, by: User, reason: str, now: datetime | None = None) -> Placement:
    """Cancel a booked placement with a reason; it is never deleted and stops counting (R-50, R-57).

    The position it filled is given back: a vacancy filled by placements opens again (or expires when its date has
    passed), its registered positions fall back to the placements still booked (R-20, at least 1), and the
    candidate is available again unless booked elsewhere. A vacancy closed with outcome "placement" that has no
    booked placement left opens again (or expires) too: without a booking that outcome has no ground (R-22).
    """
    now = now or timezone.now()
    vacancy = lock_vacancy(Placement.objects.filter(pk=placement.pk).values_list("vacancy_id", flat=True).first() or 0)
    placement = _lock_placement(placement.pk)
    _require_booking_organisation(placement, by)
    if placement.status == PlacementStatus.CANCELLED:
        raise Conflict(_("This placement has already been cancelled."), code="already_cancelled")
    reason = _require_reason(reason)

    placement.status, placement.cancelled_at, placement.cancelled_by = PlacementStatus.CANCELLED, now, by
    placement.cancel_reason = reason
    with pghistory.context(user=by.pk, action="cancel_placement", reason=reason):
        placement.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
        still_booked = vacancy.placements.filter(status=PlacementStatus.BOOKED).count()
        vacancy.positions = min(vacancy.positions, max(1, still_booked))
        changed = ["positions", "updated_at"]
        # A vacancy whose partners book on their duplicates keeps its outcome: the hires carried over to them
        # are its placements too.
        outcome_without_booking = (
            vacancy.status == VacancyStatus.CLOSED
            and vacancy.close_reason == CloseReason.PLACEMENT
            and not still_booked
            and not vacancy.duplicates.exists()
        )
        if vacancy.status == VacancyStatus.FILLED or outcome_without_booking:
            expired = vacancy.expires_on < timezone.localdate(now)
            vacancy.status = VacancyStatus.EXPIRED if expired else VacancyStatus.OPEN
            vacancy.close_reason, vacancy.closed_at = "", None
            changed += ["status", "close_reason", "closed_at"]
        vacancy.save(update_fields=changed)
        Candidate.objects.filter(pk=placement.candidate_id, status=CandidateStatus.PLACED).exclude(
            placements__status=PlacementStatus.BOOKED
        ).update(status=CandidateStatus.AVAILABLE, updated_at=now)
    return placement
