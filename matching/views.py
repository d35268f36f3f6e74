"""Browser pages that bring vacancies and candidates together (Dutch UI): the vacancy page with its matches and
referral pipeline, candidates, placements and the adviser's home page.

These pages live here because this app knows both sides; they read through selectors and write through
services, so the browser meets exactly the rules the API meets.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from employers import selectors as employer_selectors
from employers.views import _errors_to_form, _run
from vacancies import selectors as vacancy_selectors
from vacancies.filters import int_or_none
from vacancies.forms import BlockForm, CloseForm, ExpiryForm
from vacancies.models import Skill, Vacancy
from wsp.errors import DomainError

from .bsn import mask_bsn
from .forms import (
    AftercareForm,
    CandidateFilterForm,
    CandidateForm,
    PlacementCancelForm,
    PlacementCorrectForm,
    PlacementForm,
    ProposeForm,
    ReferralStatusForm,
)
from .models import Candidate, Placement, Referral
from .selectors import candidates as candidate_selectors
from .selectors import placements as placement_selectors
from .selectors import ranking
from .selectors import referrals as referral_selectors
from .services import candidates as candidate_services
from .services import placements as placement_services
from .services import referrals as referral_services

PAGE_SIZE = 25
MATCH_LIMIT = 20
MATCH_LIMIT_MAX = 100  # "show more" grows the list in steps of MATCH_LIMIT up to the API's maximum


def _match_limit(request) -> int:
    """R-18: nobody is left out: the list of fitting candidates grows with "show more" (`?meer=`)."""
    return min(int_or_none(request.GET.get("meer")) or MATCH_LIMIT, MATCH_LIMIT_MAX)


MAX_ID = 2**31 - 1  # the largest value of a PostgreSQL integer column


def _id_or_none(value) -> int | None:
    """An id from a form value: ASCII digits only (no "²", "٣" or "+1") in the range of an integer column."""
    text = str(value).strip()
    if not text or len(text) > 10 or not text.isascii() or not text.isdecimal():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


@login_required
def home(request):
    """ "Mijn werk": employers, vacancies, referrals and placements that need the adviser today."""
    user = request.user
    vacancies = vacancy_selectors.vacancies_for_home(user=user)
    return render(
        request,
        "employers/home.html",
        {
            "notices": account_selectors.notifications_for_home(user=user),
            "home": employer_selectors.adviser_home(user=user),
            "cutoff": employer_selectors.takeover_cutoff(),
            "vacancies": vacancies,
            "vacancy_attention": len(vacancies["expiring"]) + len(vacancies["expired"]),
            "referrals_waiting": referral_selectors.referrals_waiting(user=user),
            "durability_due": placement_selectors.placements_due_for_durability_check(user=user),
        },
    )


# --- The vacancy page -------------------------------------------------------------------------------------------


@login_required
def vacancy_detail(request, pk):
    page = vacancy_selectors.vacancy_page(vacancy_id=pk, user=request.user)
    if page is None:
        raise Http404
    vacancy = page.vacancy
    limit = _match_limit(request)
    matches = ranking.vacancy_matches(vacancy=vacancy, user=request.user, limit=limit + 1)
    more = len(matches) > limit
    matches = matches[:limit]
    return render(
        request,
        "matching/vacancy_detail.html",
        {
            "page": page,
            "vacancy": vacancy,
            "matches": matches,
            "more_matches": limit + MATCH_LIMIT if more and limit < MATCH_LIMIT_MAX else None,
            "pipeline": referral_selectors.vacancy_pipeline(vacancy=vacancy, user=request.user),
            "placements": list(
                Placement.objects.filter(vacancy=vacancy).select_related("candidate__organisation", "booked_by")
            ),
            "may_propose": page.is_owner and vacancy.accepts_referrals,
            "is_uwv": request.user.organisation.is_uwv,
            "status_form": ReferralStatusForm(),
            "block_form": BlockForm(),
            "close_form": CloseForm(),
            "expiry_form": ExpiryForm(initial={"expires_on": vacancy.expires_on}),
        },
    )


@login_required
@require_POST
def referral_propose(request, pk):
    """R-17, R-21: the vacancy owner proposes; the register entry is written at that moment."""
    vacancy = get_object_or_404(Vacancy, pk=pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a candidate to propose."))
        return redirect("vacancy-detail", pk=pk)
    candidate = Candidate.objects.filter(pk=form.cleaned_data["candidate"]).first()
    if candidate is None:
        raise Http404
    _run(
        request,
        lambda: referral_services.referral_propose(
            by=request.user,
            vacancy=vacancy,
            candidate=candidate,
            pawa=form.cleaned_data["pawa"],
            note=form.cleaned_data["note"],
        ),
        _("Candidate proposed and entered in the referral register."),
    )
    return redirect(reverse("vacancy-detail", args=[pk]) + "#pipeline")


@login_required
@require_POST
def referral_status(request, referral_id):
    referral = get_object_or_404(Referral.objects.select_related("vacancy"), pk=referral_id)
    form = ReferralStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
    else:
        _run(
            request,
            lambda: referral_services.referral_set_status(referral=referral, by=request.user, **form.cleaned_data),
            _("Referral updated."),
        )
    return redirect("vacancy-detail", pk=referral.vacancy_id)


@login_required
@require_POST
def vacancy_close_with_placements(request, pk):
    """R-25: the owner closes a 2-9 vacancy after booking its own candidates; partners get their duplicates."""
    vacancy = get_object_or_404(Vacancy, pk=pk)
    _run(
        request,
        lambda: placement_services.vacancy_close_with_placements(vacancy=vacancy, by=request.user),
        _("The vacancy is closed. Chain partners with hired candidates have a duplicate to book on."),
    )
    return redirect("vacancy-detail", pk=pk)


# --- Candidates ---------------------------------------------------------------------------------------------------


@login_required
def candidate_list(request):
    """The caseload of the adviser's organisation (R-40), with the stale-profile worklist as a filter."""
    form = CandidateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    candidates = candidate_selectors.candidate_list(user=request.user, filters=filters)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "matching/_candidate_table.html" if request.htmx else "matching/candidate_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def _candidate_form_context(form, candidate=None):
    ids = form.data.getlist("skills") if form.is_bound else (candidate.skills if candidate else [])
    chosen = list(Skill.objects.filter(pk__in=[pk for pk in map(_id_or_none, ids) if pk is not None]))
    return {
        "form": form,
        "candidate": candidate,
        "chosen_skills": chosen,
        "bsn_masked": mask_bsn(candidate.bsn) if candidate else "",
    }


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


# --- Placements ---------------------------------------------------------------------------------------------------


@login_required
def placement_book(request, referral_id):
    """R-22..R-25: book a hired referral as a placement."""
    referral = get_object_or_404(
        Referral.objects.select_related("vacancy__employer", "vacancy__owner", "candidate__organisation"),
        pk=referral_id,
    )
    form = PlacementForm(request.POST or None, initial={"hours_per_week": referral.vacancy.hours_per_week})
    if request.method == "POST" and form.is_valid():
        try:
            placement = placement_services.placement_book(by=request.user, referral=referral, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Placement booked."))
            return redirect("placement-detail", pk=placement.pk)
    return render(request, "matching/placement_form.html", {"form": form, "referral": referral})


def _placement(pk) -> Placement:
    return get_object_or_404(
        Placement.objects.select_related(
            "vacancy__employer", "candidate__organisation", "booked_by", "organisation", "sector", "cancelled_by"
        ),
        pk=pk,
    )


@login_required
def placement_detail(request, pk):
    placement = _placement(pk)
    return render(
        request,
        "matching/placement_detail.html",
        {
            "placement": placement,
            # the summaries are about the candidate: for the organisations working with them only.
            "aftercare_text_visible": placement_selectors.aftercare_text_visible(
                user=request.user, placement=placement
            ),
            "aftercare": list(placement.aftercare_contacts.select_related("adviser")),
            "aftercare_form": AftercareForm(),
            "cancel_form": PlacementCancelForm(),
            "history": list(placement.events.order_by("-pgh_created_at")[:20]),
        },
    )


@login_required
def placement_correct(request, pk):
    placement = _placement(pk)
    initial = {
        name: getattr(placement, name) for name in ("placement_type", "start_date", "end_date", "hours_per_week")
    }
    form = PlacementCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement_services.placement_correct(placement=placement, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Placement corrected; the previous values are kept in its history."))
            return redirect("placement-detail", pk=pk)
    return render(request, "matching/placement_correct.html", {"form": form, "placement": placement})


@login_required
@require_POST
def placement_cancel(request, pk):
    placement = _placement(pk)
    form = PlacementCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for cancelling."))
    else:
        _run(
            request,
            lambda: placement_services.placement_cancel(
                placement=placement, by=request.user, reason=form.cleaned_data["reason"]
            ),
            _("Placement cancelled. It stays in the records with its reason."),
        )
    return redirect("placement-detail", pk=pk)


@login_required
@require_POST
def aftercare_register(request, pk):
    """R-32: follow employer and candidate after the placement."""
    placement = _placement(pk)
    form = AftercareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and a summary of the aftercare contact."))
    else:
        _run(
            request,
            lambda: placement_services.aftercare_register(placement=placement, by=request.user, **form.cleaned_data),
            _("Aftercare contact saved."),
        )
    return redirect("placement-detail", pk=pk)
