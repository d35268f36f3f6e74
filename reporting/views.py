"""The manager's side in the browser (R-55, R-57): the region's dashboard as a manager's home page, every number a
link to the records it counts, every list exportable as CSV and XLSX. Thin: the figures come from
`reporting.measures.registry`, one queryset per figure, which the number, the list and the export share."""

import csv
import dataclasses
from collections import defaultdict
from decimal import Decimal
from functools import partial
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from accounts.decorators import manager_required
from matching import views as matching_views
from matching.choices import TargetGroup
from wsp.errors import DomainError, InvalidInput
from wsp.inputs import int_or_none

from .budgets.selectors import budget_for_year
from .forms import ScopeForm
from .measures import registry
from .measures.base import values
from .measures.funnel import referral_funnel
from .measures.placements import placement_figures
from .measures.scope import Scope, scope_from
from .targets.choices import Measure as TargetMeasure
from .targets.choices import TargetKey
from .targets.measures import status as target_status
from .targets.measures import status_label as target_status_label
from .targets.measures import target_records
from .targets.models import Target
from .targets.selectors import coverage, targets_list, with_realisation

PAGE_SIZE = 50
FUNNEL_ROW = 9  # the height of a bar and its gap in the funnel chart (SVG units)

# The sections of the dashboard and the measures shown in each, in order.
SECTIONS = (
    (_("Placements"), ("placements", "durable-placements", "job-agreement-jobs")),
    (_("24-hour compliance"), ("contact-requests", "contact-requests-late", "vacancies-received", "vacancies-late")),
    (
        _("Ownership health today"),
        (
            "employers-without-contact",
            "access-requests-pending",
            "employers-near-duplicates",
            "intakes-waiting",
        ),
    ),
)

# the registry measure whose records a target of each measure counts (for a target's drill-down).
TARGET_MEASURE_KEYS = {
    TargetMeasure.PLACEMENTS: "placements",
    TargetMeasure.DURABLE: "durable-placements",
    TargetMeasure.JOB_AGREEMENT_JOBS: "job-agreement-jobs",
    TargetMeasure.NEW_EMPLOYERS: "employers-new",
}
MAX_TARGETS_PER_LINK = 50


@login_required
def home(request):
    """A manager's home is the region's picture (the dashboard); everyone else's is their own work."""
    if request.user.is_manager:
        return dashboard(request)
    return matching_views.home(request)


def _scope_or_errors(request) -> tuple[Scope | None, dict]:
    try:
        return scope_from(request.GET), {}
    except DomainError as refused:
        return None, getattr(refused, "fields", None) or {"__all__": [str(refused)]}


@dataclasses.dataclass
class TargetRow:
    """One line of a target table on the dashboard: one target, or an organisation's target-group targets added up."""

    label: str
    target: Decimal
    realised: Decimal
    forecast: Decimal
    target_ids: list[int]
    year: int

    @property
    def status(self) -> str:
        """R-50, as on the targets page: on track when the forecast reaches the target, at risk from 90%."""
        return target_status(forecast=self.forecast, target=self.target)

    @property
    def status_label(self) -> str:
        return target_status_label(self.status, year=self.year)

    def _share(self, value: Decimal) -> str:
        # SVG coordinates as plain numbers (never localised).
        return f"{min(100, 100 * value / self.target):.1f}" if self.target else "0"

    @property
    def realised_width(self) -> str:
        return self._share(self.realised)

    @property
    def forecast_x(self) -> str:
        return self._share(self.forecast)

    @property
    def records_query(self) -> dict:
        """The query of the drill-down of the realised figure: the records the targets count (R-57)."""
        return {"year": str(self.year), "target": ",".join(str(pk) for pk in self.target_ids)}


def _target_row(label: str, targets: list) -> TargetRow:
    return TargetRow(
        label=label,
        target=sum((t.target for t in targets), Decimal(0)),
        realised=sum((t.realised for t in targets), Decimal(0)),
        forecast=sum((t.forecast for t in targets), Decimal(0)),
        target_ids=[t.pk for t in targets],
        year=targets[0].year,
    )


def _target_tables(scope: Scope) -> dict[str, list[TargetRow]]:
    """R-50: the year's placement targets per target group, sector, organisation (its target-group targets added up)
    and adviser, with realised, forecast and status. The organisation filter keeps that organisation's targets and
    its advisers'; the sector filter keeps the targets of that sector (the others are not set per sector). Three
    queries whatever the number of targets: the targets, their changes, one grouped count per kind of key."""
    qs = targets_list(year=scope.year, measure=TargetMeasure.PLACEMENTS)
    if scope.organisation is not None:
        qs = qs.filter(Q(organisation=scope.organisation) | Q(adviser__organisation=scope.organisation))
    if scope.sector is not None:
        qs = qs.filter(sector=scope.sector)
    tables: dict[str, list[TargetRow]] = {"target-group": [], "sector": [], "organisation": [], "adviser": []}
    per_organisation = defaultdict(list)
    for target in with_realisation(qs.select_related("adviser__organisation")):
        if target.key == TargetKey.TARGET_GROUP:
            label = target.get_target_group_display() if scope.organisation else target.key_label
            tables["target-group"].append(_target_row(label, [target]))
            per_organisation[target.organisation].append(target)
        elif target.key == TargetKey.SECTOR:
            label = target.sector.name if scope.organisation else target.key_label
            tables["sector"].append(_target_row(label, [target]))
        else:
            label = f"{_person(target.adviser)} ({target.adviser.organisation})"
            tables["adviser"].append(_target_row(label, [target]))
    tables["organisation"] = [_target_row(str(org), members) for org, members in per_organisation.items()]
    for rows in tables.values():
        rows.sort(key=lambda row: row.label.lower())
    return tables


def _person(user) -> str:
    return user.get_full_name() or user.username


def _placements_per_target_group(scope: Scope) -> dict:
    """R-50: booked placements of the period per target group (copied at booking), within the organisation and sector
    filters; the rows add up to the total. From the months the database keeps (`placement_figures`)."""
    figures = placement_figures(
        first=scope.first, last=scope.last, by=("target_group",), organisation=scope.organisation, sector=scope.sector
    )
    labels = dict(TargetGroup.choices)
    results = sorted(
        (
            {
                "target_group": target_group,
                "label": str(labels.get(target_group, target_group or gettext("Unknown"))),
                **{name: row[name] for name in ("placements", "durable", "job_agreement_jobs")},
            }
            for (target_group,), row in figures.items()
        ),
        key=lambda row: (-row["placements"], row["target_group"]),
    )
    total = {
        "placements": sum(r["placements"] for r in results),
        "durable": sum(r["durable"] for r in results),
        "job_agreement_jobs": sum((r["job_agreement_jobs"] for r in results), Decimal(0)),
    }
    return {"results": results, "total": total}


def _coverage_rows(scope: Scope) -> list:
    """R-52: the focus sectors' coverage; with a sector filter, that sector's (focus sector or not)."""
    rows = coverage(year=scope.year)
    if scope.sector is not None:
        return [row for row in rows if row.sector.pk == scope.sector.pk]
    return [row for row in rows if row.sector.is_focus]


def _number(value):
    """A figure for a spreadsheet cell: whole numbers as int, the rest as float (never a localised string)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _targets_export(scope: Scope, *, kind: str):
    rows = _target_tables(scope)[kind]
    headers = [_("For"), _("Target"), _("Realised"), _("Forecast"), _("Status")]
    return headers, (
        [r.label, _number(r.target), _number(r.realised), _number(r.forecast), r.status_label] for r in rows
    )


# The dashboard's tables as exports (`?export=<table>&format=csv|xlsx`): each built from the same rows the page shows.
DASHBOARD_TABLES = {
    **{
        f"targets-{kind}": partial(_targets_export, kind=kind)
        for kind in ("target-group", "sector", "organisation", "adviser")
    },
    "funnel": lambda scope: (
        [_("Step"), _("Number"), _("Median days")],
        (
            [str(registry.MEASURES[f"funnel-{st.stage}"].label), st.count, _number(st.median_days)]
            for st in _funnel(scope).stages
        ),
    ),
    "placements-per-target-group": lambda scope: (
        [_("Target group"), _("Placements"), _("Durable"), _("Job-agreement jobs")],
        (
            [r["label"], r["placements"], r["durable"], _number(r["job_agreement_jobs"])]
            for r in _placements_per_target_group(scope)["results"]
        ),
    ),
    "coverage": lambda scope: (
        [_("Sector"), _("In contact"), _("In the region"), _("Coverage")],
        ([r.sector.name, r.in_contact, _number(r.employers_10_plus), _number(r.ratio)] for r in _coverage_rows(scope)),
    ),
}


def _funnel(scope: Scope):
    return referral_funnel(
        date_from=scope.first, date_to=scope.last, organisation=scope.organisation, sector=scope.sector
    )


@manager_required
def dashboard(request):
    scope, errors = _scope_or_errors(request)
    form = ScopeForm(request.GET or None)
    if scope is None:
        return render(request, "reporting/dashboard.html", {"form": form, "errors": errors}, status=400)
    table = request.GET.get("export")
    if table is not None:
        return _table_export(request, scope, table)
    query = scope.query()
    sections = []
    for title, keys in SECTIONS:
        measures = [registry.MEASURES[key] for key in keys]
        found = values(measures, scope)
        sections.append((title, [_figure(m, value, query) for m, value in zip(measures, found, strict=True)]))
    funnel = _funnel(scope)
    widest = max([stage.count for stage in funnel.stages] + [1])
    funnel_rows = [
        {
            "stage": stage,
            "label": registry.MEASURES[f"funnel-{stage.stage}"].label,
            "key": f"funnel-{stage.stage}",
            # SVG coordinates as plain numbers (never localised: "23,8" is no length).
            "y": str(index * FUNNEL_ROW),
            "width": f"{100 * stage.count / widest:.1f}",
        }
        for index, stage in enumerate(funnel.stages)
    ]
    # the placement targets of the year per target group, sector, organisation and adviser.
    target_tables = _target_tables(scope)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "query": query,
            "sections": sections,
            "funnel": funnel,
            "funnel_rows": funnel_rows,
            "funnel_height": str(len(funnel_rows) * FUNNEL_ROW),
            "by_group": _placements_per_target_group(scope),
            "target_tables": [
                (kind, title, target_tables[kind])
                for kind, title in (
                    ("target-group", _("Per target group")),
                    ("sector", _("Per sector")),
                    ("organisation", _("Per organisation")),
                    ("adviser", _("Per adviser")),
                )
            ],
            # R-52, R-53: the focus sectors' coverage and the budget's burn, cost per placement and funding warnings.
            "focus_coverage": _coverage_rows(scope),
            "budget": budget_for_year(scope.year),
        },
    )


def _table_export(request, scope: Scope, table: str):
    build = DASHBOARD_TABLES.get(table)
    fmt = request.GET.get("format", "csv")
    if build is None or fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows = build(scope)
    return _spreadsheet(f"{table}-{scope.label}", table, [str(h) for h in headers], rows, fmt)


def _figure(measure, value, query: dict) -> dict:
    # Whole numbers with thousands separators; job-agreement jobs with one decimal.
    shown = intcomma(value) if isinstance(value, int) else floatformat(value, 1)
    return {"measure": measure, "value": value, "shown": shown, "query": query}


def _measure(key: str):
    measure = registry.MEASURES.get(key)
    if measure is None:
        raise Http404
    return measure


def _for_targets(measure, params):
    """R-50, R-57: `?target=<id>,<id>` narrows a measure to the records those targets count (`target_records`), so
    a target's realised figure on the dashboard opens exactly its records. Refused (400) for unknown ids or targets
    of another measure. Returns the measure (narrowed or not) and the query parameters to carry."""
    raw = (params.get("target") or "").strip()
    if not raw:
        return measure, {}
    ids = [int_or_none(part) for part in raw.split(",")]
    message = gettext("Unknown target.")
    if None in ids or len(ids) > MAX_TARGETS_PER_LINK:
        raise InvalidInput(message, code="invalid", fields={"target": [message]})
    targets = list(Target.objects.select_related("organisation", "sector", "adviser").filter(pk__in=ids))
    if len(targets) != len(set(ids)):
        raise InvalidInput(message, code="invalid", fields={"target": [message]})
    if any(TARGET_MEASURE_KEYS.get(t.measure) != measure.key for t in targets):
        message = gettext("These targets do not count these records.")
        raise InvalidInput(message, code="invalid", fields={"target": [message]})
    counted = Q(pk__in=[])
    for target in targets:
        counted |= Q(pk__in=target_records(target).values("pk"))
    organisations = {t.organisation_id for t in targets}
    if len(targets) > 2 and len(organisations) == 1:
        about = str(targets[0].organisation)
    else:
        about = ", ".join(sorted(t.key_label for t in targets))
    narrowed = dataclasses.replace(
        measure,
        label=gettext("%(measure)s: target %(about)s") % {"measure": measure.label, "about": about},
        records=lambda scope: measure.records(scope).filter(counted),
        summary=None,  # the months hold no targets: counted from the narrowed records
    )
    return narrowed, {"target": raw}


def _scope_and_measure(request, key: str):
    """The measure of `key` (404 when unknown) and the scope of the query, or the errors that refuse them."""
    measure = _measure(key)
    try:
        scope = scope_from(request.GET)
        measure, extra = _for_targets(measure, request.GET)
    except DomainError as refused:
        return measure, None, {}, getattr(refused, "fields", None) or {"__all__": [str(refused)]}
    return measure, scope, extra, {}


@manager_required
def measure_records(request, key: str):
    """The records a figure counts (R-57), newest first, by cursor: `?after=<id>` continues after that record."""
    measure, scope, extra, errors = _scope_and_measure(request, key)
    if scope is None:
        return render(request, "reporting/records.html", {"measure": measure, "errors": errors}, status=400)
    rows = measure.rows(scope)
    after = int_or_none(request.GET.get("after"))
    if after is not None:
        rows = rows.filter(pk__lt=after)
    page = list(rows[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    table = [
        [(column.value(record), column.link(record) if column.link else None) for column in measure.columns]
        for record in page
    ]
    return render(
        request,
        "reporting/records.html",
        {
            "measure": measure,
            "scope": scope,
            "query": {**scope.query(), **extra},
            "value": measure.value(scope),
            "headers": [column.header for column in measure.columns],
            "table": table,
            "next_after": page[-1].pk if more else None,
        },
    )


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return value


def _spreadsheet(filename: str, title: str, headers: list[str], rows, fmt: str) -> HttpResponse:
    """`rows` (an iterable of lists of values) under `headers` as CSV (streamed, `;`-separated) or XLSX: the one
    writer of every export of the manager's pages."""
    if fmt == "csv":
        writer = csv.writer(_Echo(), delimiter=";")

        def lines():
            # As Excel reads a CSV in a Dutch locale: a byte order mark (so "Oekraïne" stays readable), `;` between
            # the cells and a decimal comma.
            yield "\ufeff" + writer.writerow(headers)
            for row in rows:
                yield writer.writerow([_csv_cell(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@manager_required
def measure_export(request, key: str, fmt: str):
    """The same records as the list, all of them, as CSV (streamed) or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    measure, scope, _extra, errors = _scope_and_measure(request, key)
    if scope is None:
        return HttpResponse("; ".join(str(m) for ms in errors.values() for m in ms), status=400)
    headers = [str(column.header) for column in measure.columns]
    records = measure.rows(scope).iterator(chunk_size=2000)
    rows = ([column.value(record) for column in measure.columns] for record in records)
    return _spreadsheet(f"{measure.key}-{scope.label}", measure.key, headers, rows, fmt)
