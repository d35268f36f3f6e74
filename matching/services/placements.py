"""Writes for placements: booking (R-20, R-22..R-25), closing a 2-9 vacancy with its duplicates (R-25), corrections
and cancellations (never a delete), aftercare (R-32) and the daily durability check (R-30, R-31).

Each service runs in one transaction, locks the vacancy row before the placement or referral rows, and checks
before it writes: a refusal leaves the data as it was.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import OrganisationKind
from accounts.models import User
from matching.choices import CandidateStatus, PlacementStatus, ReferralStatus, TargetGroup
from matching.models import AftercareContact, Candidate, Placement, Referral, ReferralStatusChange
from vacancies import services as vacancy_services
from vacancies.choices import CloseReason, VacancyStatus
from vacancies.models import Vacancy
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused

from .referrals import full_clean, lock_vacancy, partner_adviser, require_staff

# What a correction may change; the rest is copied at booking so a reported figure stays reproducible.
# `job_agreement` is not among them: it is derived from the candidate's job-agreement register entry.
CORRECTABLE_FIELDS = ("start_date", "end_date", "hours_per_week", "placement_type")
# Set by the services themselves; full_clean skips the relations, which are checked above it.
RELATIONS = ["vacancy", "candidate", "referral", "employer", "booked_by", "organisation", "sector", "cancelled_by"]


# --- Derived values (R-30, R-32) ---------------------------------------------------------------------------------


def durable_after_for(start_date: date, organisation_kind: str) -> date:
    """R-30: municipal partners count a placement as durable after more than 3 months, UWV after more than 6."""
    return start_date + relativedelta(months=settings.WSP["DURABLE_AFTER_MONTHS"][organisation_kind])


def durability_on(*, hours_per_week: Decimal, end_date: date | None, durable_after: date, today: date) -> bool | None:
    """R-30: whether a placement is durable on `today`; None while that is not known yet.

    Never durable under DURABLE_MIN_HOURS a week, nor when it ends on or before `durable_after`; durable once
    `today` is past `durable_after` and it has not ended by then.
    """
    if hours_per_week < settings.WSP["DURABLE_MIN_HOURS"]:
        return False
    if end_date is not None and end_date <= durable_after:
        return False
    if today > durable_after:
        return True
    return None


def _derive(placement: Placement, *, organisation_kind: str, today: date) -> None:
    placement.durable_after = durable_after_for(placement.start_date, organisation_kind)
    placement.is_durable = durability_on(
        hours_per_week=placement.hours_per_week,
        end_date=placement.end_date,
        durable_after=placement.durable_after,
        today=today,
    )
    placement.durability_checked_on = today if placement.is_durable is not None else None


def _hours(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(
            _("Enter the hours per week as a number."), fields={"hours_per_week": [_("Enter a number.")]}
        ) from exc


# --- Booking (R-20, R-22..R-25) ----------------------------------------------------------------------------------


def _refuse_not_owner(vacancy: Vacancy, candidate: Candidate, by: User) -> None:
    """R-24: after a partner's hire on a single position the partner owns (and books) the vacancy. R-25: on 2 to 9
    positions a partner books its hired candidates on its own duplicate of the vacancy, never on the original."""
    if vacancy.requested_positions > 1 and candidate.organisation_id == by.organisation_id:
        duplicate = vacancy.duplicates.filter(Q(referrals__candidate=candidate) | Q(owner=by)).order_by("-id").first()
        raise RuleRefused(
            _(
                "The owner books its own candidates on this vacancy and closes it; your hired candidates are booked "
                "on your duplicate of the vacancy (R-25)."
            ),
            code="book_on_duplicate",
            rule="R-25",
            extra={"duplicate": duplicate.pk if duplicate else None},
        )
    raise RuleRefused(
        _("Only the owner of the vacancy books its placements."),
        code="not_vacancy_owner",
        rule="R-24" if vacancy.requested_positions == 1 else "R-25",
    )


def _refuse_partner_candidate_on_the_original(vacancy: Vacancy, candidate: Candidate) -> None:
    """R-25 (and R-23): on a vacancy of more than one position the owner books only its own organisation's
    candidates; a chain partner's hired candidate is booked by the partner on its duplicate (R-25) or on its own
    vacancy under the co-production (R-19). A duplicate or a co-production partner's vacancy holds only the
    partner's own candidates, so it is not limited here."""
    if (
        vacancy.requested_positions > 1
        and vacancy.duplicated_from_id is None
        and vacancy.parent_id is None
        and candidate.organisation_id != vacancy.organisation_id
    ):
        duplicate = vacancy.duplicates.filter(organisation_id=candidate.organisation_id).order_by("-id").first()
        raise RuleRefused(
            _(
                "The owner books only its own organisation's candidates on this vacancy; a chain partner's hired "
                "candidate is booked by the partner on its duplicate of the vacancy (R-25)."
            ),
            code="book_on_duplicate",
            rule="R-25",
            extra={"duplicate": duplicate.pk if duplicate else None},
        )


def _refuse_unless_bookable(vacancy: Vacancy) -> None:
    if vacancy.status == VacancyStatus.EXPIRED:
        raise RuleRefused(
            _("This vacancy has expired; reactivate it before booking a placement (R-20)."),
            code="vacancy_expired_reactivate_first",
            rule="R-20",
        )
    if vacancy.status == VacancyStatus.FILLED:
        raise Conflict(_("Every position of this vacancy has been booked."), code="no_positions_left", rule="R-20")
    if vacancy.status != VacancyStatus.OPEN:
        raise Conflict(_("This vacancy is closed."), code="vacancy_not_open", rule="R-20")


def _refuse_double_booking(candidate: Candidate, *, start_date: date, end_date: date | None) -> None:
    """R-57: a candidate counts once: no second booked placement whose period overlaps this one (an open end
    overlaps everything after its start)."""
    overlapping = Placement.objects.filter(candidate=candidate, status=PlacementStatus.BOOKED).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    existing = overlapping.order_by("start_date", "id").values_list("pk", flat=True).first()
    if existing is not None:
        raise Conflict(
            _(
                "This candidate already has a booked placement in this period; a placement is counted once (R-57). "
                "Correct or cancel that placement first."
            ),
            code="candidate_already_placed",
            rule="R-57",
            extra={"placement": existing},
        )


@transaction.atomic
def placement_book(
    *,
    by: User,
    referral: Referral,
    start_date: date,
    hours_per_week: Decimal | float | int | str,
    placement_type: str,
    end_date: date | None = None,
    now: datetime | None = None,
) -> Placement:
    """Book the placement of a hired candidate.

    R-22: only with reciprocity: the employer's recruitment request and the referral it was hired from. R-24/R-25:
    the vacancy owner books (after a partner's hire on one position the partner is the owner). R-23: UWV books UWV
    target groups, municipalities book municipal ones. R-25: on an original of more than one position the owner books
    only its own organisation's candidates. R-20: not on an expired vacancy (reactivate it first) and not beyond the
    employer's request. R-57: a candidate is not booked twice for overlapping periods. R-31: job agreement follows
    the candidate's register entry.

    R-20 reading: the registered positions start at 1 and "each booked placement may raise the number by 1" while
    the vacancy is open: after each booking `positions = max(positions, booked placements)`. The first booking
    fills position 1 (positions stays 1), the second raises it to 2, and so on, so the registered positions never
    exceed what was booked (or 1). When the bookings reach the number asked for, the vacancy is filled.

    The vacancy row is locked first: of two bookings of the last position at the same moment exactly one wins; the
    other finds the vacancy filled (409 `no_positions_left`).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    require_staff(by)
    vacancy = lock_vacancy(referral.vacancy_id)
    # The candidate row is locked too (after the vacancy and the referral): two bookings of one candidate on two
    # vacancies queue behind each other, so the double-booking check below cannot be raced.
    referral = (
        Referral.objects.select_for_update(of=("self", "candidate"))
        .select_related("candidate")
        .filter(pk=referral.pk)
        .first()
    )
    if referral is None:
        raise NotVisible(_("Referral not found."))
    candidate = referral.candidate

    if not vacancy.recruitment_request or referral.status != ReferralStatus.HIRED:
        raise RuleRefused(
            _(
                "A placement is booked only with reciprocity: the employer's recruitment request and a referral "
                "on this vacancy that led to the hire (R-22)."
            ),
            code="no_reciprocity",
            rule="R-22",
        )
    if vacancy.owner_id != by.pk:
        _refuse_not_owner(vacancy, candidate, by)
    _refuse_partner_candidate_on_the_original(vacancy, candidate)
    if not TargetGroup.may_book(candidate.target_group, by.organisation.kind):
        raise RuleRefused(
            _("%(organisation)s does not book placements of the target group %(group)s (R-23).")
            % {"organisation": by.organisation.name, "group": TargetGroup(candidate.target_group).label},
            code="wrong_organisation_for_target_group",
            rule="R-23",
        )
    _refuse_unless_bookable(vacancy)
    if Placement.objects.filter(referral=referral, status=PlacementStatus.BOOKED).exists():
        raise Conflict(_("This referral has already been booked as a placement."), code="already_booked")
    booked = vacancy.placements.filter(status=PlacementStatus.BOOKED).count()
    if booked >= vacancy.requested_positions:
        raise Conflict(_("Every position of this vacancy has been booked."), code="no_positions_left", rule="R-20")
    _refuse_double_booking(candidate, start_date=start_date, end_date=end_date)

    employer = vacancy.employer
    placement = Placement(
        vacancy=vacancy,
        candidate=candidate,
        referral=referral,
        employer=employer,
        booked_by=by,
        organisation_id=by.organisation_id,
        target_group=candidate.target_group,
        employer_type=employer.employer_type,
        sector_id=employer.sector_id,
        placement_type=placement_type,
        start_date=start_date,
        end_date=end_date,
        hours_per_week=_hours(hours_per_week),
        # a job-agreement job is a job of a candidate in the job-agreement register; a vacancy flagged for
        # the job agreement does not make a placement of someone outside the register count.
        job_agreement=candidate.job_agreement,
        next_aftercare_on=start_date + timedelta(days=settings.WSP["AFTERCARE_INTERVAL_DAYS"]),
        booked_at=now,
    )
    _derive(placement, organisation_kind=by.organisation.kind, today=today)
    full_clean(placement, exclude=RELATIONS)

    vacancy.positions = max(vacancy.positions, booked + 1)
    changed = ["positions", "updated_at"]
    if booked + 1 >= vacancy.requested_positions:
        vacancy.status, vacancy.close_reason, vacancy.closed_at = VacancyStatus.FILLED, CloseReason.PLACEMENT, now
        changed += ["status", "close_reason", "closed_at"]
    with pghistory.context(user=by.pk, action="book_placement"):
        placement.save()
        vacancy.save(update_fields=changed)
        candidate.status = CandidateStatus.PLACED
        candidate.save(update_fields=["status", "updated_at"])
    placement.refresh_from_db(fields=["job_agreement_jobs"])  # computed by the database
    return placement


# --- Closing a 2-9 vacancy (R-25) --------------------------------------------------------------------------------


@transaction.atomic
def vacancy_close_with_placements(*, vacancy: Vacancy, by: User, now: datetime | None = None) -> list[Vacancy]:
    """R-25: the owner of a vacancy of 2 to 9 positions books its own candidates first and closes the vacancy with
    outcome "placement" (R-22: at least one booked placement). Each chain partner organisation with hired, unbooked
    candidates then gets one duplicate of the vacancy under the same employer (vacancies.services.vacancy_duplicate),
    owned by the adviser of its first hired candidate (or, when that is no active adviser, the partner's first
    active adviser: `partner_adviser`; none at all refuses the close), with its hired candidates referred again
    (register lines proposed -> hired), so the partner only has to book there.

    A vacancy already filled by the owner's bookings while partners' hires are still unbooked can be passed too: it
    stays filled and only the duplicates are made. A co-production (R-19, 10 or more) is closed without duplicates:
    its partners book on their own vacancies under it. Returns the duplicates made.
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
    if not vacancy.placements.filter(status=PlacementStatus.BOOKED).exists():
        raise RuleRefused(
            _("A vacancy is closed with outcome placement only after a placement was booked on it (R-22)."),
            code="placement_outcome_needs_booking",
            rule="R-22",
        )
    pending = _partner_hires_to_carry_over(vacancy) if not vacancy.is_co_production else []
    if vacancy.status == VacancyStatus.CLOSED or (vacancy.status == VacancyStatus.FILLED and not pending):
        raise Conflict(_("This vacancy is no longer open."), code="vacancy_not_open", rule="R-25")

    per_partner: dict[int, list[Referral]] = {}
    for referral in pending:
        per_partner.setdefault(referral.candidate.organisation_id, []).append(referral)
    # Each duplicate's owner is chosen before anything is written: a partner without an active adviser refuses the
    # whole close.
    owners = [(partner_adviser(referrals[0].candidate), referrals) for referrals in per_partner.values()]

    duplicates: list[Vacancy] = []
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
                _carry_over(original, duplicate=duplicate, owner=adviser, by=by, now=now)
            duplicates.append(duplicate)
    return duplicates


def _partner_hires_to_carry_over(vacancy: Vacancy) -> list[Referral]:
    """Hired, unbooked referrals of other organisations' candidates not yet carried over to a duplicate."""
    return list(
        vacancy.referrals.filter(status=ReferralStatus.HIRED)
        .exclude(candidate__organisation_id=vacancy.organisation_id)
        .exclude(placements__status=PlacementStatus.BOOKED)
        .exclude(candidate__referrals__vacancy__duplicated_from=vacancy)
        .select_related("candidate__adviser__organisation")
        .order_by("id")
    )


def _carry_over(original: Referral, *, duplicate: Vacancy, owner: User, by: User, now: datetime) -> Referral:
    """R-25: the partner refers its hired candidate again on its duplicate; the register shows where it came from."""
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


# --- Corrections and cancellations (never a delete) --------------------------------------------------------------


def _lock_placement(placement_id: int) -> Placement:
    placement = (
        Placement.objects.select_for_update(of=("self",)).select_related("organisation").filter(pk=placement_id).first()
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
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Give the reason for this change."), code="reason_required", fields={"reason": [_("Required.")]}
        )
    return reason


@transaction.atomic
def placement_correct(
    *, placement: Placement, by: User, reason: str, now: datetime | None = None, **fields
) -> Placement:
    """Correct a booked placement with a reason; the derived values (durability date and state, R-30; the first
    aftercare date, R-32) follow the corrected data. The old values stay in `PlacementEvent`."""
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
    if "hours_per_week" in fields:
        fields["hours_per_week"] = _hours(fields["hours_per_week"])
    for name, value in fields.items():
        setattr(placement, name, value)
    _derive(placement, organisation_kind=placement.organisation.kind, today=timezone.localdate(now))
    if placement.aftercare_ended_at is None and not placement.aftercare_contacts.exists():
        placement.next_aftercare_on = placement.start_date + timedelta(days=settings.WSP["AFTERCARE_INTERVAL_DAYS"])
    placement.correction_reason = reason
    full_clean(placement, exclude=RELATIONS)
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
        outcome_without_booking = (
            vacancy.status == VacancyStatus.CLOSED
            and vacancy.close_reason == CloseReason.PLACEMENT
            and not still_booked
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


# --- Aftercare and durability (R-30) ----------------------------------------------------------------------


@transaction.atomic
def aftercare_register(
    *,
    placement: Placement,
    by: User,
    occurred_at: datetime,
    summary: str,
    still_employed: bool = True,
    ends_aftercare: bool = False,
    now: datetime | None = None,
) -> AftercareContact:
    """R-32: a follow-up with employer and candidate; the next one is due AFTERCARE_INTERVAL_DAYS later, until the
    employer says no more is needed (`ends_aftercare`)."""
    now = now or timezone.now()
    placement = _lock_placement(placement.pk)
    _require_booking_organisation(placement, by)
    _require_booked(placement)
    if placement.aftercare_ended_at is not None:
        raise Conflict(_("Aftercare for this placement has ended."), code="aftercare_ended", rule="R-32")
    errors: dict[str, list[str]] = {}
    if occurred_at > now + timedelta(minutes=5):
        errors["occurred_at"] = [_("An aftercare contact cannot lie in the future.")]
    elif timezone.localdate(occurred_at) < placement.start_date:
        errors["occurred_at"] = [_("Aftercare follows the start of the placement.")]
    if not (summary or "").strip():
        errors["summary"] = [_("This field is required.")]
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), rule="R-32", fields=errors)

    contact = AftercareContact(
        placement=placement,
        adviser=by,
        occurred_at=occurred_at,
        summary=summary.strip(),
        still_employed=still_employed,
        ends_aftercare=ends_aftercare,
    )
    full_clean(contact, exclude=["placement", "adviser"])
    if ends_aftercare:
        placement.aftercare_ended_at, placement.next_aftercare_on = occurred_at, None
    else:
        due = timezone.localdate(occurred_at) + timedelta(days=settings.WSP["AFTERCARE_INTERVAL_DAYS"])
        placement.next_aftercare_on = due
    with pghistory.context(user=by.pk, action="aftercare"):
        contact.save()
        placement.save(update_fields=["aftercare_ended_at", "next_aftercare_on", "updated_at"])
    return contact


@dataclass(frozen=True)
class DurabilityCheck:
    """The placements the daily check decided on (R-30); undecided ones are checked again tomorrow."""

    durable: list[int]
    not_durable: list[int]


@transaction.atomic
def placements_check_durability(*, today: date | None = None) -> DurabilityCheck:
    """R-30, daily: decide the durability of booked placements that are still open on it.

    Durable once today is past `durable_after`, with at least DURABLE_MIN_HOURS a week and no end on or before that
    day; never durable when it ends on or before `durable_after` or has fewer hours. Only undecided placements are
    touched, so running it twice on a day changes nothing the second time. Two UPDATEs whatever the number.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    undecided = Placement.objects.select_for_update(skip_locked=True).filter(
        status=PlacementStatus.BOOKED, is_durable__isnull=True
    )
    min_hours = settings.WSP["DURABLE_MIN_HOURS"]
    never = Q(hours_per_week__lt=min_hours) | Q(end_date__lte=F("durable_after"))
    not_durable = list(undecided.filter(never).values_list("id", flat=True))
    durable = list(undecided.exclude(never).filter(durable_after__lt=today).values_list("id", flat=True))
    with pghistory.context(action="durability_check"):
        Placement.objects.filter(pk__in=not_durable).update(
            is_durable=False, durability_checked_on=today, updated_at=now
        )
        Placement.objects.filter(pk__in=durable).update(is_durable=True, durability_checked_on=today, updated_at=now)
    return DurabilityCheck(durable=durable, not_durable=not_durable)
