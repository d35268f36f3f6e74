"""The manager's side in the browser (R-55, R-57): the region's dashboard as a manager's home page, every number a
link to the records it counts, every list exportable as CSV and XLSX. Thin: the figures come from
`reporting.measures.registry`, one queryset per figure, which the number, the list and the export share."""

import csv
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from accounts.decorators import manager_required
from matching import views as matching_views
from wsp.errors import DomainError
from wsp.inputs import int_or_none

from .budgets.selectors import budget_for_year
from .forms import ScopeForm
from .measures import registry
from .measures.funnel import referral_funnel
from .measures.placements import placement_stats
from .measures.scope import Scope, scope_from
from .targets.choices import Measure as TargetMeasure
from .targets.selectors import coverage, targets_list, with_realisation

PAGE_SIZE = 50
FUNNEL_ROW = 9  # the height of a bar and its gap in the funnel chart (SVG units)

# The sections of the dashboard and the measures shown in each, in order.
SECTIONS = (
    (_("Placements"), ("placements", "durable-placements", "job-agreement-jobs")),
    (_("24-hour compliance"), ("contact-requests", "contact-requests-late", "vacancies-received", "vacancies-late")),
    (
        _("Ownership health today"),
        ("employers-without-contact", "access-requests-pending", "intakes-waiting"),
    ),
)


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


@manager_required
def dashboard(request):
    scope, errors = _scope_or_errors(request)
    form = ScopeForm(request.GET or None)
    if scope is None:
        return render(request, "reporting/dashboard.html", {"form": form, "errors": errors}, status=400)
    query = scope.query()
    sections = [(title, [_figure(registry.MEASURES[key], scope, query) for key in keys]) for title, keys in SECTIONS]
    funnel = referral_funnel(
        date_from=scope.first, date_to=scope.last, organisation=scope.organisation, sector=scope.sector
    )
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
    # the placement targets of the year per target group (and sector), with realisation and status.
    targets = with_realisation(
        targets_list(year=scope.year, measure=TargetMeasure.PLACEMENTS, organisation=scope.organisation).filter(
            adviser__isnull=True
        )
    )
    # R-52, R-53: the focus sectors' coverage and the budget's burn, cost per placement and funding warnings.
    focus = [row for row in coverage(year=scope.year) if row.sector.is_focus]
    budget = budget_for_year(scope.year)
    by_group = placement_stats(
        group_by="target_group", year=scope.year, quarter=scope.quarter, organisation=scope.organisation
    )
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
            "by_group": by_group,
            "targets": targets,
            "focus_coverage": focus,
            "budget": budget,
        },
    )


def _figure(measure, scope: Scope, query: dict) -> dict:
    value = measure.value(scope)
    # Whole numbers with thousands separators; job-agreement jobs with one decimal.
    shown = intcomma(value) if isinstance(value, int) else floatformat(value, 1)
    return {"measure": measure, "value": value, "shown": shown, "query": query}


def _measure(key: str):
    measure = registry.MEASURES.get(key)
    if measure is None:
        raise Http404
    return measure


@manager_required
def measure_records(request, key: str):
    """The records a figure counts (R-57), newest first, by cursor: `?after=<id>` continues after that record."""
    measure = _measure(key)
    scope, errors = _scope_or_errors(request)
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
            "query": scope.query(),
            "value": measure.value(scope),
            "headers": [column.header for column in measure.columns],
            "table": table,
            "next_after": page[-1].pk if more else None,
        },
    )


class _Echo:
    def write(self, value):
        return value


@manager_required
def measure_export(request, key: str, fmt: str):
    """The same records as the list, all of them, as CSV (streamed) or XLSX."""
    measure = _measure(key)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    scope, errors = _scope_or_errors(request)
    if scope is None:
        return HttpResponse("; ".join(str(m) for ms in errors.values() for m in ms), status=400)
    headers = [str(column.header) for column in measure.columns]
    records = measure.rows(scope).iterator(chunk_size=2000)
    filename = f"{measure.key}-{scope.label}"
    if fmt == "csv":
        writer = csv.writer(_Echo(), delimiter=";")

        def lines():
            yield writer.writerow(headers)
            for record in records:
                yield writer.writerow([column.value(record) for column in measure.columns])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=measure.key[:31])
    sheet.append(headers)
    for record in records:
        sheet.append([column.value(record) for column in measure.columns])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
