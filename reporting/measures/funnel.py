"""The funnel from a vacancy's registration to a durable placement (R-43, R-57)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.choices import PlacementStatus
from matching.models import Placement, Referral
from vacancies.models import Vacancy
from wsp.errors import InvalidInput

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
# reproduced from its records, R-57): its count and the median of `days` (PostgreSQL's percentile_cont(0.5), the
# mean of the two middle values for an even number). Medians are in days with one decimal; null when nothing
# reached the stage. No candidate data is part of it: counts and days only.
#
# The request a record belongs to, its registration and the moments of invitation and hire are kept on each
# referral and placement by the database (`matching.moments`), so a period's funnel is read from two indexes
# (`referral_funnel`, `placement_funnel`) instead of joining every vacancy and every status change.

# The years a funnel may cover: outside them a day is a typing error (and beyond 9999 no calendar goes).
FUNNEL_YEARS = (2000, 2100)
FUNNEL_STAGES = ("registered", "proposed", "invited", "hired", "booked", "durable")


class Median(Aggregate):
    """The median of a numeric expression: PostgreSQL's percentile_cont(0.5), NULLs left out."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days(later, earlier) -> Func:
    """Days (fractional) from one moment to a later one, in SQL: a float (date_part; EXTRACT gives a numeric, which
    a median over half a million referrals sorts twice as slowly)."""
    return Func(
        later, earlier, template="date_part('epoch', %(expressions)s) / 86400.0", arg_joiner=" - ",
        output_field=FloatField(),
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
        TruncDate("booked_at"),
        template="GREATEST(0, (%(expressions)s) + 1)::float8",
        arg_joiner=" - ",
        output_field=FloatField(),
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


def _median(value) -> float | None:
    return None if value is None else round(float(value), 1)


def referral_funnel(*, date_from: date, date_to: date, organisation=None, sector=None) -> Funnel:
    """R-43: the funnel from registration of the vacancies registered in the period (see above): per stage its
    count and the median days from the previous stage, and the proposals per hire. Three queries, whatever the
    data: the cohort, its referrals' stages and its placements' stages, each stage's figure filtered exactly as its
    records in `funnel_querysets` are."""
    records = _funnel_records(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    stages = [FunnelStage(stage="registered", count=records["registered"].count(), median_days=None)]
    for names, base in ((_OF_REFERRALS, records["referrals"]), (_OF_PLACEMENTS, records["placements"])):
        aggregates = {}
        for name in names:
            reached = _REACHED[name] or None
            aggregates[f"{name}_count"] = Count("pk", filter=reached)
            aggregates[f"{name}_median"] = Median(_DAYS[name](), filter=reached)
        figures = base.aggregate(**aggregates)
        stages += [
            FunnelStage(stage=name, count=figures[f"{name}_count"], median_days=_median(figures[f"{name}_median"]))
            for name in names
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
