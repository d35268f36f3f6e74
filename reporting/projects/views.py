"""Manager pages of reporting.projects: projects as in an evaluation (R-54) and events with reach (R-19).

Thin: reads through `selectors`, writes through `services`; a refusal shows its message and changes nothing.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import manager_required
from matching.choices import PlacementType
from wsp.errors import DomainError
from wsp.inputs import int_or_none

from . import selectors, services
from .choices import Channel
from .forms import EventForm, ReachForm


@manager_required
def project_list(request):
    return render(request, "reporting/projects/project_list.html", {"projects": selectors.projects_list()})


@manager_required
def project_detail(request, pk: int):
    project = get_object_or_404(selectors.projects_list(), pk=pk)
    return render(
        request,
        "reporting/projects/project_detail.html",
        {
            "project": project,
            "placements_by_type": [
                (PlacementType(kind).label, count) for kind, count in selectors.placements_by_type(project).items()
            ],
        },
    )


def _refused(form, refused: DomainError) -> None:
    fields = getattr(refused, "fields", None) or {}
    placed = False
    for name, problems in fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, str(refused))


@manager_required
def event_list(request):
    raw_year = request.GET.get("year")
    year = int_or_none(raw_year) if raw_year else None
    year = year if year and 2000 <= year <= 2100 else timezone.localdate().year
    event_form = EventForm(prefix="event")
    reach_form = ReachForm(prefix="reach", initial={"year": year})
    if request.method == "POST":
        if request.POST.get("form") == "reach":
            reach_form = ReachForm(request.POST, prefix="reach")
            if reach_form.is_valid():
                try:
                    services.reach_record(by=request.user, **reach_form.cleaned_data)
                except DomainError as refused:
                    _refused(reach_form, refused)
                else:
                    messages.success(request, _("Reach saved."))
                    return redirect(f"{request.path}?year={reach_form.cleaned_data['year']}")
        else:
            event_form = EventForm(request.POST, prefix="event")
            if event_form.is_valid():
                data = dict(event_form.cleaned_data)
                data["organisers"] = [o.pk for o in data["organisers"]]
                data["project"] = data["project"].pk if data["project"] else None
                try:
                    services.event_create(by=request.user, **data)
                except DomainError as refused:
                    _refused(event_form, refused)
                else:
                    messages.success(request, _("Event added."))
                    return redirect("events")
    table = selectors.reach_table(year=year)
    reach_rows = [
        (Channel(channel).label, [table["cells"].get((channel, q)) for q in (1, 2, 3, 4)])
        for channel in table["channels"]
    ]
    return render(
        request,
        "reporting/projects/event_list.html",
        {
            "events": selectors.events_list()[:200],
            "event_form": event_form,
            "reach_form": reach_form,
            "year": year,
            "reach_rows": reach_rows,
            "reach_totals": table["totals"],
        },
    )
