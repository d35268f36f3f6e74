"""Writes for placements: booking (R-20, R-22..R-25), closing a 2-9 vacancy with its duplicates (R-25), corrections
and cancellations (never a delete), aftercare that may end a placement (R-32) and the daily durability check (R-30,
R-31).

Each service runs in one transaction, locks the vacancy row before the placement or referral rows, and checks
before it writes: a refusal leaves the data as it was.

No backdating (R-22, R-57): a placement starts on or after the day the vacancy was received and the day the
candidate was proposed on it, and at most START_AHEAD_MONTHS ahead; a database trigger holds the first two as well
(matching.models.START_AFTER_RECEIPT_AND_PROPOSAL). Durability counts only time that has passed (R-30).
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
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind, OrganisationKind, Role
from accounts.models import User
from accounts.services import notify
from employers.choices import Instrument
from matching.choices import CandidateStatus, PlacementStatus, ReferralStatus, TargetGroup
from matching.models import AftercareContact, Candidate, Placement, Referral, ReferralStatusChange
from vacancies import services as vacancy_services
from vacancies.choices import CloseReason, VacancyStatus
from vacancies.models import Vacancy
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused

from .referrals import booking_plan, full_clean, is_two_to_nine_original, lock_vacancy, partner_adviser, require_staff

# What a correction may change; the rest is copied at booking so a reported figure stays reproducible.
# `job_agreement` is not among them: it is derived from the candidate's job-agreement register entry.
CORRECTABLE_FIELDS = (
    "start_date", "end_date", "hours_per_week", "placement_type", "instruments_advised", "instruments_applied",
    "conditions",
)  # fmt: skip
# a placement is booked (or its start corrected) at most this many months before it starts.
START_AHEAD_MONTHS = 3
# Set by the services themselves; full_clean skips the relations, which are checked above it.
RELATIONS = ["vacancy", "candidate", "referral", "employer", "booked_by", "organisation", "sector", "cancelled_by"]


# --- Derived values (R-30, R-32) ---------------------------------------------------------------------------------


def durable_after_for(start_date: date, organisation_kind: str) -> date:
    """R-30: municipal partners count a placement as durable after more than 3 months, UWV after more than 6."""
    return start_date + relativedelta(months=settings.WSP["DURABLE_AFTER_MONTHS"][organisation_kind])


def durability_on(*, hours_per_week: Decimal, end_date: date | None, durable_after: date, today: date) -> bool | None:
    """R-30: whether a placement is durable on `today`; None while that is not known yet.

    Only time that has passed counts: durable once more than the 3 or 6 months really lay between the start and
    today, and the end when it ended (`today` and the end both past `durable_after`); not durable once it really
    ended on or before `durable_after`. A future end date decides nothing ahead of time (a contract may be extended).
    The one thing known at once: under DURABLE_MIN_HOURS a week it never counts as durable.
    """
    if hours_per_week < settings.WSP["DURABLE_MIN_HOURS"]:
        return False
    if end_date is not None and end_date <= durable_after:
        return False if end_date < today else None
    if today > durable_after:
        return True
    return None


def is_short(*, hours_per_week: Decimal, end_date: date | None, durable_after: date) -> bool:
    """R-30, ZKIJ plan 3.1: a short placement (under DURABLE_MIN_HOURS a week, or a fixed end within the durable
    period) is allowed with conditions, which are recorded."""
    return hours_per_week < settings.WSP["DURABLE_MIN_HOURS"] or (end_date is not None and end_date <= durable_after)


def _day(value: date) -> str:
    return formats.date_format(value, "d-m-Y")


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
        conditions=(conditions or "").strip(),
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
    names = {
        "candidate": referral.candidate.full_name or f"#{referral.candidate_id}",
        "vacancy": original.title,
        "owner": by.full_name,
    }
    notify(
        users=[referral.booker],
        kind=NotificationKind.PLACEMENT_TO_BOOK,
        key=f"referral:{referral.pk}",
        title=_("%(owner)s closed %(vacancy)s: book the placement of %(candidate)s on your duplicate") % names,
        body=_(
            "%(candidate)s was hired on %(vacancy)s. The owner has booked its own candidates and closed the vacancy; "
            "your organisation's duplicate of it is ready to book the placement on (R-25)."
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
    reason = (reason or "").strip()
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
        fields["conditions"] = (fields["conditions"] or "").strip()
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


# --- Aftercare and durability (R-30) ----------------------------------------------------------------------


@transaction.atomic
def aftercare_register(
    *,
    placement: Placement,
    by: User,
    occurred_at: datetime,
    summary: str,
    still_employed: bool = True,
    employment_ended_on: date | None = None,
    ends_aftercare: bool = False,
    now: datetime | None = None,
) -> AftercareContact:
    """R-32: a follow-up with employer and candidate; the next one is due AFTERCARE_INTERVAL_DAYS later, until the
    employer says no more is needed (`ends_aftercare`).

    A contact that finds the candidate no longer employed says their last day (`employment_ended_on`: not before the
    start, not after the contact, so never in the future) and ends the placement on that day through the same rules
    as a correction, with this contact as its reason in the audit trail; durability is then judged on the real
    duration (R-30), and there is nobody left to follow, so the aftercare ends too. A placement that had already
    ended by then keeps its end date.
    """
    now = now or timezone.now()
    placement = _lock_placement(placement.pk)
    _require_booking_organisation(placement, by)
    _require_booked(placement)
    if placement.aftercare_ended_at is not None:
        raise Conflict(_("Aftercare for this placement has ended."), code="aftercare_ended", rule="R-32")
    errors: dict[str, list[str]] = {}
    contact_day = timezone.localdate(occurred_at)
    if occurred_at > now + timedelta(minutes=5):
        errors["occurred_at"] = [_("An aftercare contact cannot lie in the future.")]
    elif contact_day < placement.start_date:
        errors["occurred_at"] = [_("Aftercare follows the start of the placement.")]
    if not (summary or "").strip():
        errors["summary"] = [_("This field is required.")]
    if still_employed and employment_ended_on is not None:
        errors["employment_ended_on"] = [_("Leave this empty while the candidate still works there.")]
    elif not still_employed:
        if employment_ended_on is None:
            errors["employment_ended_on"] = [_("Give the candidate's last day of employment (R-32).")]
        elif employment_ended_on < placement.start_date:
            errors["employment_ended_on"] = [
                _("The last day of employment cannot lie before the start of the placement (%(date)s).")
                % {"date": _day(placement.start_date)}
            ]
        elif employment_ended_on > min(contact_day, timezone.localdate(now)):
            errors["employment_ended_on"] = [
                _("The last day of employment cannot lie after the aftercare contact, nor in the future.")
            ]
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), rule="R-32", fields=errors)

    contact = AftercareContact(
        placement=placement,
        adviser=by,
        occurred_at=occurred_at,
        summary=summary.strip(),
        still_employed=still_employed,
        employment_ended_on=None if still_employed else employment_ended_on,
        ends_aftercare=ends_aftercare,
    )
    full_clean(contact, exclude=["placement", "adviser"])
    context = {"user": by.pk, "action": "aftercare"}
    changed = ["aftercare_ended_at", "next_aftercare_on", "updated_at"]
    ends_placement = not still_employed and (placement.end_date is None or placement.end_date > employment_ended_on)
    if ends_placement:
        # ended on that day, by the same rules as a correction and with this contact as its reason.
        reason = _("Aftercare contact of %(date)s: no longer employed, last day %(ended)s (R-32).") % {
            "date": _day(contact_day),
            "ended": _day(employment_ended_on),
        }
        _apply(placement, {"end_date": employment_ended_on}, today=timezone.localdate(now), conditions_needed=False)
        placement.correction_reason = reason
        context.update(action="aftercare_ends_placement", reason=reason)
        changed = None
    if ends_aftercare or not still_employed:
        placement.aftercare_ended_at, placement.next_aftercare_on = occurred_at, None
    else:
        placement.next_aftercare_on = contact_day + timedelta(days=settings.WSP["AFTERCARE_INTERVAL_DAYS"])
    with pghistory.context(**context):
        contact.save()
        placement.save(update_fields=changed)
    if ends_placement:
        _release_candidate(placement, now=now)
    return contact


def _release_candidate(placement: Placement, *, now: datetime) -> None:
    """A candidate whose placement has ended is available again, unless another booked placement still runs."""
    today = timezone.localdate(now)
    if placement.end_date is None or placement.end_date >= today:
        return
    running = Placement.objects.filter(candidate_id=placement.candidate_id, status=PlacementStatus.BOOKED).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    Candidate.objects.filter(pk=placement.candidate_id, status=CandidateStatus.PLACED).exclude(
        pk__in=running.values("candidate_id")
    ).update(status=CandidateStatus.AVAILABLE, updated_at=now)


@dataclass(frozen=True)
class DurabilityCheck:
    """The placements the daily check decided on (R-30); undecided ones are checked again tomorrow."""

    durable: list[int]
    not_durable: list[int]


@transaction.atomic
def placements_check_durability(*, today: date | None = None) -> DurabilityCheck:
    """R-30, daily: decide the durability of booked placements that are still open on it.

    Durable once today is past `durable_after`, with at least DURABLE_MIN_HOURS a week and no end on or before that
    day; not durable once it really ended (before today) on or before `durable_after`, or with fewer hours. A future
    end date decides nothing. Only undecided placements are touched, so running it twice on a day changes nothing
    the second time. Two UPDATEs whatever the number.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    undecided = Placement.objects.select_for_update(skip_locked=True).filter(
        status=PlacementStatus.BOOKED, is_durable__isnull=True
    )
    min_hours = settings.WSP["DURABLE_MIN_HOURS"]
    # As `durability_on`: only time that has passed counts; a future end decides nothing yet.
    ended_early = Q(end_date__lte=F("durable_after"), end_date__lt=today)
    never = Q(hours_per_week__lt=min_hours) | ended_early
    not_durable = list(undecided.filter(never).values_list("id", flat=True))
    lasted = Q(durable_after__lt=today) & (Q(end_date__isnull=True) | Q(end_date__gt=F("durable_after")))
    durable = list(undecided.exclude(never).filter(lasted).values_list("id", flat=True))
    with pghistory.context(action="durability_check"):
        Placement.objects.filter(pk__in=not_durable).update(
            is_durable=False, durability_checked_on=today, updated_at=now
        )
        Placement.objects.filter(pk__in=durable).update(is_durable=True, durability_checked_on=today, updated_at=now)
    return DurabilityCheck(durable=durable, not_durable=not_durable)
