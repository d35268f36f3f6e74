"""Browser pages of reporting.targets (R-50, R-51, R-52): targets with realisation, forecast and status, and the
coverage ratio per sector. Every staff member reads them; only managers enter and change (the services refuse
anyone else). Thin: reads through `selectors`, writes through `services`."""

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wsp.errors import DomainError

from . import selectors, services
from .choices import Measure
from .forms import SectorCountForm, TargetChangeForm, TargetFilterForm, TargetForm
from .models import Target


def _refused(request, refused: DomainError) -> None:
    messages.error(request, str(refused.detail))
    for field_messages in (refused.fields or {}).values():
        for message in field_messages:
            if str(message) != str(refused.detail):
                messages.error(request, str(message))


def _back(request, name: str):
    query = request.POST.get("next_query", "")
    url = reverse(name)
    return redirect(f"{url}?{query}" if query and "\n" not in query else url)


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    """R-50: the targets of a year per measure; a manager adds one here."""
    filters = TargetFilterForm(request.GET or None)
    year = filters.year_or_now()
    organisation = filters.cleaned_data.get("organisation") if filters.is_valid() else None
    form = TargetForm(initial={"year": year})
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                services.target_create(by=request.user, **form.cleaned_data)
            except DomainError as refused:
                _refused(request, refused)
            else:
                messages.success(request, _("The target has been saved."))
                return _back(request, "targets")
    rows = selectors.with_realisation(selectors.targets_list(year=year, organisation=organisation))
    by_measure = OrderedDict((label, []) for value, label in Measure.choices)
    labels = dict(Measure.choices)
    for target in rows:
        by_measure[labels[target.measure]].append(target)
    return render(
        request,
        "reporting/targets/targets.html",
        {
            "filters": filters,
            "form": form,
            "year": year,
            "sections": [(label, items) for label, items in by_measure.items() if items],
            "can_edit": request.user.is_manager,
            "change_form": TargetChangeForm(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def target_change(request, pk: int):
    """R-50: a manager changes a target with a reason; the change is kept."""
    target = get_object_or_404(Target, pk=pk)
    form = TargetChangeForm(request.POST)
    if not form.is_valid():
        for field_messages in form.errors.values():
            for message in field_messages:
                messages.error(request, message)
        return _back(request, "targets")
    try:
        services.target_change(
            by=request.user, target=target, new=form.cleaned_data["target"], reason=form.cleaned_data["reason"]
        )
    except DomainError as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("The target has been changed."))
    return _back(request, "targets")


@login_required
@require_http_methods(["GET", "POST"])
def coverage(request):
    """R-52: the coverage ratio per sector; a manager enters the region's employer counts here."""
    filters = TargetFilterForm(request.GET or None)
    year = filters.year_or_now()
    form = SectorCountForm(initial={"year": year})
    if request.method == "POST":
        form = SectorCountForm(request.POST)
        if form.is_valid():
            try:
                services.sector_employer_count_set(by=request.user, **form.cleaned_data)
            except DomainError as refused:
                _refused(request, refused)
            else:
                messages.success(request, _("The number of employers has been saved."))
                return _back(request, "coverage")
    return render(
        request,
        "reporting/targets/coverage.html",
        {
            "filters": filters,
            "form": form,
            "year": year,
            "rows": selectors.coverage(year=year),
            "can_edit": request.user.is_manager,
            "query": request.GET.urlencode(),
        },
    )
