"""Reads of placements: the API list, the adviser's durability checks and aftercare due, and the placement figures
(R-30..R-32, R-50, R-55, R-57). Each selector states its joins, so pages keep a fixed query count.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from matching.choices import PlacementStatus, ReferralStatus
from matching.models import Placement, Referral
from matching.services.placements import durability_on, durable_after_for, is_short
from vacancies.choices import VacancyStatus
from wsp.db.arms import Arms
from wsp.inputs import int_or_none

HOME_LIMIT = 15


# --- Placements to book (R-23..R-25) -------------------------------------------------------------------------------


@dataclass
class VacancyToClose:
    """R-25: a 2-9 original of the user's whose chain partners wait for the close to book on their duplicates."""

    vacancy: object
    referrals: list


@dataclass
class ToBook:
    """Home page "Plaatsing boeken": the hired referrals the user books (`referrals`; each with `waits_for_close`
    when the partner books after the owner closes, R-25) and the user's own vacancies partners wait on (`closes`)."""

    referrals: list
    closes: list

    def __len__(self) -> int:
        return len(self.referrals) + len(self.closes)


def _waits_for_close() -> Q:
    """R-25: a chain partner's candidate hired on a 2-9 original is booked on the partner's duplicate, made when the
    owner closes the vacancy (the condition of `referrals.is_two_to_nine_original` as a query)."""
    return (
        Q(vacancy__requested_positions__gte=2)
        & Q(vacancy__requested_positions__lt=settings.WSP["CO_PRODUCTION_FROM_POSITIONS"])
        & Q(vacancy__duplicated_from__isnull=True, vacancy__parent__isnull=True)
        & ~Q(candidate__organisation_id=F("vacancy__organisation_id"))
    )


def _books_for(user) -> Q:
    """The hires `user` books: those decided to be theirs at the hire (`Referral.booker`), and those of a booker who
    has left (no longer active) when `user` is an active adviser of the booker's organisation (R-23: the candidate's
    organisation still books; `services.placements.booking._refuse_not_the_booker` lets them)."""
    theirs = Q(booker=user)
    if _books_for_those_who_left(user):
        theirs |= Q(booker__is_active=False, booker__organisation_id=user.organisation_id)
    return theirs


def _books_for_those_who_left(user) -> bool:
    return getattr(user, "role", None) == Role.ADVISER and getattr(user, "is_active", False)


def booker_left(referral, user) -> bool:
    """`user` books the hire because its recorded booker has left (the second half of `_books_for`); reads
    `referral.booker`."""
    booker = referral.booker
    return (
        booker is not None
        and not booker.is_active
        and booker.organisation_id == getattr(user, "organisation_id", None)
        and _books_for_those_who_left(user)
    )


def placements_to_book(*, user, limit: int = 2 * HOME_LIMIT) -> ToBook:
    """Home page (R-23..R-25): hired referrals without a booked placement that `user` books (`Referral.booker`, or
    one who left, of the user's organisation: `_books_for`), on a vacancy where they can be booked (open, or
    expired: reactivate first, R-20), longest waiting first; and the chain partners' hires on the user's 2-9 originals
    that wait for the user to close the vacancy (R-25). A hire carried over to a partner's duplicate is shown there,
    not on the original. Each referral of the user's own carries `booker_left` (shown: the booker has left).

    Two queries: the first `limit` ids from the union of three arms, each read from its own index (the user's own
    hires by booker, the hires of bookers of the user's organisation who left, the hires on the user's 2-9
    originals), whether booked or carried over decided by two correlated EXISTS on indexed columns; then those
    referrals joined to their vacancy (with its employer and owner) and candidate (with its organisation). As one
    query with `OR`, an adviser with thousands of hires waited 1.1 s for PostgreSQL to sort every hire of the region.
    """
    booked = Placement.objects.filter(referral=OuterRef("pk"), status=PlacementStatus.BOOKED)
    carried_over = Referral.objects.filter(
        vacancy__duplicated_from_id=OuterRef("vacancy_id"), candidate_id=OuterRef("candidate_id")
    )
    waits = _waits_for_close()
    bookable = Q(vacancy__status__in=[VacancyStatus.OPEN, VacancyStatus.EXPIRED])
    waiting = waits & Q(vacancy__status__in=[VacancyStatus.OPEN, VacancyStatus.FILLED])
    books = _books_for(user)
    where = (bookable & ~waits) | waiting
    hires = Referral.objects.filter(status=ReferralStatus.HIRED).exclude(Exists(booked)).exclude(Exists(carried_over))
    arms = [hires.filter(Q(booker=user) & where), hires.filter(Q(vacancy__owner=user) & waiting & ~books)]
    if _books_for_those_who_left(user):
        left = User.objects.filter(is_active=False, organisation_id=user.organisation_id).values("pk")
        arms.append(hires.filter(Q(booker_id__in=left) & where))
    order = ("status_changed_at", "id")
    ids = [row["id"] for row in Arms([arm.values(*order) for arm in arms]).order_by(*order)[:limit]]
    rows = list(
        Referral.objects.filter(pk__in=ids)
        .select_related("vacancy__employer", "vacancy__owner", "candidate__organisation", "booker__organisation")
        .order_by(*order)
    )
    referrals, closes = [], {}
    for referral in rows:
        vacancy = referral.vacancy
        referral.waits_for_close = (
            2 <= vacancy.requested_positions < settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]
            and vacancy.duplicated_from_id is None
            and vacancy.parent_id is None
            and referral.candidate.organisation_id != vacancy.organisation_id
        )
        referral.booker_left = booker_left(referral, user)
        if referral.booker_id == getattr(user, "pk", None) or referral.booker_left:
            referrals.append(referral)
        else:
            closes.setdefault(vacancy.pk, VacancyToClose(vacancy=vacancy, referrals=[])).referrals.append(referral)
    return ToBook(referrals=referrals, closes=list(closes.values()))


# --- Durability before saving (R-30) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DurabilityOutlook:
    """What the booking form says about durability before saving (R-30): neutral, also for a short placement."""

    durable_after: date | None
    counts: bool | None  # False: will not count as durable; None: not known yet
    short: bool
    text: str


def durability_outlook(
    *, start_date: date | None, hours_per_week, end_date: date | None, organisation_kind: str, today: date
) -> DurabilityOutlook:
    """R-30 as the placement would get it: durable after more than 3 (municipalities) or 6 (UWV) months, at least
    DURABLE_MIN_HOURS a week; under that it will not count as durable (allowed, with conditions: ZKIJ plan 3.1)."""
    minimum = settings.WSP["DURABLE_MIN_HOURS"]
    months = settings.WSP["DURABLE_AFTER_MONTHS"][organisation_kind]
    try:
        after = durable_after_for(start_date, organisation_kind) if start_date is not None else None
    except (OverflowError, ValueError):  # a start the calendar cannot count months past (9999-12-31)
        after = None
    if after is None or hours_per_week in (None, ""):
        text = _("Counts as durable after more than %(months)s months at %(hours)s hours a week or more (R-30).") % {
            "months": months,
            "hours": minimum,
        }
        return DurabilityOutlook(durable_after=None, counts=None, short=False, text=text)
    hours = Decimal(str(hours_per_week))
    counts = durability_on(hours_per_week=hours, end_date=end_date, durable_after=after, today=today)
    short = is_short(hours_per_week=hours, end_date=end_date, durable_after=after)
    names = {"date": formats.date_format(after, "d-m-Y"), "months": months, "hours": minimum}
    if hours < minimum:
        text = (
            _(
                "Will not count as a durable placement: under %(hours)s hours a week (R-30). A short placement is "
                "allowed; record the conditions agreed."
            )
            % names
        )
    elif end_date is not None and end_date <= after and end_date < today:
        names["end"] = formats.date_format(end_date, "d-m-Y")
        text = _("Ended on %(end)s, before it would have counted as durable after %(date)s: not durable (R-30).") % (
            names
        )
    elif end_date is not None and end_date <= after:
        names["end"] = formats.date_format(end_date, "d-m-Y")
        text = (
            _(
                "Ends on %(end)s, before it would count as durable after %(date)s (more than %(months)s months, at "
                "least %(hours)s hours a week): it counts only if the contract is extended. Record the conditions "
                "agreed."
            )
            % names
        )
    elif counts:
        text = (
            _("Counts as durable: more than %(months)s months since the start, at least %(hours)s hours a week (R-30).")
            % names
        )
    else:
        text = _("Counts as durable after %(date)s (more than %(months)s months, at least %(hours)s hours a week).") % (
            names
        )
    return DurabilityOutlook(durable_after=after, counts=counts, short=short, text=text)


def aftercare_text_visible(*, user, placement: Placement) -> bool:
    """R-40: an aftercare summary is written about the candidate; its text is for staff of the booking organisation,
    the vacancy owner's organisation and the candidate's organisation only (others see the contacts without it).

    Reads `placement.vacancy` and `placement.candidate`: select them with the placement (no extra query)."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return False
    return organisation_id in (
        placement.organisation_id,
        placement.vacancy.organisation_id,
        placement.candidate.organisation_id,
    )


def placement_list(*, user, filters: dict | None = None) -> QuerySet[Placement]:
    """Every placement of the region (R-02), cancelled ones included (they carry their reason); ids only."""
    filters = filters or {}
    qs = Placement.objects.all()
    for name in ("vacancy", "candidate", "employer", "organisation", "booked_by", "target_group", "status"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    return qs


def placements_due_for_durability_check(*, user, today: date | None = None, limit: int = HOME_LIMIT) -> list[Placement]:
    """Home page (R-30): the user's booked placements whose durability day is within DURABILITY_CHECK_WARNING_DAYS
    or has passed while durability is still open, soonest first. One query (partial index
    `placement_durability_due`)."""
    today = today or timezone.localdate()
    until = today + timedelta(days=settings.WSP["DURABILITY_CHECK_WARNING_DAYS"])
    return list(
        Placement.objects.filter(
            booked_by=user, status=PlacementStatus.BOOKED, is_durable__isnull=True, durable_after__lte=until
        )
        .select_related("vacancy", "employer")
        .order_by("durable_after", "id")[:limit]
    )


def placements_aftercare_due(*, today: date | None = None, user=None) -> QuerySet[Placement]:
    """R-32: booked placements whose next aftercare contact is due, with their booker and employer."""
    today = today or timezone.localdate()
    qs = Placement.objects.filter(
        status=PlacementStatus.BOOKED, aftercare_ended_at__isnull=True, next_aftercare_on__lte=today
    )
    if user is not None:
        qs = qs.filter(booked_by=user)
    return qs.select_related("booked_by", "employer", "vacancy").order_by("next_aftercare_on", "id")


# --- The audit trail of one placement (R-57) -----------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    """One entry of a placement's audit trail, as the placement page shows it: what happened, by whom, the values
    after it and the reason given (R-57: a date that decides a figure is never moved without one)."""

    at: object
    what: str
    by: str
    hours_per_week: Decimal
    start_date: date
    end_date: date | None
    reason: str


def _what(label: str, action: str, status: str) -> str:
    if label == "insert":
        return _("booked")
    return {
        "correct_placement": _("corrected"),
        "cancel_placement": _("cancelled"),
        "aftercare_ends_placement": _("ended by aftercare"),
        "aftercare": _("aftercare"),
        "durability_check": _("durability decided"),
    }.get(action) or (_("cancelled") if status == PlacementStatus.CANCELLED else _("changed"))


def placement_history(*, placement: Placement, limit: int = 50) -> list[HistoryLine]:
    """The placement's audit trail, newest first: the `PlacementEvent` rows with their context (the action and the
    reason the service recorded, and who acted). Two queries: the events with their context, and the names."""
    events = list(placement.events.select_related("pgh_context").order_by("-pgh_created_at", "-pgh_id")[:limit])
    metas = [event.pgh_context.metadata if event.pgh_context else {} for event in events]
    ids = {pk for pk in (int_or_none(str(meta.get("user", ""))) for meta in metas) if pk is not None}
    names = {user.pk: user.full_name for user in User.objects.filter(pk__in=ids)} if ids else {}
    lines = []
    for event, meta in zip(events, metas, strict=True):
        action = meta.get("action", "")
        reason = meta.get("reason") or ""
        if not reason and not action:
            reason = event.cancel_reason if event.status == PlacementStatus.CANCELLED else event.correction_reason
        user = int_or_none(str(meta.get("user", "")))
        lines.append(
            HistoryLine(
                at=event.pgh_created_at,
                what=_what(event.pgh_label, action, event.status),
                by=names.get(user, "") if user is not None else "",
                hours_per_week=event.hours_per_week,
                start_date=event.start_date,
                end_date=event.end_date,
                reason=reason,
            )
        )
    return lines
