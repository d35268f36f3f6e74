"""The funnel from a vacancy's registration to a durable placement (R-43, R-57)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, Func, IntegerField, Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.choices import PlacementStatus
from matching.models import FunnelCell, Placement, Referral
from matching.summaries import ZONE
from vacancies.models import Vacancy
from wsp.errors import InvalidInput
from wsp.periods import whole_months

# --- Funnel (R-43) -----------------------------------------------------------------------------------------------
#
# The chain from a vacancy's registration to a durable placement, for the employers' requests registered in a period
# (a cohort), so drop-off and the time each step takes can be read (R-43, the APK chain analysis):
#
#   registered  the employers' requests registered in the period: vacancies that are neither a chain partner's
#               vacancy in a co-production (R-19, `parent` set) nor a partner's duplicate: one request of 12
#               people is one registered vacancy, however many partners work on it;
#   proposed    the candidates proposed on them, on the co-production partners' vacancies under them and on the
#               duplicates made of them (a hire carried over to a duplicate is the original's proposal, not a new
#               one), days from the request's registration;
#   invited     of those, the ones invited (or hired straight away), days from the proposal;
#   hired       of those, the ones hired, days from the invitation (0 when hired without one). A hire that fell
#               through and was withdrawn (`hired -> withdrawn`) was hired: it counts here, and not as booked;
#   booked      the placements booked from those hires, on the request, a partner's vacancy under it or a duplicate
#               one hire, one placement), days from the hire;
#   durable     of those, the ones that became durable, days from the booking to the day it counted as
#               durable (0 when it was booked later).
#
# `organisation` is the request's organisation (the original vacancy's) and `sector` its employer's sector (R-19: a
# co-production stays under the same employer); the partners' work on a request counts with it.
#
# Each figure is one queryset (`funnel_querysets`: the records it counts, each with its `days`, so a figure can be
# reproduced from its records, R-57): its count and the median of `days` (as PostgreSQL's percentile_cont(0.5): the
# mean of the two middle values for an even number), null when nothing reached the stage. Days are local calendar
# days ("registered on Monday, proposed on Thursday": 3), as the durable step always was. No candidate data is part
# of it: counts and days only.
#
# The request a record belongs to, its registration and the moments of invitation and hire are kept on each
# referral and placement by the database (`matching.moments`), and so are, per month of registration, organisation
# and sector, the number of records per stage and days (`matching.summaries`, `FunnelCell`): a period of whole months
# is read from those cells (a year: a few ten thousand rows instead of half a million referrals sorted three times);
# the days of a month begun or not ended from the records, through two covering indexes (`referral_funnel`,
# `placement_funnel`).

# The years a funnel may cover: outside them a day is a typing error (and beyond 9999 no calendar goes).
FUNNEL_YEARS = (2000, 2100)
FUNNEL_STAGES = ("registered", "proposed", "invited", "hired", "booked", "durable")


def _local_day(moment) -> Func:
    return Func(moment, template=f"(%(expressions)s AT TIME ZONE '{ZONE}')::date", output_field=DateField())


def _days(later, earlier) -> Func:
    """Calendar days (local) from one moment to a later one, in SQL; null when either is unknown. The same days the
    database counts in the funnel's cells (`matching.summaries.calendar_days`)."""
    return Func(
        _local_day(later), _local_day(earlier), template="(%(expressions)s)", arg_joiner=" - ",
        output_field=IntegerField(),
    )  # fmt: skip


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    count: int
    median_days: float | None  # from the previous stage; None for `registered` and when nobody reached the stage


@dataclass
class Funnel:
    """The funnel of the vacancies registered from `date_from` to `date_to` (both included), R-43."""

    date_from: date
    date_to: date
    organisation_id: int | None
    sector_id: int | None
    stages: list[FunnelStage]
    proposals_per_hire: Decimal | None  # the region's benchmark is 4 (Midden-Gelderland plan)

    def stage(self, name: str) -> FunnelStage:
        return next(stage for stage in self.stages if stage.stage == name)

    def counts(self) -> list[tuple[str, int]]:
        return [(stage.stage, stage.count) for stage in self.stages]


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    first, last = FUNNEL_YEARS
    wrong = [name for name, day in (("date_from", date_from), ("date_to", date_to)) if not first <= day.year <= last]
    if wrong:
        message = _("Choose a day in the years %(first)d to %(last)d.") % {"first": first, "last": last}
        raise InvalidInput(message, code="invalid", rule="R-43", fields={name: [message] for name in wrong})
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def funnel_cohort(*, date_from: date, date_to: date, organisation=None, sector=None) -> QuerySet[Vacancy]:
    """The employers' requests registered in the period (local days, both included): no co-production partner's
    vacancy (R-19) and no partner's duplicate (R-25); `organisation` = the vacancy's (its owner's) organisation,
    `sector` = the employer's sector. Days outside FUNNEL_YEARS are refused (400)."""
    start, end = _bounds(date_from, date_to)
    cohort = Vacancy.objects.filter(
        registered_at__gte=start, registered_at__lt=end, duplicated_from__isnull=True, parent__isnull=True
    )
    if organisation is not None:
        cohort = cohort.filter(organisation=organisation)
    if sector is not None:
        cohort = cohort.filter(employer__sector=sector)
    return cohort


def _requests_of(records: QuerySet, start: datetime, end: datetime, cohort: QuerySet | None) -> QuerySet:
    """Records on the requests registered from `start` to `end`, by the request the database keeps on each record
    (`matching.moments`: the vacancy itself, its co-production or a duplicate's original, R-19, R-25); with an
    organisation or a sector, on the requests of the `cohort` (a semi-join on its index, not a join of every
    vacancy)."""
    records = records.filter(request__isnull=False, request_registered_at__gte=start, request_registered_at__lt=end)
    return records if cohort is None else records.filter(request__in=cohort.values("pk"))


# Per stage after `registered`: which of the period's referrals or booked placements reached it, and its days from
# the previous stage. Durable from the day after `durable_after`, in whole days from the local day of the
# booking (0 when it was booked later).
_REACHED = {
    "proposed": Q(),
    "invited": Q(invited_at__isnull=False),
    "hired": Q(hired_at__isnull=False),
    "booked": Q(),
    "durable": Q(is_durable=True),
}
_DAYS = {
    "proposed": lambda: _days(F("referred_at"), F("request_registered_at")),
    "invited": lambda: _days(F("invited_at"), F("referred_at")),
    "hired": lambda: _days(F("hired_at"), F("invited_at")),
    "booked": lambda: _days(F("booked_at"), F("hired_at")),
    "durable": lambda: Func(
        F("durable_after"),
        _local_day(F("booked_at")),
        template="GREATEST(0, (%(expressions)s) + 1)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    ),  # fmt: skip
}
_OF_REFERRALS = ("proposed", "invited", "hired")
_OF_PLACEMENTS = ("booked", "durable")


def _funnel_records(*, date_from: date, date_to: date, organisation=None, sector=None) -> dict[str, QuerySet]:
    """The cohort, and the referrals (a hire carried over to a duplicate is its original's proposal, not a new one)
    and booked placements on its requests."""
    start, end = _bounds(date_from, date_to)
    referrals = Referral.objects.filter(carried_over=False)
    placements = Placement.objects.filter(status=PlacementStatus.BOOKED)
    cohort = funnel_cohort(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    narrowed = None if organisation is None and sector is None else cohort
    return {
        "registered": cohort,
        "referrals": _requests_of(referrals, start, end, narrowed),
        "placements": _requests_of(placements, start, end, narrowed),
    }


def funnel_querysets(*, date_from: date, date_to: date, organisation=None, sector=None) -> dict[str, QuerySet]:
    """R-43, R-57: per stage, the records its figure counts, each annotated with `days` from the previous stage
    (not for `registered`). Nothing is evaluated here."""
    records = _funnel_records(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    stages = {"registered": records["registered"]}
    for names, base in ((_OF_REFERRALS, records["referrals"]), (_OF_PLACEMENTS, records["placements"])):
        for name in names:
            stages[name] = base.filter(_REACHED[name]).annotate(days=_DAYS[name]())
    return stages


def _median(days: Counter) -> float | None:
    """The median of the days counted in `days` (days -> records; unknown days left out): the middle value, or the
    mean of the two middle values for an even number (PostgreSQL's percentile_cont(0.5)); None when none is known."""
    known = sorted((value, n) for value, n in days.items() if value is not None and n)
    total = sum(n for _value, n in known)
    if not total:
        return None
    wanted, found, seen = ((total - 1) // 2, total // 2), [], 0
    for value, n in known:
        while len(found) < 2 and seen + n > wanted[len(found)]:
            found.append(value)
        seen += n
    return round((found[0] + found[1]) / 2, 1)


def _stage_days(*, date_from: date, date_to: date, organisation=None, sector=None) -> dict[str, Counter]:
    """Per stage after `registered`: how many records reached it after how many days. The whole months of the period
    from the cells the database keeps (`matching.summaries`: one query), the days of a month begun or not ended from
    the records themselves (`funnel_querysets`: one query for all stages)."""
    found = {name: Counter() for name in _OF_REFERRALS + _OF_PLACEMENTS}
    months = whole_months(date_from, date_to)
    edges = [(date_from, date_to)]
    if months is not None:
        start, end = months
        edges = [(date_from, start - timedelta(days=1)), (end, date_to)]
        cells = FunnelCell.objects.filter(month__gte=start, month__lt=end)
        if organisation is not None:
            cells = cells.filter(organisation=organisation)
        if sector is not None:
            cells = cells.filter(sector=sector)
        for row in cells.values("stage", "days").annotate(n=Sum("records")).order_by():
            found[row["stage"]][row["days"]] += row["n"]
    for first, last in edges:
        if first > last:
            continue
        stages = funnel_querysets(date_from=first, date_to=last, organisation=organisation, sector=sector)
        per_stage = [
            stages[name].values("days").annotate(n=Count("pk"), stage=Value(name)).values("stage", "days", "n")
            for name in found
        ]
        for row in per_stage[0].union(*per_stage[1:], all=True):
            found[row["stage"]][row["days"]] += row["n"]
    return found


def referral_funnel(*, date_from: date, date_to: date, organisation=None, sector=None) -> Funnel:
    """R-43: the funnel from registration of the vacancies registered in the period (see above): per stage its
    count and the median days from the previous stage, and the proposals per hire. Two queries for whole months,
    whatever the data (the cohort, and the cells of its stages), one more for the days of a month begun and one for
    those of a month not ended. Each stage's figure is what its records in `funnel_querysets` give."""
    cohort = funnel_cohort(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    stages = [FunnelStage(stage="registered", count=cohort.count(), median_days=None)]
    found = _stage_days(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    stages += [
        FunnelStage(stage=name, count=sum(days.values()), median_days=_median(days)) for name, days in found.items()
    ]
    counts = dict((stage.stage, stage.count) for stage in stages)
    per_hire = None
    if counts["hired"]:
        per_hire = (Decimal(counts["proposed"]) / counts["hired"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Funnel(
        date_from=date_from,
        date_to=date_to,
        organisation_id=getattr(organisation, "pk", organisation),
        sector_id=getattr(sector, "pk", sector),
        stages=stages,
        proposals_per_hire=per_hire,
    )
