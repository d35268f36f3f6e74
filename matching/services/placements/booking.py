"""Booking a hired referral as a placement (R-20, R-22..R-25, R-30, R-31, R-33, R-57).

No backdating (R-22, R-57): a placement starts on or after the day the vacancy was received and the day the
candidate was proposed on it, and at most START_AHEAD_MONTHS ahead; a database trigger holds the first two as well
(matching.models.START_AFTER_RECEIPT_AND_PROPOSAL).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind, Role
from accounts.models import User
from accounts.rules import require_staff
from accounts.services import notify
from employers.choices import Instrument
from matching.choices import CandidateStatus, PlacementStatus, ReferralStatus, TargetGroup
from matching.models import Candidate, Placement, Referral
from vacancies.choices import CloseReason, VacancyStatus
from vacancies.models import Vacancy
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused
from wsp.inputs import clean_text

from ..referrals import BOOKER_LEFT_SUFFIX, booking_plan, is_two_to_nine_original, lock_vacancy
from .durability import _derive, is_short

# a placement is booked (or its start corrected) at most this many months before it starts.
START_AHEAD_MONTHS = 3
# No placement runs longer than this: an end date further ahead is a typing error (9999-12-31), not a contract.
MAX_DURATION_YEARS = 50
# Set by the services themselves; full_clean skips the relations, which are checked above it.
RELATIONS = ["vacancy", "candidate", "referral", "employer", "booked_by", "organisation", "sector", "cancelled_by"]


def _day(value: date) -> str:
    return formats.date_format(value, "d-m-Y")


def latest_end(start_date: date) -> date | None:
    """The last day a placement starting on `start_date` may end (MAX_DURATION_YEARS later); None beyond the
    calendar."""
    try:
        return start_date + relativedelta(years=MAX_DURATION_YEARS)
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True)
class StartWindow:
    """R-22, R-57: the days a placement of a hired referral may start: not before the vacancy was received nor
    before the candidate was proposed on it, and at most START_AHEAD_MONTHS ahead of today."""

    received_on: date
    proposed_on: date
    latest: date

    @property
    def earliest(self) -> date:
        return max(self.received_on, self.proposed_on)


def start_window(*, vacancy: Vacancy, referral: Referral, today: date) -> StartWindow:
    """The start window of `referral` on `vacancy` (two queries at most). On a partner's duplicate (R-25) the
    receipt and the proposal are the original's: the duplicate is received when the owner closes and its referral is
    the hire carried over, while the employer reported the vacancy and the candidate was proposed on the original.
    The database trigger `start_after_receipt_and_proposal` computes the same."""
    received_at = vacancy.received_at
    proposals = Referral.objects.filter(pk=referral.pk)
    if vacancy.duplicated_from_id is not None:
        received_at = (
            Vacancy.objects.filter(pk=vacancy.duplicated_from_id).values_list("received_at", flat=True).first()
            or received_at
        )
        proposals = Referral.objects.filter(
            Q(pk=referral.pk) | Q(vacancy_id=vacancy.duplicated_from_id, candidate_id=referral.candidate_id)
        )
    proposed_at = proposals.aggregate(first=Min("referred_at"))["first"] or referral.referred_at
    return StartWindow(
        received_on=timezone.localdate(received_at),
        proposed_on=timezone.localdate(proposed_at),
        latest=today + relativedelta(months=START_AHEAD_MONTHS),
    )


def _refuse_start_outside(window: StartWindow, start_date: date) -> None:
    """R-22, R-57: no backdating before the receipt or the proposal, and not more than three months ahead."""
    if start_date < window.received_on:
        message = _("A placement cannot start before the vacancy was received (%(date)s, R-22).") % {
            "date": _day(window.received_on)
        }
        raise InvalidInput(message, code="start_before_receipt", rule="R-22", fields={"start_date": [message]})
    if start_date < window.proposed_on:
        message = _("A placement cannot start before the candidate was proposed on the vacancy (%(date)s, R-22).") % {
            "date": _day(window.proposed_on)
        }
        raise InvalidInput(message, code="start_before_proposal", rule="R-22", fields={"start_date": [message]})
    if start_date > window.latest:
        message = _("A placement is booked at most three months ahead: start on or before %(date)s (R-57).") % {
            "date": _day(window.latest)
        }
        raise InvalidInput(message, code="start_too_far_ahead", rule="R-57", fields={"start_date": [message]})


def _validate(placement: Placement) -> None:
    """The placement's own fields, all at once (hours, choices, dates): a field error for each (400 `invalid`). The
    database constraints hold them too."""
    errors: dict[str, list[str]] = {}
    try:
        placement.full_clean(exclude=RELATIONS, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if placement.end_date is not None and placement.end_date < placement.start_date:
        errors.setdefault("end_date", []).append(_("The end date cannot lie before the start date."))
    elif placement.end_date is not None and placement.start_date is not None:
        latest = latest_end(placement.start_date)
        if latest is None or placement.end_date > latest:
            errors.setdefault("end_date", []).append(
                _("A placement ends at most %(years)d years after its start: on or before %(date)s.")
                % {"years": MAX_DURATION_YEARS, "date": _day(latest) if latest else ""}
            )
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), code="invalid", fields=errors)


def _instruments(values: Iterable[str] | None, *, field: str) -> list[str]:
    """R-33: instruments from the one list (employers.choices.Instrument), each once, in the list's order."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        values = [values]
    chosen = [str(value) for value in values]
    unknown = [value for value in chosen if value not in Instrument.values]
    if unknown:
        message = _("Choose instruments from the list: %(values)s is not one of them.") % {"values": ", ".join(unknown)}
        raise InvalidInput(message, code="unknown_instrument", rule="R-33", fields={field: [message]})
    return [value for value in Instrument.values if value in chosen]


def _refuse_short_without_conditions(placement: Placement) -> None:
    """R-30, ZKIJ plan 3.1: a short placement records the conditions agreed."""
    short = is_short(
        hours_per_week=placement.hours_per_week, end_date=placement.end_date, durable_after=placement.durable_after
    )
    if short and not placement.conditions:
        message = _(
            "This is a short placement (under %(hours)s hours a week, or ending within the durable period): record "
            "the conditions agreed with the employer (R-30)."
        ) % {"hours": settings.WSP["DURABLE_MIN_HOURS"]}
        raise InvalidInput(message, code="conditions_required", rule="R-30", fields={"conditions": [message]})


def _hours(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(
            _("Enter the hours per week as a number."), fields={"hours_per_week": [_("Enter a number.")]}
        ) from exc


# --- Booking (R-20, R-22..R-25) ----------------------------------------------------------------------------------


def _refuse_not_the_booker(vacancy: Vacancy, referral: Referral, booker: User, by: User) -> None:
    """R-23..R-25: the adviser decided at the hire books (`Referral.booker`): after a partner's hire on a single
    position the partner, who then owns the vacancy (R-24); otherwise the vacancy owner. When that adviser has left,
    an active adviser of the same organisation books instead."""
    if by.pk == booker.pk:
        return
    if not booker.is_active and by.organisation_id == booker.organisation_id and by.role == Role.ADVISER:
        return
    raise RuleRefused(
        _("%(booker)s (%(organisation)s) books this placement (R-23, R-24).")
        % {"booker": booker.full_name, "organisation": booker.organisation.name},
        code="not_vacancy_owner",
        rule="R-24" if vacancy.requested_positions == 1 else "R-25",
        extra={"booker": booker.pk},
    )


def _refuse_partner_candidate_on_the_original(vacancy: Vacancy, candidate: Candidate) -> None:
    """R-25 (and R-23): on a 2-9 original the owner books only its own organisation's candidates; a chain partner's
    hired candidate is booked by the partner on its duplicate of the vacancy, made when the owner closes it. A
    duplicate or a co-production partner's vacancy holds only the partner's own candidates (R-19, R-25,
    `referrals.refuse_outside_own_vacancy`)."""
    if is_two_to_nine_original(vacancy) and candidate.organisation_id != vacancy.organisation_id:
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


def booker_of(referral: Referral) -> User:
    """Who books a hired referral: as recorded at the hire, or (a hire from before that was recorded) as the rules
    decide it now (`referrals.booking_plan`)."""
    if referral.booker_id is not None:
        return referral.booker
    vacancy = Vacancy.objects.select_related("owner", "organisation").get(pk=referral.vacancy_id)
    return booking_plan(vacancy, referral.candidate).booker


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


def _refuse_double_booking(
    candidate: Candidate, *, start_date: date, end_date: date | None, exclude: int | None = None
) -> None:
    """R-57: a candidate counts once: no second booked placement whose period overlaps this one (an open end
    overlaps everything after its start). `exclude`: the placement being corrected."""
    overlapping = Placement.objects.filter(candidate=candidate, status=PlacementStatus.BOOKED).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
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
    instruments_advised: Iterable[str] | None = None,
    instruments_applied: Iterable[str] | None = None,
    conditions: str = "",
    now: datetime | None = None,
) -> Placement:
    """Book the placement of a hired candidate.

    R-22: only with reciprocity: the employer's recruitment request and the referral it was hired from; and no
    backdating: it starts on or after the day the vacancy was received and the candidate was proposed (R-57: and at
    most three months ahead). R-23..R-25: the adviser decided at the hire books (`Referral.booker`: the candidate's
    own organisation; after a partner's hire on one position the partner, who owns the vacancy then). R-25: on a 2-9
    original only the owner's own organisation's candidates; partners book on their duplicates. R-20: not on an
    expired vacancy (reactivate it first) and not beyond the employer's request. R-57: a candidate is not booked
    twice for overlapping periods. R-31: job agreement follows the candidate's register entry. R-30: a short
    placement records its conditions. R-33: the instruments advised and applied, from the one list.

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
        .select_related("candidate__organisation", "booker__organisation")
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
    _refuse_partner_candidate_on_the_original(vacancy, candidate)
    _refuse_not_the_booker(vacancy, referral, booker_of(referral), by)
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
    _refuse_start_outside(start_window(vacancy=vacancy, referral=referral, today=today), start_date)
    advised = _instruments(instruments_advised, field="instruments_advised")
    applied = _instruments(instruments_applied, field="instruments_applied")
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
        instruments_advised=advised,
        instruments_applied=applied,
        conditions=clean_text(conditions),
        next_aftercare_on=start_date + timedelta(days=settings.WSP["AFTERCARE_INTERVAL_DAYS"]),
        booked_at=now,
    )
    _derive(placement, organisation_kind=by.organisation.kind, today=today)
    _validate(placement)
    _refuse_short_without_conditions(placement)

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


# --- Hires whose booker has left (R-23..R-25) ----------------------------------------------------------------------


@transaction.atomic
def hires_of_departed_bookers_notify() -> int:
    """Daily: hired, unbooked referrals whose recorded booker is no longer active would be seen by nobody (the home
    page shows a hire to its booker, and notices skip inactive users). The active advisers of the booker's
    organisation book it instead (R-23: the candidate's organisation books; `_refuse_not_the_booker` lets them, and
    their home page lists it): each is told once per hire (the notice key is the hire's), by a notice and an
    e-mail. Hires that wait for the owner to close a 2-9 vacancy are left to the close, which picks an active adviser
    for the duplicate (R-25). R-40: the notice names the candidate by number. Returns the notices made.

    Three queries and one per notice: the hires (with vacancy, employer and booker), the carried-over check inside
    it, the advisers of their organisations.
    """
    booked = Placement.objects.filter(referral=OuterRef("pk"), status=PlacementStatus.BOOKED)
    carried_over = Referral.objects.filter(
        vacancy__duplicated_from_id=OuterRef("vacancy_id"), candidate_id=OuterRef("candidate_id")
    )
    hires = list(
        Referral.objects.filter(
            status=ReferralStatus.HIRED,
            booker__is_active=False,
            vacancy__status__in=[VacancyStatus.OPEN, VacancyStatus.EXPIRED],
        )
        .exclude(Exists(booked))
        .exclude(Exists(carried_over))
        .select_related("vacancy__employer", "vacancy__organisation", "booker__organisation", "candidate")
        .order_by("id")
    )
    hires = [
        referral
        for referral in hires
        if not (
            is_two_to_nine_original(referral.vacancy)
            and referral.candidate.organisation_id != referral.vacancy.organisation_id
        )
    ]
    advisers: dict[int, list[User]] = {}
    for adviser in User.objects.filter(
        organisation_id__in={referral.booker.organisation_id for referral in hires}, role=Role.ADVISER, is_active=True
    ).order_by("id"):
        advisers.setdefault(adviser.organisation_id, []).append(adviser)
    made = 0
    for referral in hires:
        names = {
            "candidate": referral.candidate_id,
            "vacancy": referral.vacancy.title,
            "employer": referral.vacancy.employer.name,
            "booker": referral.booker.full_name,
            "organisation": referral.booker.organisation.name,
        }
        made += len(
            notify(
                users=advisers.get(referral.booker.organisation_id, []),
                kind=NotificationKind.PLACEMENT_TO_BOOK,
                key=f"referral:{referral.pk}{BOOKER_LEFT_SUFFIX}",
                title=_("Book the placement of candidate %(candidate)s on %(vacancy)s: %(booker)s has left") % names,
                body=_(
                    "%(booker)s was to book this hire at %(employer)s and is no longer active. An adviser of "
                    "%(organisation)s books it now (R-23); it is on your home page under Placements to book."
                )
                % names,
                url=reverse("placement-book", args=[referral.pk]),
                email=True,
            )
        )
    return made
