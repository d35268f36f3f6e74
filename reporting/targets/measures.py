"""What a target counts (R-50, R-51, R-57): one queryset function per measure, returning the records it counts, so
the realised figure, a drill-down list and an export all come from the same records and can never disagree.

Every function takes the period (`first` .. `last`, local days, both included) and at most one target key:
`organisation`, `target_group`, `sector`, `adviser`. `MEASURES` says, per measure, which field dates a record,
which columns hold the key (for one grouped query over many targets, `reporting.targets.selectors`) and how a
record set becomes a number.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from employers.choices import ContactKind
from employers.models import ContactMoment, Employer
from matching.models import Placement
from reporting.measures.placements import booked_placements
from wsp.periods import local_midnight

from .choices import Measure, TargetStatus


def placements(*, first: date, last: date, organisation=None, target_group="", sector=None, adviser=None):
    """R-50: booked placements (cancelled ones left out) starting in the period, as `placement_stats` counts them
    (`reporting.measures.placements.booked_placements`): of the booking partner `organisation`, the target group and
    the employer's sector copied at booking (R-57: reproducible from the records), booked by `adviser`."""
    qs = booked_placements(first=first, last=last, organisation=organisation, sector=sector)
    if target_group:
        qs = qs.filter(target_group=target_group)
    if adviser is not None:
        qs = qs.filter(booked_by=adviser)
    return qs


def durable(**key) -> QuerySet[Placement]:
    """R-30, R-50: of those placements, the ones found durable."""
    return placements(**key).filter(is_durable=True)


def job_agreement_jobs(**key) -> QuerySet[Placement]:
    """R-31, R-50: of those placements, the job-agreement placements; the figure is the sum of their
    `job_agreement_jobs` (hours a week / 25.5)."""
    return placements(**key).filter(job_agreement=True)


def new_employers(*, first: date, last: date, organisation=None, target_group="", sector=None, adviser=None):
    """R-50 (ZKIJ plan 5.3, new employer relations): employers registered in the period (merged duplicates left out),
    by the adviser who registered them (`created_by`) or their organisation, in `sector`. Employers have no target
    group: with one, nothing is counted."""
    qs = Employer.objects.current().filter(created_at__gte=local_midnight(first), created_at__lt=_end(last))
    if target_group:
        return qs.none()
    if organisation is not None:
        qs = qs.filter(created_by__organisation=organisation)
    if sector is not None:
        qs = qs.filter(sector=sector)
    if adviser is not None:
        qs = qs.filter(created_by=adviser)
    return qs


def visits(*, first: date, last: date, organisation=None, target_group="", sector=None, adviser=None):
    """R-08, R-50 (ZKIJ plan 5.3, visits): contact moments of kind company visit in the period, by `adviser` or by
    the adviser's organisation at the time, at employers of `sector`. Visits have no target group: with one, nothing
    is counted."""
    qs = ContactMoment.objects.filter(
        kind=ContactKind.VISIT, occurred_at__gte=local_midnight(first), occurred_at__lt=_end(last)
    )
    if target_group:
        return qs.none()
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if sector is not None:
        qs = qs.filter(employer__sector=sector)
    if adviser is not None:
        qs = qs.filter(adviser=adviser)
    return qs


def _end(last: date):
    return local_midnight(last + timedelta(days=1))


@dataclass(frozen=True)
class MeasureSpec:
    records: Callable[..., QuerySet]
    # The field that dates a record, and whether it is a date (else a moment).
    day_field: str
    is_date: bool
    # Key -> the column holding it, for one grouped query over many targets.
    columns: dict[str, str]
    # The number a set of records gives.
    value: Callable[..., object]
    # Whether a target of this measure may be set per target group.
    has_target_group: bool
    # The figure of `reporting.measures.placements.placement_figures` that gives the same number from the months the
    # database keeps (for the keys those months hold: not an adviser).
    figure: str | None = None


_PLACEMENT_COLUMNS = {
    "organisation": "organisation_id",
    "target_group": "target_group",
    "sector": "sector_id",
    "adviser": "booked_by_id",
}


def _count(filter=None):
    return Count("id", filter=filter)


def _jobs(filter=None):
    return Sum("job_agreement_jobs", filter=filter)


MEASURES: dict[str, MeasureSpec] = {
    Measure.PLACEMENTS: MeasureSpec(placements, "start_date", True, _PLACEMENT_COLUMNS, _count, True, "placements"),
    Measure.DURABLE: MeasureSpec(durable, "start_date", True, _PLACEMENT_COLUMNS, _count, True, "durable"),
    Measure.JOB_AGREEMENT_JOBS: MeasureSpec(
        job_agreement_jobs, "start_date", True, _PLACEMENT_COLUMNS, _jobs, True, "job_agreement_jobs"
    ),
    Measure.NEW_EMPLOYERS: MeasureSpec(
        new_employers,
        "created_at",
        False,
        {"organisation": "created_by__organisation_id", "sector": "sector_id", "adviser": "created_by_id"},
        _count,
        False,
    ),
    Measure.VISITS: MeasureSpec(
        visits,
        "occurred_at",
        False,
        {"organisation": "organisation_id", "sector": "employer__sector_id", "adviser": "adviser_id"},
        _count,
        False,
    ),
}


def until(spec: MeasureSpec, day: date) -> Q:
    """Records dated on or before `day` (local)."""
    if spec.is_date:
        return Q(**{f"{spec.day_field}__lte": day})
    return Q(**{f"{spec.day_field}__lt": _end(day)})


def target_records(target) -> QuerySet:
    """R-50, R-57: the records a target's realised figure counts (its year, its measure, its key)."""
    spec = MEASURES[target.measure]
    return spec.records(
        first=date(target.year, 1, 1),
        last=date(target.year, 12, 31),
        organisation=target.organisation_id,
        target_group=target.target_group,
        sector=target.sector_id,
        adviser=target.adviser_id,
    )


# --- Forecast and status (R-50) --------------------------------------------------------------------------------------

AT_RISK_SHARE = Decimal("0.9")
ONE_DECIMAL = Decimal("0.1")


def forecast(*, year: int, realised: Decimal, today: date, last_year_total=None, last_year_to_date=None) -> Decimal:
    """R-50: the figure expected at year end at the current rate.

    - A past year is over: the forecast is what was realised. A year not yet begun has no rate: also the realised.
    - The running year, when last year has records for the same key up to the same date: realised / (the share of
      last year's total that had been realised by the same date last year), i.e. last year's monthly profile.
    - Otherwise straight on: realised / elapsed days of the year (today included) x days in the year.
    """
    realised = Decimal(realised or 0)
    if year != today.year:
        return realised.quantize(ONE_DECIMAL)
    if last_year_total and last_year_to_date:
        share = Decimal(last_year_to_date) / Decimal(last_year_total)
        return (realised / share).quantize(ONE_DECIMAL)
    elapsed = (today - date(year, 1, 1)).days + 1
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return (realised * days / elapsed).quantize(ONE_DECIMAL)


def status(*, forecast: Decimal, target: Decimal) -> str:
    """R-50: on_track when the forecast reaches the target, at_risk when it reaches 90% of it, behind otherwise."""
    if forecast >= target:
        return TargetStatus.ON_TRACK
    if forecast >= target * AT_RISK_SHARE:
        return TargetStatus.AT_RISK
    return TargetStatus.BEHIND


def status_label(status_value: str, *, year: int) -> str:
    """R-50 in words: a running year's status; for a year that has ended, whether its target was met (its forecast is
    what was realised)."""
    if year < timezone.localdate().year:
        return gettext("Achieved") if status_value == TargetStatus.ON_TRACK else gettext("Not achieved")
    return str(TargetStatus(status_value).label)


def same_day_last_year(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)
