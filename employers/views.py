"""Browser pages for advisers and managers (Dutch UI). Views read through selectors and write through services;
a refused write comes back as a message or as errors on the form, and changes nothing."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from accounts.decorators import manager_required
from wsp.errors import Conflict, DomainError, RuleRefused
from wsp.inputs import int_or_none
from wsp.pages import keyset_page

from . import selectors, services
from .forms import (
    AccessRequestForm,
    CeaseForm,
    ContactMomentForm,
    ContactRequestForm,
    ContactResponseForm,
    EmployerCreateForm,
    EmployerFilterForm,
    EmployerForm,
    FeedbackImportForm,
    MergeForm,
    ReassignForm,
    VisitReportForm,
)
from .models import ContactRequest, Employer

PAGE_SIZE = 25
VACANCY_LIMIT = 10


def administrator_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.ADMIN:
            messages.error(request, _("Only administrators can open this page."))
            return redirect("home")
        return view(request, *args, **kwargs)

    return wrapper


def _refused_unless_admitted(request, employer: Employer):
    """R-04: a page that acts towards the employer is not shown to someone who may not act; they go back to the
    employer page, which says whom to ask and offers the one-click admission request. None when admitted."""
    try:
        if employer.purged_at is not None:
            raise RuleRefused(services.MSG_PURGED, code="employer_purged", rule="R-09")
        services.require_admission(employer, request.user)
    except RuleRefused as error:
        messages.warning(request, str(error.detail))
        return redirect("employer-detail", pk=employer.pk)
    return None


def _errors_to_form(form, error: DomainError) -> None:
    """Put a service's refusal on the form: field messages where the field exists, the rest on top."""
    placed = False
    for field, field_messages in (error.fields or {}).items():
        name = field.split(".")[-1]
        if name in form.fields:
            for message in field_messages:
                form.add_error(name, message)
            placed = True
    if not placed or error.rule:
        form.add_error(None, str(error.detail))


@login_required
def employer_list(request):
    form = EmployerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    employers = selectors.employer_list(user=request.user, filters=filters)
    page = keyset_page(employers, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    template = "employers/_employer_table.html" if request.htmx else "employers/employer_list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode(), "cutoff": selectors.takeover_cutoff()},
    )


@login_required
def duplicate_check(request):
    """R-07, as the adviser types: "did you mean ...?" with links to the existing records."""
    # The create form sends its prefixed field names; other callers may use plain ones.
    name = request.GET.get("employer-name", request.GET.get("name", ""))
    postcode = request.GET.get("employer-postcode", request.GET.get("postcode", ""))
    duplicates = selectors.duplicate_candidates(name=name, postcode=postcode)
    return render(request, "employers/_duplicates.html", {"duplicates": duplicates})


def create_employer_from_forms(request, form, first_form, first_field: str, **first_contact):
    """Enter an employer from its form and the form of its first contact (R-06: a visit report or a vacancy).

    A refusal lands on the forms: the duplicates of R-07 (with whether the adviser may confirm "another employer"),
    field errors on the form they belong to (`first_visit.reason` on the first-contact form), the rest on top.
    Returns the employer (None when refused), the duplicates and whether they may be overridden.
    """
    try:
        employer = services.employer_create(
            by=request.user,
            data={key: form.cleaned_data.get(key) for key in EmployerForm.Meta.fields},
            main_account_holder=form.cleaned_data.get("main_account_holder"),
            confirm_not_duplicate=form.cleaned_data.get("confirm_not_duplicate", False),
            **first_contact,
        )
    except Conflict as error:
        form.add_error(None, str(error.detail))
        return None, error.extra.get("duplicates", []), error.extra.get("overridable", False)
    except DomainError as error:
        for field, field_messages in (error.fields or {}).items():
            target = first_form if field.startswith(f"{first_field}.") else form
            name = field.split(".")[-1]
            for message in field_messages:
                target.add_error(name if name in target.fields else None, message)
        if not error.fields or error.rule:
            form.add_error(None, str(error.detail))
        return None, [], True
    return employer, [], True


@login_required
def employer_create(request):
    """R-06: a new employer comes in with the report of the visit that brought it (one that reported a vacancy
    comes in with that vacancy: vacancies.views.employer_with_first_vacancy)."""
    form = EmployerCreateForm(request.POST or None, prefix="employer")
    visit_form = VisitReportForm(request.POST or None, prefix="visit")
    duplicates, overridable = [], True
    if request.method == "POST" and form.is_valid() & visit_form.is_valid():
        employer, duplicates, overridable = create_employer_from_forms(
            request, form, visit_form, "first_visit", first_visit=services.VisitReport(**visit_form.cleaned_data)
        )
        if employer is not None:
            messages.success(request, _("Employer %(name)s entered, with its visit report.") % {"name": employer.name})
            return redirect("employer-detail", pk=employer.pk)
    return render(
        request,
        "employers/employer_create.html",
        {
            "form": form,
            "visit_form": visit_form,
            "duplicates": duplicates,
            "overridable": overridable,
            "is_adviser": request.user.role == Role.ADVISER,
        },
    )


@login_required
def employer_detail(request, pk):
    page = selectors.employer_page(employer_id=pk, user=request.user)
    if page is None:
        merged = Employer.objects.filter(pk=pk, merged_into__isnull=False).only("merged_into_id").first()
        if merged:
            return redirect("employer-detail", pk=merged.merged_into_id)
        raise Http404
    employer = page.employer
    user = request.user
    possible_from = services.takeover_possible_from(employer)
    is_holder = any(h.user_id == user.pk for h in page.account_holders)
    return render(
        request,
        "employers/employer_detail.html",
        {
            "page": page,
            "employer": employer,
            "is_main": employer.main_account_holder_id == user.pk,
            "is_holder": is_holder,
            # only those who may act are offered the actions; everyone else sees whom to ask (an administrator,
            # who does not act towards employers, is not offered the admission request either).
            "may_act": page.may_act,
            "is_administrator": user.role == Role.ADMIN,
            "takeover_possible_from": possible_from,
            "can_take_over": user.role == Role.ADVISER
            and employer.main_account_holder_id != user.pk
            and not employer.is_purged,
            # Vacancies reach the employer page through the reverse relation, so this app imports nothing of theirs.
            "vacancies": list(
                employer.vacancies.select_related("owner").order_by("-registered_at", "-id")[:VACANCY_LIMIT]
            ),
            "contact_form": ContactMomentForm(),
            "access_form": AccessRequestForm(),
            "cease_form": CeaseForm(),
        },
    )


@login_required
def employer_edit(request, pk):
    employer = get_object_or_404(Employer.objects.current(), pk=pk)
    refused = _refused_unless_admitted(request, employer)
    if refused:
        return refused
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data.get(key) for key in form.Meta.fields}
        try:
            services.employer_update(employer_id=pk, by=request.user, data=data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("employer-detail", pk=pk)
    return render(request, "employers/employer_edit.html", {"form": form, "employer": employer})


@login_required
def contact_moment_create(request, pk):
    """R-08: register a contact moment or a visit with its report (R-33: and the instruments advised or applied).
    R-04: only for those who may act towards the employer."""
    employer = get_object_or_404(Employer.objects.current(), pk=pk)
    refused = _refused_unless_admitted(request, employer)
    if refused:
        return refused
    form = ContactMomentForm(request.POST or None, initial={"kind": request.GET.get("kind", "visit")})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_moment_register(employer_id=pk, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Contact moment saved."))
            collisions = selectors.collisions(employer=employer, user=request.user)
            if collisions:
                messages.warning(
                    request,
                    _("Note: %(org)s was in touch with this employer recently.")
                    % {"org": collisions[0].organisation.name},
                )
            return redirect("employer-detail", pk=pk)
    return render(request, "employers/contact_moment_form.html", {"form": form, "employer": employer})


def _run(request, action, success: str):
    """Run a service for a POST button and report the outcome as a message."""
    try:
        result = action()
    except DomainError as error:
        messages.error(request, str(error.detail))
        return None
    messages.success(request, success)
    return result


@login_required
@require_POST
def access_request_create(request, pk):
    form = AccessRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.access_request_create(employer_id=pk, by=request.user, message=message),
        _("Your admission request was sent to the main account holder."),
    )
    return redirect("employer-detail", pk=pk)


@login_required
@require_POST
def access_request_decide(request, request_id, approve: bool):
    _run(
        request,
        lambda: services.access_request_decide(
            request_id=request_id, by=request.user, approve=approve, note=request.POST.get("note", "")
        ),
        _("The adviser was admitted as account holder.") if approve else _("The admission request was declined."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(target)


@login_required
@require_POST
def take_over(request, pk):
    _run(
        request,
        lambda: services.employer_take_over(employer_id=pk, by=request.user),
        _("You are now the main account holder."),
    )
    return redirect("employer-detail", pk=pk)


@login_required
@require_POST
def cease(request, pk):
    form = CeaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the employer ceased."))
    else:
        _run(
            request,
            lambda: services.employer_cease(employer_id=pk, by=request.user, ceased_on=form.cleaned_data["ceased_on"]),
            _("The employer is marked as ceased."),
        )
    return redirect("employer-detail", pk=pk)


@login_required
@require_POST
def reactivate(request, pk):
    _run(
        request,
        lambda: services.employer_reactivate(employer_id=pk, by=request.user),
        _("The employer is active again."),
    )
    return redirect("employer-detail", pk=pk)


@login_required
def contact_request_create(request, pk):
    """R-10: register an employer's request for contact; the 24-hour clock starts at receipt."""
    employer = get_object_or_404(Employer.objects.current(), pk=pk)
    form = ContactRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_request_register(employer_id=pk, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Contact request registered for %(name)s.") % {"name": employer.main_account_holder.full_name},
            )
            return redirect("employer-detail", pk=pk)
    return render(request, "employers/contact_request_form.html", {"form": form, "employer": employer})


@login_required
def contact_request_respond(request, request_id):
    """R-10: record the response; R-04: only the main account holder, an account holder or a manager answers."""
    contact = get_object_or_404(ContactRequest.objects.select_related("employer__main_account_holder"), pk=request_id)
    refused = _refused_unless_admitted(request, contact.employer)
    if refused:
        return refused
    form = ContactResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_request_respond(request_id=request_id, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Response recorded."))
            return redirect("employer-detail", pk=contact.employer_id)
    return render(request, "employers/contact_response_form.html", {"form": form, "contact": contact})


@login_required
def feedback(request):
    """R-11: advisers see the feedback about themselves; managers see aggregates only (of the answers that did not
    come from a manager's own hand: selectors.feedback_aggregates)."""
    context = {"own": selectors.feedback_for(user=request.user)[:100]}
    if request.user.is_manager:
        context["aggregates"] = selectors.feedback_aggregates()
        context["min_group"] = selectors.FEEDBACK_MIN_GROUP
        context["min_advisers"] = selectors.FEEDBACK_MIN_ADVISERS
    return render(request, "employers/feedback.html", context)


@administrator_required
def feedback_import(request):
    """R-11: an administrator imports feedback from a CSV file; nothing is saved when any row is wrong."""
    form = FeedbackImportForm(request.POST or None, request.FILES or None)
    refused_rows: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.feedback_import(by=request.user, content=form.cleaned_data["file"].read())
        except DomainError as error:
            form.add_error(None, str(error.detail))
            refused_rows = [str(m) for m in (error.fields or {}).get("file", [])]
        else:
            messages.success(
                request,
                _("%(created)d responses imported; %(present)d were already present and were not imported again.")
                % {"created": result.created, "present": result.already_present},
            )
            return redirect("feedback-import")
    return render(request, "employers/feedback_import.html", {"form": form, "refused_rows": refused_rows})


@manager_required
def reassign(request):
    """A manager hands a departing adviser's employers to colleagues of their own organisation (R-01, R-03)."""
    form = ReassignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.employers_reassign(
                from_user=form.cleaned_data["from_user"], to_users=list(form.cleaned_data["to_users"]), by=request.user
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("%(count)d employers were reassigned.") % {"count": count})
            return redirect(reverse("employer-list") + "?mine=")
    return render(request, "employers/reassign.html", {"form": form})


@manager_required
def merge(request):
    """A manager merges a duplicate record into the one kept, keeping all history (R-07)."""
    initial = {"keep": int_or_none(request.GET.get("keep")), "merge": int_or_none(request.GET.get("merge"))}
    form = MergeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.employer_merge(
                keep_id=form.cleaned_data["keep"],
                merge_id=form.cleaned_data["merge"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The records were merged; all history is on this page."))
            return redirect("employer-detail", pk=result.kept_id)
    ids = [pk for pk in (int_or_none(request.GET.get("keep")), int_or_none(request.GET.get("merge"))) if pk]
    preview = Employer.objects.current().filter(pk__in=ids).select_related("main_account_holder")
    return render(request, "employers/merge.html", {"form": form, "preview": preview})
