"""Placement figures (R-50, R-55, R-57): booked placements counted by start date, grouped so that the rows add up
exactly to the total. One query for the rows; the total is their sum.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from employers.choices import EmployerType
from matching.choices import PlacementStatus, TargetGroup
from matching.models import Placement
from wsp.errors import InvalidInput
from wsp.inputs import int_or_none

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
    qs = booked_placements(first=first, last=last, organisation=organisation)
    if group_by == "month":
        qs = qs.annotate(month=TruncMonth("start_date"))
    columns = [key_column] + ([name_column] if name_column else [])
    rows = (
        qs.values(*columns)
        .annotate(
            n=Count("id"),
            n_durable=Count("id", filter=Q(is_durable=True)),
            jobs=Sum("job_agreement_jobs"),
            jobs_market=Sum("job_agreement_jobs", filter=Q(employer_type=EmployerType.MARKET)),
            jobs_government=Sum("job_agreement_jobs", filter=Q(employer_type=EmployerType.GOVERNMENT)),
        )
        .order_by(key_column)
    )
    results = []
    for row in rows:
        key = row[key_column]
        results.append(
            StatsRow(
                key=key.strftime("%Y-%m") if group_by == "month" else key,
                label=_label(group_by, key, row.get(name_column) if name_column else None),
                placements=row["n"],
                durable=row["n_durable"],
                job_agreement_jobs=row["jobs"] or ZERO_JOBS,
                job_agreement_jobs_market=row["jobs_market"] or ZERO_JOBS,
                job_agreement_jobs_government=row["jobs_government"] or ZERO_JOBS,
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
