"""Reads of reporting.targets (R-50, R-52): targets with their realisation, forecast and status, and coverage."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from accounts.models import Sector
from employers.models import ContactMoment, Employer
from reporting.measures.placements import placement_figures
from wsp.periods import local_midnight

from .choices import TargetKey
from .measures import MEASURES, forecast, same_day_last_year, status, until
from .models import SectorEmployerCount, Target

KEY_FIELDS = {
    TargetKey.TARGET_GROUP: ("organisation", "target_group"),
    TargetKey.SECTOR: ("organisation", "sector"),
    TargetKey.ADVISER: ("adviser",),
}


def targets_list(*, year=None, measure=None, organisation=None):
    """Targets, filtered; organisation, sector, adviser and changes come with them (two queries)."""
    qs = Target.objects.for_list()
    if year is not None:
        qs = qs.filter(year=year)
    if measure:
        qs = qs.filter(measure=measure)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def _key_value(target: Target, name: str):
    return target.target_group if name == "target_group" else getattr(target, f"{name}_id")


def with_realisation(targets, *, today: date | None = None):
    """R-50: sets `realised`, `forecast` and `status` on each target, counted live from the records.

    One grouped query per measure and kind of key present in `targets` (at most 5 x 3, whatever the number of
    targets): the measure's own queryset (`reporting.targets.measures`) grouped by year and key, with last year's
    total and last year's figure up to the same date for the monthly profile of the forecast. The placement
    measures per organisation, target group or sector are read from the months the database keeps instead
    (`_from_months`: the same numbers).
    """
    today = today or timezone.localdate()
    targets = list(targets)
    groups: dict[tuple[str, str], list[Target]] = defaultdict(list)
    for target in targets:
        groups[(target.measure, target.key)].append(target)
    for (measure, key), members in groups.items():
        spec = MEASURES[measure]
        names = KEY_FIELDS[key]
        years = {t.year for t in members}
        if today.year in years:
            years.add(today.year - 1)
        columns = [spec.columns[name] for name in names]
        among = {f"{spec.columns[name]}__in": {_key_value(t, name) for t in members} for name in names}
        if spec.figure and "adviser" not in names:
            found = _from_months(spec.figure, columns, among, years, today)
        else:
            qs = spec.records(first=date(min(years), 1, 1), last=date(max(years), 12, 31)).filter(**among)
            early = until(spec, same_day_last_year(today))
            rows = (
                qs.annotate(target_year=ExtractYear(spec.day_field))
                .values("target_year", *columns)
                .annotate(value=spec.value(), to_date=spec.value(filter=early))
                .order_by()
            )
            found = {(row["target_year"], *(row[c] for c in columns)): row for row in rows}
        for target in members:
            values = tuple(_key_value(target, name) for name in names)
            row = found.get((target.year, *values)) or {}
            last = found.get((target.year - 1, *values)) or {}
            target.realised = Decimal(row.get("value") or 0)
            target.forecast = forecast(
                year=target.year,
                realised=target.realised,
                today=today,
                last_year_total=last.get("value"),
                last_year_to_date=last.get("to_date"),
            )
            target.status = status(forecast=target.forecast, target=target.target)
            target.progress = min(target.realised, target.target) if target.target else target.realised
    return targets


def _from_months(figure: str, columns: list[str], among: dict, years: set[int], today: date) -> dict:
    """A placement figure per year and key, and last year's up to the same date as today, as `with_realisation`
    reads them: from `placement_figures` (the whole months the database keeps, the days of a month begun from the
    placements)."""
    per_year = placement_figures(
        first=date(min(years), 1, 1), last=date(max(years), 12, 31), by=("year", *columns), **among
    )
    found = {key: {"value": figures[figure]} for key, figures in per_year.items()}
    if today.year - 1 in years:
        last_year = today.year - 1
        to_date = placement_figures(first=date(last_year, 1, 1), last=same_day_last_year(today), by=columns, **among)
        for key, figures in to_date.items():
            found.setdefault((last_year, *key), {"value": 0})["to_date"] = figures[figure]
    return found


# --- Coverage (R-52) -----------------------------------------------------------------------------------------------

STAFF_10_PLUS = 10


@dataclass
class CoverageRow:
    sector: Sector
    employers_10_plus: int | None
    source: str
    ambition: Decimal | None
    in_contact: int
    ratio: Decimal | None
    count_id: int | None = None

    @property
    def is_focus(self) -> bool:
        return self.sector.is_focus


def employers_in_contact(*, end) -> QuerySet[Employer]:
    """R-52: the current employers of a sector with 10 or more staff (`staff_count`) that the WSP was in contact with
    in the 12 months before `end`: whose last contact (`last_contact_at`, R-05) or a registered contact moment lies in
    that window. The one queryset behind the coverage page, the dashboard and the factsheet."""
    start = end - timedelta(days=365)
    moment_in_window = ContactMoment.objects.filter(
        employer=OuterRef("pk"), occurred_at__gte=start, occurred_at__lt=end
    )
    return (
        Employer.objects.current()
        .filter(sector__isnull=False, staff_count__gte=STAFF_10_PLUS)
        .filter(Q(last_contact_at__gte=start, last_contact_at__lt=end) | Exists(moment_in_window))
    )


def coverage(*, year: int, now=None) -> list[CoverageRow]:
    """R-52: per sector (focus sectors first), the employers with 10 or more staff in the region (entered by a
    manager), the employers of that sector with 10 or more staff (`staff_count`) that the WSP was in contact with in
    the 12 months up to now (or up to the year's end, for a past year): whose last contact (`last_contact_at`, R-05)
    or a registered contact moment lies in that window; and their ratio. Three queries."""
    now = now or timezone.now()
    in_contact = dict(
        employers_in_contact(end=min(now, local_midnight(date(year + 1, 1, 1))))
        .values("sector_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("sector_id", "n")
    )
    counts = {c.sector_id: c for c in SectorEmployerCount.objects.filter(year=year)}
    rows = []
    for sector in Sector.objects.order_by("-is_focus", "name"):
        count = counts.get(sector.pk)
        contacted = in_contact.get(sector.pk, 0)
        total = count.employers_10_plus if count else None
        ratio = (Decimal(contacted) / total).quantize(Decimal("0.001")) if total else None
        rows.append(
            CoverageRow(
                sector=sector,
                employers_10_plus=total,
                source=count.source if count else "",
                ambition=count.ambition if count else None,
                in_contact=contacted,
                ratio=ratio,
                count_id=count.pk if count else None,
            )
        )
    return rows
