"""Placement figures (R-50, R-55, R-57): booked placements counted by start date, grouped so that the rows add up
exactly to the total. One query for the rows; the total is their sum.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter

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
from wsp.periods import month_of, whole_months

from .cells import merge_small

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


@dataclass(slots=True)
class StatsRow:
    key: str | int | None
    label: str
    placements: int = 0
    durable: int = 0
    # job-agreement jobs (hours / 25.5), in total and split by market and government employers.
    job_agreement_jobs: Decimal = ZERO_JOBS
    job_agreement_jobs_market: Decimal = ZERO_JOBS
    job_agreement_jobs_government: Decimal = ZERO_JOBS
    # the row of the cells too small to show an organisation token, merged (its records are not listed).
    merged: bool = False


@dataclass
class PlacementStats:
    group_by: str
    year: int
    quarter: int | None
    total: StatsRow
    results: Sequence[StatsRow] = field(default_factory=list)
    suppressed: bool = False  # cells under 5 placements merged (for an organisation token)


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


def period_of(group_by: str, year, quarter) -> tuple[int, int | None]:
    """The year and quarter of a figures query (this year by default), or a 400 naming the field."""
    return _validate(group_by, year, quarter)


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


class EmployerRows(Sequence):
    """The rows per employer as the database writes them: (employer id, name, placements, durable, the three job
    figures as text with three decimals, the name in lower case), most placements first, then by name. A year has
    some 35,000: the API writes them in one pass from these tuples (`reporting.api.stats.written_rows`); read one by
    one, each is a `StatsRow`."""

    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(row) for row in self.rows[index]]
        return self._row(self.rows[index])

    @staticmethod
    def _row(row: tuple) -> StatsRow:
        key, name, placements, durable, *jobs, _sort_name = row
        return StatsRow(key, name, placements, durable, *(Decimal(value) for value in jobs))


def _per_employer(*, first: date, last: date, organisation=None) -> EmployerRows:
    """The figures per employer: employers are no key of the months, so counted from the placements, read in
    employer order from their index `placement_booked_employer` (grouped as they stream by, no hashing of a year's
    placements) before the employers' names are joined; the job figures written by the database."""
    grouped = (
        booked_placements(first=first, last=last, organisation=organisation)
        .values("employer_id")
        .annotate(**_figures(None, "job_agreement_jobs"))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    jobs = ", ".join(f"COALESCE(g.figure_{name}, 0)::numeric(12, 3)::text" for name in FIGURES[2:])
    with transaction.atomic(), connection.cursor() as cursor:
        # The names joined by hashing 35,000 groups in memory (the default 4 MB sends them to disk in batches). Only
        # here: more memory for every query makes the planner hash half a million contact moments for the coverage.
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(
            f"SELECT g.employer_id, COALESCE(NULLIF(e.name, ''), e.id::text), g.figure_placements, g.figure_durable, "
            f"{jobs}, lower(e.name) FROM ({sql}) g JOIN {Employer._meta.db_table} e ON e.id = g.employer_id",
            params,
        )
        rows = cursor.fetchall()
    # As `placement_stats` sorts the other groups: most placements first, then by name and key (two stable sorts on
    # columns: a key function per row cost 30 ms).
    rows.sort(key=itemgetter(-1, 0))
    rows.sort(key=itemgetter(2), reverse=True)
    return EmployerRows(rows)


def placement_records(*, group_by: str, key, year=None, quarter=None, organisation=None) -> QuerySet[Placement]:
    """R-57: the booked placements one row of `placement_stats` counted (`key` as the row gives it: a target group
    code, an id, a month as YYYY-MM; empty: the placements without a sector). Newest first."""
    year, quarter = _validate(group_by, year, quarter)
    first, last = period_days(year, quarter)
    qs = booked_placements(first=first, last=last, organisation=organisation).order_by("-pk")
    column = _GROUP_COLUMNS[group_by][0]
    if key in (None, ""):
        # Only a sector can be unknown: a placement always has its target group, partner, employer and start date.
        return qs.filter(sector__isnull=True) if group_by == "sector" else qs.none()
    if group_by == "month":
        start, after = month_of(key)
        return qs.filter(start_date__gte=start, start_date__lt=after)
    if column.endswith("_id"):
        key = int_or_none(key)
        if key is None:
            message = _("Unknown key.")
            raise InvalidInput(message, code="invalid", fields={"key": [message]})
    return qs.filter(**{column: key})


def placement_stats(
    *, group_by: str, year=None, quarter=None, user=None, organisation=None, for_token=False
) -> PlacementStats:
    """Placement figures per target group, sector, partner organisation, employer or month (R-50, R-55).

    Counted from booked placements, cancelled ones left out, by start date in the year (or quarter) (R-50); the
    target group, sector and employer type are the ones copied at booking, so a figure is reproducible from its
    records (R-57). `durable` counts placements found durable (R-30); job-agreement jobs are hours / 25.5 (R-31),
    also split by market and government employer. The total is the sum of the rows, so the rows add up to it
    exactly. One query (labels of sectors, organisations and employers are joined into it). For an organisation
    token (`for_token`) the rows of fewer than 5 placements are merged into one (R-40), left out when it is under 5
    too; the total is then the sum of the rows shown.
    """
    year, quarter = _validate(group_by, year, quarter)
    first, last = period_days(year, quarter)
    key_column, name_column = _GROUP_COLUMNS[group_by]
    columns = (key_column,) + ((name_column,) if name_column else ())
    total = None
    if group_by == "employer":
        results = _per_employer(first=first, last=last, organisation=organisation)
        # The same placements' total from the months (the rows are sorted already; a test holds the two equal).
        total = StatsRow(
            key=None, label=_("Total"), **placement_figures(first=first, last=last, organisation=organisation)[()]
        )
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
    elif group_by in ("sector", "organisation"):
        results.sort(key=lambda r: (-r.placements, r.label.lower(), str(r.key)))
    suppressed = False
    if for_token:
        results, suppressed = merge_small(list(results), lambda row: row.placements, _merged)
    if total is None or suppressed:
        total = _total(results)
    return PlacementStats(
        group_by=group_by, year=year, quarter=quarter, total=total, results=results, suppressed=suppressed
    )


def _sum(rows: list[StatsRow], **fields) -> StatsRow:
    """One row of the sums of `rows`' figures (a column at a time: 35,000 rows per employer in a year)."""
    return StatsRow(
        placements=sum(row.placements for row in rows),
        durable=sum(row.durable for row in rows),
        job_agreement_jobs=sum((row.job_agreement_jobs for row in rows), ZERO_JOBS),
        job_agreement_jobs_market=sum((row.job_agreement_jobs_market for row in rows), ZERO_JOBS),
        job_agreement_jobs_government=sum((row.job_agreement_jobs_government for row in rows), ZERO_JOBS),
        **fields,
    )


def _total(rows: list[StatsRow]) -> StatsRow:
    return _sum(rows, key=None, label=_("Total"))


def _merged(rows: list[StatsRow]) -> StatsRow:
    return _sum(rows, key=None, label=_("Smaller groups together"), merged=True)
