"""The funnel from a vacancy's registration to a durable placement (R-43, R-57)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.choices import PlacementStatus, ReferralStatus
from matching.models import Placement, Referral, ReferralStatusChange
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
# reproduced from its records, R-57) and one query: its count and the median of `days` (PostgreSQL's
# percentile_cont(0.5), the mean of the two middle values for an even number). Medians are in days with one
# decimal; null when nothing reached the stage. No candidate data is part of it: counts and days only.

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
    """Days (fractional) from one moment to a later one, in SQL."""
    return Func(
        later, earlier, template="EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0", arg_joiner=" - ",
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


def _of_cohort(cohort_ids, prefix: str = "vacancy__") -> Q:
    """Records on a request of the cohort, on a co-production partner's vacancy under it (R-19), or on a duplicate of
    either (R-25)."""
    return (
        Q(**{f"{prefix}id__in": cohort_ids})
        | Q(**{f"{prefix}parent_id__in": cohort_ids})
        | Q(**{f"{prefix}duplicated_from_id__in": cohort_ids})
        | Q(**{f"{prefix}duplicated_from__parent_id__in": cohort_ids})
    )


def _request_registered_at() -> Coalesce:
    """When the employer's request a record belongs to was registered: the original's, the co-production's own."""
    return Coalesce(
        F("vacancy__duplicated_from__parent__registered_at"),
        F("vacancy__duplicated_from__registered_at"),
        F("vacancy__parent__registered_at"),
        F("vacancy__registered_at"),
    )


def funnel_querysets(*, date_from: date, date_to: date, organisation=None, sector=None) -> dict[str, QuerySet]:
    """R-43, R-57: per stage, the records its figure counts, each annotated with `days` from the previous stage
    (not for `registered`). Nothing is evaluated here."""
    cohort = funnel_cohort(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    cohort_ids = cohort.values("pk")
    # A hire carried over to a partner's duplicate is the same proposal and hire as its original entry.
    carried_over = Referral.objects.filter(
        vacancy_id=OuterRef("vacancy__duplicated_from_id"), candidate_id=OuterRef("candidate_id")
    )
    referrals = Referral.objects.filter(_of_cohort(cohort_ids)).exclude(Exists(carried_over))
    invited_at = Min(
        "changes__changed_at", filter=Q(changes__to_status__in=[ReferralStatus.INVITED, ReferralStatus.HIRED])
    )
    hired_at = Min("changes__changed_at", filter=Q(changes__to_status=ReferralStatus.HIRED))
    # The hire a placement comes from: on the vacancy itself, or for a partner's duplicate on its original.
    hire = (
        ReferralStatusChange.objects.filter(
            to_status=ReferralStatus.HIRED,
            referral__candidate_id=OuterRef("candidate_id"),
            referral__vacancy_id=Coalesce(OuterRef("vacancy__duplicated_from_id"), OuterRef("vacancy_id")),
        )
        .order_by("changed_at")
        .values("changed_at")[:1]
    )
    placements = Placement.objects.filter(status=PlacementStatus.BOOKED).filter(_of_cohort(cohort_ids))
    # Durable from the day after `durable_after`; in whole days from the local day of the booking.
    durable_on = Func(
        F("durable_after"), TruncDate("booked_at"), template="GREATEST(0, (%(expressions)s) + 1)::float8",
        arg_joiner=" - ", output_field=FloatField(),
    )  # fmt: skip
    return {
        "registered": cohort,
        "proposed": referrals.annotate(days=_days(F("referred_at"), _request_registered_at())),
        "invited": referrals.annotate(moment=invited_at)
        .filter(moment__isnull=False)
        .annotate(days=_days(F("moment"), F("referred_at"))),
        "hired": referrals.annotate(moment=hired_at, previous=invited_at)
        .filter(moment__isnull=False)
        .annotate(days=_days(F("moment"), F("previous"))),
        "booked": placements.annotate(days=_days(F("booked_at"), Subquery(hire))),
        "durable": placements.filter(is_durable=True).annotate(days=durable_on),
    }


def _median(value) -> float | None:
    return None if value is None else round(float(value), 1)


def referral_funnel(*, date_from: date, date_to: date, organisation=None, sector=None) -> Funnel:
    """R-43: the funnel from registration of the vacancies registered in the period (see above): per stage its
    count and the median days from the previous stage, and the proposals per hire. Six queries, whatever the
    data: one per stage."""
    stages = []
    for name, records in funnel_querysets(
        date_from=date_from, date_to=date_to, organisation=organisation, sector=sector
    ).items():
        if name == "registered":
            stages.append(FunnelStage(stage=name, count=records.count(), median_days=None))
            continue
        figure = records.aggregate(count=Count("pk"), median=Median("days"))
        stages.append(FunnelStage(stage=name, count=figure["count"], median_days=_median(figure["median"])))
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
