"""Factsheets in the browser (R-55, R-57): request one (built by a worker; the page shows where it stands),
publish it, and open a published figure down to the records it counted and how they differ today."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import manager_required
from reporting.measures.registry import MEASURES
from wsp.errors import DomainError

from . import selectors, services
from .charts import section_charts
from .choices import FactsheetStatus
from .models import Factsheet


@manager_required
def factsheet_list(request):
    if request.method == "POST":
        try:
            factsheet = services.factsheet_request(
                by=request.user,
                year=request.POST.get("year"),
                quarter=request.POST.get("quarter"),
                draft=request.POST.get("draft") == "on",
                change_note=request.POST.get("change_note", ""),
            )
        except DomainError as refused:
            messages.error(request, str(refused.detail))
        else:
            messages.success(request, _("The factsheet is being built; this page shows when it is ready."))
            return redirect("factsheet-detail", pk=factsheet.pk)
    today = timezone.localdate()
    return render(
        request,
        "reporting/factsheets/list.html",
        {"factsheets": selectors.factsheets_list()[:40], "years": range(today.year, today.year - 6, -1)},
    )


@manager_required
def factsheet_detail(request, pk):
    factsheet = get_object_or_404(Factsheet.objects.select_related("created_by", "published_by"), pk=pk)
    sections = selectors.factsheet_sections(factsheet)
    building = factsheet.status in (FactsheetStatus.QUEUED, FactsheetStatus.RUNNING)
    return render(
        request,
        "reporting/factsheets/detail.html",
        {
            "factsheet": factsheet,
            "sections": sections,
            "charts": section_charts(sections),
            "building": building,
            "waited": int((timezone.now() - factsheet.created_at).total_seconds()),
            "stalled": services.is_stalled(factsheet),
            "editable": factsheet.status == FactsheetStatus.DONE,
        },
    )


@manager_required
@require_POST
def factsheet_explain(request, pk, section):
    """R-55: a manager's explanation of one section, before publishing."""
    factsheet = get_object_or_404(Factsheet, pk=pk)
    try:
        services.factsheet_explain(
            by=request.user, factsheet=factsheet, section=section, explanation=request.POST.get("explanation", "")
        )
    except DomainError as refused:
        messages.error(request, str(refused.detail))
    else:
        messages.success(request, _("The explanation is saved."))
    return redirect(reverse("factsheet-detail", args=[pk]) + f"#section-{section}")


@manager_required
@require_POST
def factsheet_rebuild(request, pk):
    factsheet = get_object_or_404(Factsheet, pk=pk)
    try:
        services.factsheet_rebuild(by=request.user, factsheet=factsheet)
    except DomainError as refused:
        messages.error(request, str(refused.detail))
    else:
        messages.success(request, _("The factsheet is being built again."))
    return redirect("factsheet-detail", pk=pk)


@manager_required
@require_POST
def factsheet_publish(request, pk):
    factsheet = get_object_or_404(Factsheet, pk=pk)
    try:
        services.factsheet_publish(by=request.user, factsheet=factsheet)
    except DomainError as refused:
        messages.error(request, str(refused.detail))
    else:
        messages.success(request, _("The factsheet is published; its figures are frozen (R-57)."))
    return redirect("factsheet-detail", pk=pk)


@manager_required
def factsheet_figure(request, pk, key):
    """R-57: the records the figure counted, and the difference with today (records added and dropped since). A
    private figure (R-11) shows its number only; a ratio points to the figures it is made of."""
    factsheet = get_object_or_404(Factsheet, pk=pk)
    figure = get_object_or_404(factsheet.figures, key=key)
    now = selectors.figure_now(figure)
    measure = MEASURES.get(figure.measure)
    listable = figure.listable and measure is not None

    def table(ids):
        if not listable:
            return []
        records = selectors.figure_records(figure, ids).order_by("-pk")[:200]
        return [
            [(column.value(r), column.link(r) if column.link else None) for column in measure.columns] for r in records
        ]

    return render(
        request,
        "reporting/factsheets/figure.html",
        {
            "factsheet": factsheet,
            "figure": figure,
            "now": now,
            "listable": listable,
            "parts": factsheet.figures.filter(key__in=figure.computed_as.split(" / ")) if not figure.measure else [],
            "headers": [column.header for column in measure.columns] if listable else [],
            "counted": table(None),
            "added": table(now.added_ids),
            "dropped": table(now.dropped_ids),
        },
    )


@manager_required
def factsheet_pdf(request, pk):
    factsheet = get_object_or_404(Factsheet, pk=pk)
    if factsheet.status not in (FactsheetStatus.DONE, FactsheetStatus.PUBLISHED):
        raise Http404
    response = HttpResponse(selectors.factsheet_pdf(factsheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="factsheet-{factsheet.label}-v{factsheet.version}.pdf"'
    return response
