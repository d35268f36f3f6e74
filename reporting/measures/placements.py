"""Placement figures (R-50, R-55, R-57): booked placements counted by start date, grouped so that the rows add up
exactly to the total. One query for the rows; the total is their sum.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from employers.choices import EmployerType
from employers.models import Employer
from matching.choices import PlacementStatus, TargetGroup
from matching.models import Placement, PlacementMonth
from wsp.errors import InvalidInput
from wsp.inputs import int_or_none
from wsp.periods import whole_months

# --- Figures (R-50, R-55, R-57) ----------------------------------------------------------------------------------

STATS_GROUPS = ("target_group", "sector", "organisation", "employer", "month")
# group_by -> the columns of the one query: the key and, where it lives in another table, its label.
_GROUP_COLUMNS = {
    "target_group": ("target_group", None),
    "sector": ("sector_id", "sector__name"),
    "organisation": ("organisation_id", "organisation__name"),
    "employer": ("employer_id", "employer__name"),
    "month": ("month", None),
}
ZERO_JOBS = Decimal("0.000")


@dataclass
class StatsRow:
    key: str | int | None
    label: str
    placements: int = 0
    durable: int = 0
    # job-agreement jobs (hours / 25.5), in total and split by market and government employers.
    job_agreement_jobs: Decimal = ZERO_JOBS
    job_agreement_jobs_market: Decimal = ZERO_JOBS
    job_agreement_jobs_government: Decimal = ZERO_JOBS

    def add(self, other: "StatsRow") -> None:
        self.placements += other.placements
        self.durable += other.durable
        self.job_agreement_jobs += other.job_agreement_jobs
        self.job_agreement_jobs_market += other.job_agreement_jobs_market
        self.job_agreement_jobs_government += other.job_agreement_jobs_government


@dataclass
class PlacementStats:
    group_by: str
    year: int
    quarter: int | None
    total: StatsRow
    results: list[StatsRow] = field(default_factory=list)


def period_days(year: int, quarter: int | None) -> tuple[date, date]:
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, last - timedelta(days=1)


def _validate(group_by: str, year, quarter) -> tuple[int, int | None]:
    errors: dict[str, list[str]] = {}
    if group_by not in STATS_GROUPS:
        errors["group_by"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(STATS_GROUPS)}]
    # ASCII digits only (`wsp.inputs.int_or_none`): "²" or "٢٠٢٦" are no year anyone typed.
    year = int_or_none(year) if year not in (None, "") else timezone.localdate().year
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = [_("Enter a year, such as 2025.")]
    quarter = int_or_none(quarter) if quarter not in (None, "") else 0
    if quarter is None or not 0 <= quarter <= 4:
        errors["quarter"] = [_("Enter a quarter from 1 to 4.")]
    quarter = quarter or None
    if errors:
        code = "invalid_group_by" if "group_by" in errors else "invalid"
        raise InvalidInput(_("These figures cannot be grouped or filtered that way."), code=code, fields=errors)
    return year, quarter


def _label(group_by: str, key, name: str | None) -> str:
    if group_by == "target_group":
        return str(TargetGroup(key).label) if key in TargetGroup.values else str(key)
    if group_by == "month":
        return formats.date_format(key, "YEAR_MONTH_FORMAT")
    if key is None:
        return _("No sector known") if group_by == "sector" else _("Unknown")
    return name or str(key)


def booked_placements(*, first: date, last: date, organisation=None, sector=None) -> QuerySet[Placement]:
    """R-50, R-57: the records the placement figures count: booked placements (cancelled ones left out) starting
    from `first` to `last` (both included), of the booking partner `organisation` and the sector copied at booking."""
    qs = Placement.objects.filter(status=PlacementStatus.BOOKED, start_date__gte=first, start_date__lte=last)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if sector is not None:
        qs = qs.filter(sector=sector)
    return qs


# --- Figures of a period from the months the database keeps (matching.summaries) ---------------------------------

FIGURES = ("placements", "durable", "job_agreement_jobs", "job_agreement_jobs_market", "job_agreement_jobs_government")


def _figures(counted: str | None, jobs: str) -> dict:
    """The five figures as aggregates: over placements (`counted` None: one per record) or over months (`counted`:
    the column holding the number)."""

    def number(filter=None):
        return Count("id", filter=filter) if counted is None else Sum(counted, filter=filter)

    aggregates = (
        number(),
        number(Q(is_durable=True)),
        Sum(jobs),
        Sum(jobs, filter=Q(employer_type=EmployerType.MARKET)),
        Sum(jobs, filter=Q(employer_type=EmployerType.GOVERNMENT)),
    )
    # Named apart from the months' columns of the same name.
    return {f"figure_{name}": aggregate for name, aggregate in zip(FIGURES, aggregates, strict=True)}


# Grouping by time: the same key from a month's row and from a placement's start date.
_TIME_KEYS = {
    "month": (F("month"), TruncMonth("start_date")),
    "year": (ExtractYear("month"), ExtractYear("start_date")),
}


def placement_figures(
    *, first: date, last: date, by=(), organisation=None, sector=None, target_group="", **filters
) -> dict[tuple, dict]:
    """R-50, R-55, R-57: the placement figures of the booked placements starting from `first` to `last` (both
    included), exactly as counting `booked_placements` would give them, per key `by` (column names shared by
    placements and their months, plus `month` and `year`): the whole months from `PlacementMonth` (kept exact by
    the database, `matching.summaries`), the days of a month begun or not ended from the placements themselves. At
    most three queries of at most a few thousand rows, whatever the number of placements.

    Returns {key tuple: {figure: value}} with every figure of `FIGURES`; without `by`, the one key `()`."""
    where = {"organisation": organisation, "sector": sector, **filters}
    where = {name: value for name, value in where.items() if value is not None}
    if target_group:
        where["target_group"] = target_group
    time_keys = {name: _TIME_KEYS[name] for name in by if name in _TIME_KEYS}
    sources = []
    months = whole_months(first, last)
    if months is None:
        days = [(first, last)]
    else:
        start, end = months
        summary = PlacementMonth.objects.filter(month__gte=start, month__lt=end, **where)
        summary = summary.annotate(**{name: pair[0] for name, pair in time_keys.items() if name != "month"})
        sources.append((summary, _figures("placements", "job_agreement_jobs")))
        days = [(first, start - timedelta(days=1)), (end, last)]
    for day_from, day_to in days:
        if day_from <= day_to:
            records = booked_placements(first=day_from, last=day_to).filter(**where)
            records = records.annotate(**{name: pair[1] for name, pair in time_keys.items()})
            sources.append((records, _figures(None, "job_agreement_jobs")))
    zeros = {name: 0 if name in FIGURES[:2] else ZERO_JOBS for name in FIGURES}
    found: dict[tuple, dict] = {} if by else {(): dict(zeros)}
    for qs, aggregates in sources:
        rows = qs.values(*by).annotate(**aggregates).order_by() if by else [qs.aggregate(**aggregates)]
        for row in rows:
            key = tuple(row[name] for name in by)
            totals = found.setdefault(key, dict(zeros))
            for name in FIGURES:
                totals[name] += row[f"figure_{name}"] or 0
    for totals in found.values():
        for name in FIGURES[2:]:
            totals[name] = Decimal(totals[name]).quantize(ZERO_JOBS)
    return found


def _per_employer(*, first: date, last: date, organisation=None) -> list[StatsRow]:
    """The figures per employer: employers are no key of the months, so counted from the placements (read from their
    covering index), grouped by employer before the employers' names are joined (a year has some 35,000 employers
    with a placement; joining first would hash every placement with its employer's name)."""
    grouped = (
        booked_placements(first=first, last=last, organisation=organisation)
        .values("employer_id")
        .annotate(**_figures(None, "job_agreement_jobs"))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    figures = ", ".join(f"g.figure_{name}" for name in FIGURES)
    with transaction.atomic(), connection.cursor() as cursor:
        # 35,000 groups hashed in memory (the default 4 MB sends them to disk in batches). Only here: more memory for
        # every query makes the planner hash half a million contact moments for the coverage instead.
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(
            f"SELECT g.employer_id, e.name, {figures} FROM ({sql}) g JOIN {Employer._meta.db_table} e "
            "ON e.id = g.employer_id",
            params,
        )
        return [
            StatsRow(key, name or str(key), n, durable, jobs or ZERO_JOBS, market or ZERO_JOBS, government or ZERO_JOBS)
            for key, name, n, durable, jobs, market, government in cursor.fetchall()
        ]


def placement_stats(*, group_by: str, year=None, quarter=None, user=None, organisation=None) -> PlacementStats:
    """Placement figures per target group, sector, partner organisation, employer or month (R-50, R-55).

    Counted from booked placements, cancelled ones left out, by start date in the year (or quarter) (R-50); the
    target group, sector and employer type are the ones copied at booking, so a figure is reproducible from its
    records (R-57). `durable` counts placements found durable (R-30); job-agreement jobs are hours / 25.5 (R-31),
    also split by market and government employer. The total is the sum of the rows, so the rows add up to it
    exactly. One query (labels of sectors, organisations and employers are joined into it).
    """
    year, quarter = _validate(group_by, year, quarter)
    first, last = period_days(year, quarter)
    key_column, name_column = _GROUP_COLUMNS[group_by]
    columns = (key_column,) + ((name_column,) if name_column else ())
    if group_by == "employer":
        results = _per_employer(first=first, last=last, organisation=organisation)
    else:
        figures = placement_figures(first=first, last=last, by=columns, organisation=organisation)
        results = []
        for key, *name in sorted(figures, key=lambda columns: (columns[0] is None, columns[0] or 0)):
            row = figures[(key, *name)]
            results.append(
                StatsRow(
                    key=key.strftime("%Y-%m") if group_by == "month" else key,
                    label=_label(group_by, key, name[0] if name else None),
                    placements=row["placements"],
                    durable=row["durable"],
                    **{jobs: row[jobs] or ZERO_JOBS for jobs in FIGURES[2:]},
                )
            )
    if group_by == "target_group":
        order = {value: index for index, value in enumerate(TargetGroup.values)}
        results.sort(key=lambda r: order.get(r.key, len(order)))
    elif group_by in ("sector", "organisation", "employer"):
        results.sort(key=lambda r: (-r.placements, r.label.lower(), str(r.key)))
    total = StatsRow(key=None, label=_("Total"))
    for row in results:
        total.add(row)
    return PlacementStats(group_by=group_by, year=year, quarter=quarter, total=total, results=results)
