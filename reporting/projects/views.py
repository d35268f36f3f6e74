"""Manager pages of reporting.projects: projects as in an evaluation (R-54) and events with reach (R-19), with the
forms to create and change a project, record a new maximum subsidy, add an activity, change its target, record its
realisation, and change an event.

Thin: reads through `selectors`, writes through `services`; a refusal shows its message and changes nothing.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import manager_required
from matching.choices import PlacementType
from wsp.errors import DomainError
from wsp.inputs import int_or_none

from . import selectors, services
from .choices import Channel
from .forms import (
    ActivityForm,
    EventForm,
    MaxSubsidyChangeForm,
    ProjectForm,
    ReachForm,
    RealisationForm,
    TargetChangeForm,
)
from .models import Activity, Event, Project


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


# The service's field names where a form names the field otherwise (the period is one error, on its end).
FIELD_ALIASES = {
    "period": "period_end",
    "executors": "executor_organisations",
    "signatories": "signatory_organisations",
    "applicant": "applicant_organisation",
}


def _refused(form, refused: DomainError, aliases: dict | None = None) -> None:
    fields = getattr(refused, "fields", None) or {}
    placed = False
    for name, problems in fields.items():
        name = (aliases or {}).get(name, name)
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


@manager_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    """R-54: a manager enters a project with its numbers, parties, subsidy period and figures."""
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, **form.service_data())
        except DomainError as refused:
            _refused(form, refused, FIELD_ALIASES)
        else:
            messages.success(request, _("The project has been added; add its activities now."))
            return redirect("project-detail", pk=project.pk)
    return render(request, "reporting/projects/project_form.html", {"form": form, "project": None})


def _project(pk: int) -> Project:
    return get_object_or_404(
        Project.objects.prefetch_related("numbers", "executor_organisations", "signatory_organisations"), pk=pk
    )


@manager_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    """R-54: a manager changes a project's data; the maximum subsidy changes through `max_subsidy_change` only."""
    project = _project(pk)
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(project), creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(by=request.user, project=project, **form.service_data())
        except DomainError as refused:
            _refused(form, refused, FIELD_ALIASES)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect("project-detail", pk=project.pk)
    return render(request, "reporting/projects/project_form.html", {"form": form, "project": project})


@manager_required
@require_http_methods(["GET", "POST"])
def max_subsidy_change(request, pk: int):
    """R-54: a later decision changes the maximum subsidy, with its date and reason."""
    project = _project(pk)
    form = MaxSubsidyChangeForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.max_subsidy_change(by=request.user, project=project, **form.cleaned_data)
        except DomainError as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The new maximum subsidy has been recorded."))
            return redirect("project-detail", pk=project.pk)
    return render(
        request,
        "reporting/projects/max_subsidy_form.html",
        {"form": form, "project": project, "changes": project.max_subsidy_changes.all()},
    )


ACTIVITY_ALIASES = {"activities": "code", "activities[0].code": "code"}


@manager_required
@require_http_methods(["GET", "POST"])
def activity_add(request, pk: int):
    """R-54: a manager adds an activity (code, description, target) to a project."""
    project = _project(pk)
    form = ActivityForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(by=request.user, project=project, activities=[dict(form.cleaned_data)])
        except DomainError as refused:
            _refused(form, refused, ACTIVITY_ALIASES)
        else:
            messages.success(request, _("The activity has been added."))
            return redirect("project-detail", pk=project.pk)
    return render(request, "reporting/projects/activity_form.html", {"form": form, "project": project})


@manager_required
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk: int, activity_pk: int):
    """R-54: one activity with its target changes; a manager changes its target (date and reason) or records its
    realisation (a number, a range, or not realised with the reason)."""
    activity = get_object_or_404(
        Activity.objects.select_related("project").prefetch_related("target_changes"), pk=activity_pk, project_id=pk
    )
    target_form = TargetChangeForm(prefix="target", initial={"date": timezone.localdate(), "new": activity.target})
    realisation_form = RealisationForm(prefix="realisation", initial=RealisationForm.initial_for(activity))
    if request.method == "POST":
        if request.POST.get("form") == "target":
            target_form = TargetChangeForm(request.POST, prefix="target")
            if target_form.is_valid():
                try:
                    services.activity_target_change(by=request.user, activity=activity, **target_form.cleaned_data)
                except DomainError as refused:
                    _refused(target_form, refused)
                else:
                    messages.success(request, _("The target has been changed."))
                    return redirect("project-detail", pk=pk)
        else:
            realisation_form = RealisationForm(request.POST, prefix="realisation")
            if realisation_form.is_valid():
                data = realisation_form.cleaned_data
                try:
                    services.activity_realisation_record(
                        by=request.user,
                        activity=activity,
                        realised=data["realised"],
                        note=data["note"],
                        not_realised=data["not_realised"],
                        reason=data["not_realised_reason"],
                    )
                except DomainError as refused:
                    _refused(realisation_form, refused)
                else:
                    messages.success(request, _("The realisation has been saved."))
                    return redirect("project-detail", pk=pk)
    return render(
        request,
        "reporting/projects/activity_detail.html",
        {
            "activity": activity,
            "project": activity.project,
            "target_form": target_form,
            "realisation_form": realisation_form,
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    """Issue 8 point 6, R-19: a manager changes an event (kind, title, date, participants, organisers, project)."""
    event = get_object_or_404(Event.objects.select_related("project").prefetch_related("organisers"), pk=pk)
    initial = {
        "kind": event.kind,
        "title": event.title,
        "date": event.date,
        "participants": event.participants,
        "organisers": [o.pk for o in event.organisers.all()],
        "project": event.project_id,
    }
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organisers"] = [o.pk for o in data["organisers"]]
        data["project"] = data["project"].pk if data["project"] else None
        try:
            services.event_update(by=request.user, event=event, **data)
        except DomainError as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect("events")
    return render(request, "reporting/projects/event_form.html", {"form": form, "event": event})
