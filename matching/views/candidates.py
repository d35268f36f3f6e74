"""Candidates: the caseload, the weekly overview, a candidate's profile and matches (R-23, R-40..R-42, R-58)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from employers.views import _errors_to_form, _run
from vacancies.models import Skill
from wsp.errors import DomainError
from wsp.inputs import int_or_none
from wsp.pages import keyset_page

from ..bsn import is_valid_bsn, mask_bsn
from ..choices import CandidateStatus, TargetGroup
from ..forms import (
    CandidateFilterForm,
    CandidateForm,
)
from ..models import Candidate, Referral
from ..selectors import candidates as candidate_selectors
from ..selectors import ranking
from ..services import candidates as candidate_services
from .vacancy_page import MATCH_LIMIT

PAGE_SIZE = 25

# --- Candidates ---------------------------------------------------------------------------------------------------


@login_required
def candidate_list(request):
    """The caseload of the adviser's organisation (R-40), with the stale-profile worklist as a filter."""
    form = CandidateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    candidates = candidate_selectors.candidate_list(user=request.user, filters=filters)
    page = keyset_page(candidates, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    bsn_searched = ""
    if is_valid_bsn(filters.get("q")):
        # a BSN typed in the search box is not written back into the page (the field, the page links).
        bsn_searched = mask_bsn(filters["q"])
        query.pop("q", None)
        form = CandidateFilterForm(query or None)
        form.is_valid()
    template = "matching/_candidate_table.html" if request.htmx else "matching/candidate_list.html"
    return render(
        request, template, {"form": form, "page": page, "query": query.urlencode(), "bsn_searched": bsn_searched}
    )


def _candidate_form_context(form, candidate=None):
    ids = form.data.getlist("skills") if form.is_bound else (candidate.skills if candidate else [])
    chosen = list(Skill.objects.filter(pk__in=[pk for pk in map(int_or_none, ids) if pk is not None]))
    return {
        "form": form,
        "candidate": candidate,
        "chosen_skills": chosen,
        "bsn_masked": mask_bsn(candidate.bsn) if candidate else "",
    }


@login_required
def weekly_overview(request):
    """R-41: the candidates of every partner who became work-ready in a week (Monday to Sunday; default the past
    week, any week selectable), with the matching fields; names and contact details of the own caseload only
    (R-40). The Monday e-mail of it is switched on and off here."""
    asked = request.GET.get("week")
    week = candidate_selectors.Week.parse(asked) if asked else None
    if asked and week is None:
        messages.error(request, _("Choose a week like 2026-W49; the past week is shown."))
    week = week or candidate_selectors.last_complete_week()
    rows = candidate_selectors.weekly_overview(user=request.user, week=week)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = candidate_selectors.skill_names({pk for row in page.object_list for pk in row["skills"]})
    labels = dict(TargetGroup.choices)
    statuses = dict(CandidateStatus.choices)
    for row in page.object_list:
        row["skill_names"] = [names[pk] for pk in row["skills"] if pk in names]
        row["target_group_label"] = labels.get(row["target_group"], row["target_group"])
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["adviser_name"] = (
            f"{row['adviser__first_name']} {row['adviser__last_name']}".strip() or row["adviser__username"]
        )
    this_week = candidate_selectors.Week.containing(timezone.localdate())
    return render(
        request,
        "matching/candidate_weekly.html",
        {
            "week": week,
            "page": page,
            "this_week": this_week,
            "next_week": week.next if week.next.monday <= this_week.monday else None,
            "email_on": request.user.weekly_overview_email,
        },
    )


@login_required
@require_POST
def weekly_overview_email(request):
    """R-41: the staff member's own choice of the Monday e-mail."""
    enabled = request.POST.get("enabled") == "on"
    _run(
        request,
        lambda: candidate_services.weekly_overview_email_set(user=request.user, enabled=enabled),
        _("You will get the weekly overview by e-mail every Monday.")
        if enabled
        else _("You will no longer get the weekly overview by e-mail; it stays on this page."),
    )
    week = candidate_selectors.Week.parse(request.POST.get("week"))
    url = reverse("weekly-overview")
    return redirect(f"{url}?week={week.key}" if week else url)


@login_required
@sensitive_post_parameters("bsn")
def candidate_create(request):
    form = CandidateForm(request.POST or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.service_data()
            data.pop("status")  # a new candidate starts available
            candidate = candidate_services.candidate_create(by=request.user, **data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Candidate added to your organisation's caseload."))
            return redirect("candidate-detail", pk=candidate.pk)
    return render(request, "matching/candidate_form.html", _candidate_form_context(form))


def _visible_candidate(request, pk) -> Candidate:
    """R-40: a candidate of another organisation does not exist for this user, unless referred to their vacancy
    (then the page shows the contact details only)."""
    candidate = candidate_selectors.candidates_visible_to(request.user).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


def _own_candidate(request, pk) -> Candidate:
    """R-40: only staff of the candidate's own organisation change a candidate; for anyone else it is not there,
    also not for the owner of a vacancy the candidate is referred to."""
    candidate = (
        Candidate.objects.of_organisation(request.user.organisation_id)
        .select_related("organisation", "adviser")
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


@login_required
@sensitive_post_parameters("bsn")
def candidate_edit(request, pk):
    candidate = _own_candidate(request, pk)
    initial = {name: getattr(candidate, name) for name in CandidateForm.SERVICE_FIELDS}
    initial["adviser"] = candidate.adviser_id
    form = CandidateForm(request.POST or None, initial=initial, organisation=candidate.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_services.candidate_update(candidate=candidate, by=request.user, **form.service_data())
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("candidate-detail", pk=pk)
    return render(request, "matching/candidate_form.html", _candidate_form_context(form, candidate))


@login_required
def candidate_detail(request, pk):
    candidate = _visible_candidate(request, pk)
    personal = candidate_selectors.personal_access(request.user, candidate)
    matches = ranking.candidate_matches(candidate=candidate, user=request.user, limit=MATCH_LIMIT)
    return render(
        request,
        "matching/candidate_detail.html",
        {
            "candidate": candidate,
            "personal": personal,
            "own_organisation": candidate.organisation_id == request.user.organisation_id,
            "bsn_masked": mask_bsn(candidate.bsn) if candidate.organisation_id == request.user.organisation_id else "",
            "completeness": candidate_selectors.completeness(candidate),
            "freshness": candidate_selectors.freshness(candidate),
            "skills": list(Skill.objects.filter(pk__in=candidate.skills)),
            "matches": matches,
            "referrals": list(
                Referral.objects.filter(candidate=candidate).select_related("vacancy__employer", "referred_by")[:50]
            ),
        },
    )


@login_required
@require_POST
def candidate_reviewed(request, pk):
    candidate = _own_candidate(request, pk)
    _run(
        request,
        lambda: candidate_services.candidate_mark_reviewed(candidate=candidate, by=request.user),
        _("Profile marked as checked today."),
    )
    return redirect("candidate-detail", pk=pk)
