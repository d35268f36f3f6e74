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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.choices import OrganisationKind
from employers import selectors as employer_selectors
from employers.choices import Instrument
from employers.views import _errors_to_form, _run
from vacancies import selectors as vacancy_selectors
from vacancies.choices import VacancyStatus
from vacancies.filters import int_or_none
from vacancies.forms import BlockForm, CloseForm, ExpiryForm
from vacancies.models import Skill, Vacancy
from wsp.errors import DomainError

from .bsn import is_valid_bsn, mask_bsn
from .choices import CandidateStatus, PlacementStatus, PlacementType, ReferralStatus, TargetGroup
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
            "partner_offers": vacancy_selectors.vacancies_offered_to_partners(user=user),
            "referrals_waiting": referral_selectors.referrals_waiting(user=user),
            "durability_due": placement_selectors.placements_due_for_durability_check(user=user),
            "to_book": placement_selectors.placements_to_book(user=user),
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
    pipeline = referral_selectors.vacancy_pipeline(vacancy=vacancy, user=request.user)
    return render(
        request,
        "matching/vacancy_detail.html",
        {
            "page": page,
            "vacancy": vacancy,
            "matches": matches,
            "more_matches": limit + MATCH_LIMIT if more and limit < MATCH_LIMIT_MAX else None,
            "pipeline": pipeline,
            "partners_wait_for_close": _partners_wait_for_close(page, pipeline),
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


def _partners_wait_for_close(page, pipeline) -> bool:
    """R-25: the owner's 2-9 vacancy has chain partners' hires that get a duplicate when the owner closes it."""
    if not page.is_owner or page.vacancy.status not in (VacancyStatus.OPEN, VacancyStatus.FILLED):
        return False
    duplicated = {duplicate.organisation_id for duplicate in page.duplicates}
    return any(
        card.waits_for_close and not card.booked and card.organisation_id not in duplicated
        for column in pipeline
        for card in column.cards
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
    chosen = list(Skill.objects.filter(pk__in=[pk for pk in map(_id_or_none, ids) if pk is not None]))
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


# --- Placements ---------------------------------------------------------------------------------------------------


def instrument_labels(values) -> list[str]:
    """R-33: the Dutch names of the instruments, in the list's order."""
    return [str(label) for value, label in Instrument.choices if value in (values or [])]



def _booker_or_none(referral: Referral):
    """Who books the referral (R-23..R-25), or None when nobody could (the booking form then shows the refusal)."""
    try:
        return placement_services.booker_of(referral)
    except DomainError:
        return None


def _durability_outlook(form, *, organisation_kind: str, fallback: dict):
    """R-30 before saving, from the form's valid values (or the defaults while nothing was entered)."""
    data = dict(fallback)
    if form.is_bound:
        form.is_valid()
        data = {name: form.cleaned_data.get(name) for name in ("start_date", "hours_per_week", "end_date")}
    return placement_selectors.durability_outlook(
        start_date=data.get("start_date"),
        hours_per_week=data.get("hours_per_week"),
        end_date=data.get("end_date"),
        organisation_kind=organisation_kind,
        today=timezone.localdate(),
    )


@login_required
def placement_book(request, referral_id):
    """R-22..R-25: book a hired referral as a placement. The form takes its defaults from the referral (the
    candidate's hours, today as start, the values of a cancelled earlier booking of it), shows the vacancy and
    candidate, the days it may start (R-22, R-57) and durability before saving (R-30)."""
    referral = get_object_or_404(
        Referral.objects.select_related(
            "vacancy__employer", "vacancy__owner", "candidate__organisation", "booker__organisation"
        ),
        pk=referral_id,
    )
    today = timezone.localdate()
    vacancy = referral.vacancy
    booker = _booker_or_none(referral)
    previous = referral.placements.filter(status=PlacementStatus.CANCELLED).order_by("-booked_at").first()
    initial = {
        "placement_type": previous.placement_type if previous else PlacementType.PERMANENT,
        "start_date": max(today, previous.start_date) if previous else today,
        "end_date": previous.end_date if previous else None,
        "hours_per_week": previous.hours_per_week if previous else referral.candidate.hours_per_week,
        "instruments_advised": previous.instruments_advised if previous else [],
        "instruments_applied": previous.instruments_applied if previous else [],
        "conditions": previous.conditions if previous else "",
    }
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement = placement_services.placement_book(by=request.user, referral=referral, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Placement booked."))
            return redirect("placement-detail", pk=placement.pk)
    kind = booker.organisation.kind if booker else request.user.organisation.kind
    carried = None
    if referral.status == ReferralStatus.HIRED:
        carried = (
            Referral.objects.filter(vacancy__duplicated_from_id=vacancy.pk, candidate_id=referral.candidate_id)
            .values_list("pk", flat=True)
            .first()
        )
    return render(
        request,
        "matching/placement_form.html",
        {
            "form": form,
            "referral": referral,
            "vacancy": vacancy,
            "candidate": referral.candidate,
            "personal": candidate_selectors.personal_access(request.user, referral.candidate),
            "booker": booker,
            "is_booker": booker is not None and booker.pk == request.user.pk,
            "waits_for_close": referral_services.is_two_to_nine_original(vacancy)
            and referral.candidate.organisation_id != vacancy.organisation_id,
            "carried_over_to": carried,
            "window": placement_services.start_window(vacancy=vacancy, referral=referral, today=today),
            "outlook": _durability_outlook(form, organisation_kind=kind, fallback=initial),
            "organisation_kind": kind,
        },
    )


@login_required
def placement_durability(request):
    """htmx: the durability outlook (R-30) for the values typed so far in the booking or correction form."""
    kind = request.GET.get("kind")
    if kind not in OrganisationKind.values:
        kind = request.user.organisation.kind
    form = PlacementForm(request.GET)
    outlook = _durability_outlook(form, organisation_kind=kind, fallback={})
    return render(request, "matching/_placement_durability.html", {"outlook": outlook})


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
            "history": placement_selectors.placement_history(placement=placement),
            "instruments_advised": instrument_labels(placement.instruments_advised),
            "instruments_applied": instrument_labels(placement.instruments_applied),
            "outlook": placement_selectors.durability_outlook(
                start_date=placement.start_date,
                hours_per_week=placement.hours_per_week,
                end_date=placement.end_date,
                organisation_kind=placement.organisation.kind,
                today=timezone.localdate(),
            ),
        },
    )


@login_required
def placement_correct(request, pk):
    placement = _placement(pk)
    initial = {name: getattr(placement, name) for name in placement_services.CORRECTABLE_FIELDS}
    form = PlacementCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Only what changed is a correction; the reason goes with it into the audit trail.
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if name != "reason" and _changed(value, initial.get(name))
        }
        try:
            placement_services.placement_correct(
                placement=placement, by=request.user, reason=form.cleaned_data["reason"], **changes
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Placement corrected; the previous values are kept in its history."))
            return redirect("placement-detail", pk=pk)
    outlook = _durability_outlook(form, organisation_kind=placement.organisation.kind, fallback=initial)
    return render(
        request,
        "matching/placement_correct.html",
        {"form": form, "placement": placement, "outlook": outlook, "organisation_kind": placement.organisation.kind},
    )


def _changed(value, before) -> bool:
    if isinstance(value, list | tuple) or isinstance(before, list | tuple):
        return sorted(value or []) != sorted(before or [])
    if value in (None, "") and before in (None, ""):
        return False
    return value != before


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
    """R-32: follow employer and candidate after the placement; "no longer employed" with the last day ends it."""
    placement = _placement(pk)
    form = AftercareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and a summary of the aftercare contact."))
        return redirect("placement-detail", pk=pk)
    try:
        placement_services.aftercare_register(placement=placement, by=request.user, **form.cleaned_data)
    except DomainError as error:
        # The page is shown again after the redirect: the field messages go with the refusal.
        details = [str(message) for messages_ in (error.fields or {}).values() for message in messages_]
        messages.error(request, " ".join([str(error.detail), *details]))
    else:
        messages.success(request, _("Aftercare contact saved."))
    return redirect("placement-detail", pk=pk)
