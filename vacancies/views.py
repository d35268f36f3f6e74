"""Browser pages for vacancies (Dutch UI): the list, registration, editing and the owner's actions.

The vacancy page itself, with its matches and referral pipeline, is in `matching.views`, the app that knows
candidates. Views read through selectors and write through services; a refusal comes back on the form or as a
message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from employers.forms import EmployerCreateForm
from employers.models import Employer
from employers.views import _errors_to_form, _run, create_employer_from_forms
from wsp.errors import DomainError
from wsp.inputs import int_or_none
from wsp.pages import keyset_page

from . import selectors, services
from .forms import (
    BlockForm,
    CloseForm,
    CoProductionForm,
    DismissIntakeForm,
    ExpiryForm,
    HandOverForm,
    IntakeForm,
    PartnerOfferForm,
    ReceiptCorrectionForm,
    TakeForm,
    VacancyEditForm,
    VacancyFilterForm,
    VacancyForm,
)
from .models import Skill, Vacancy, VacancyIntake

PAGE_SIZE = 25
EMPLOYER_PICK_LIMIT = 8


@login_required
def vacancy_list(request):
    form = VacancyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    vacancies = selectors.vacancy_list(user=request.user, filters=filters)
    page = keyset_page(vacancies, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    template = "vacancies/_vacancy_table.html" if request.htmx else "vacancies/vacancy_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def employer_pick(request):
    """The registration form's employer search: the adviser types, picks, and goes on (R-06, R-07). Employers the
    user may not register vacancies at are marked, with whom to ask (R-04)."""
    query = request.GET.get("employer_q", "").strip()
    employers = selectors.employers_to_pick(query=query, user=request.user, limit=EMPLOYER_PICK_LIMIT)
    return render(request, "vacancies/_employer_pick.html", {"employers": employers, "query": query})


@login_required
def skill_suggestions(request):
    """Skills to tick: the typical skills of the chosen occupation, or those whose name matches the search."""
    occupation = int_or_none(request.GET.get("occupation"))
    query = request.GET.get("skill_q", "").strip()
    checked = {number for number in map(int_or_none, request.GET.getlist("skills")) if number is not None}
    if query:
        found = Skill.objects.active().filter(name__icontains=query).order_by("kind", "name")
        if not request.GET.get("all"):  # a vacancy's occupation has its own field; a candidate's has not
            found = found.exclude(kind="occupation")
        skills = list(found[:15])
    elif occupation is not None:
        skills = list(Skill.objects.filter(typical_for=occupation).active())
        checked |= {skill.pk for skill in skills}
    else:
        skills = []
    skills += [skill for skill in Skill.objects.filter(pk__in=checked - {s.pk for s in skills})]
    return render(request, "vacancies/_skill_choices.html", {"skills": skills, "checked": checked})


def _chosen_skills(form) -> list[Skill]:
    values = form.data.getlist("skills") if form.is_bound else []
    ids = [number for number in map(int_or_none, values) if number is not None]
    return list(Skill.objects.filter(pk__in=ids))


@login_required
def vacancy_register(request):
    """R-12: register a vacancy within 24 hours of receipt; the employer is searched, not re-entered.

    Started from a noted intake (`?intake=`), the employer, title and moment of receipt come from the intake.
    """
    intake_id = int_or_none(request.POST.get("intake") or request.GET.get("intake"))
    intake = VacancyIntake.objects.waiting().filter(pk=intake_id).first() if intake_id else None
    employer_id = (
        intake.employer_id if intake else int_or_none(request.POST.get("employer") or request.GET.get("werkgever"))
    )
    employer = Employer.objects.active().filter(pk=employer_id).first() if employer_id else None
    initial = {"title": intake.title, "received_at": intake.received_at, "source": intake.source} if intake else {}
    form = VacancyForm(request.POST or None, initial=initial)
    # who may not register here is told whom to ask and offered the admission request or an intake.
    admission = selectors.admission_needed(employer=employer, user=request.user) if employer else None
    if request.method == "POST":
        if employer is None:
            form.add_error(None, _("Choose the employer the vacancy is for."))
        elif form.is_valid() and admission is None:
            try:
                vacancy = services.vacancy_register(
                    by=request.user, employer=employer, intake=intake, **form.service_data()
                )
            except DomainError as error:
                _errors_to_form(form, error)
            else:
                if vacancy.registered_late:
                    messages.warning(
                        request,
                        _("Vacancy registered, more than 24 hours after receipt: it counts as a late registration."),
                    )
                else:
                    messages.success(request, _("Vacancy registered."))
                return redirect("vacancy-detail", pk=vacancy.pk)
    return render(
        request,
        "vacancies/vacancy_form.html",
        {
            "form": form,
            "employer": employer,
            "intake": intake,
            "chosen_skills": _chosen_skills(form),
            "admission": admission,
            "intake_form": _intake_form_from(form) if admission else None,
        },
    )


def _intake_form_from(form) -> IntakeForm:
    """R-04, R-12: the vacancy as typed so far, ready to note as an intake for the main account holder."""
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    raw = form.data if form.is_bound else {}
    initial = {
        "title": data.get("title") or raw.get("title", ""),
        "received_at": data.get("received_at") or raw.get("received_at") or None,
        "source": data.get("source") or raw.get("source") or None,
        "note": data.get("description") or raw.get("description", ""),
    }
    return IntakeForm(initial={key: value for key, value in initial.items() if value}, prefix="intake")


@login_required
def vacancy_edit(request, pk):
    vacancy = get_object_or_404(Vacancy.objects.select_related("employer"), pk=pk)
    form = VacancyEditForm(request.POST or None)
    # The vacancy's current values for the fields this form has (received_at and source are not edited, R-12).
    form.initial = {
        name: vacancy.occupation_id if name == "occupation" else getattr(vacancy, name)
        for name in form.fields
        if name == "occupation" or hasattr(vacancy, name)
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(vacancy=vacancy, by=request.user, **form.service_data())
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("vacancy-detail", pk=pk)
    chosen = _chosen_skills(form) if form.is_bound else list(Skill.objects.filter(pk__in=vacancy.skills))
    return render(
        request,
        "vacancies/vacancy_form.html",
        {"form": form, "employer": vacancy.employer, "vacancy": vacancy, "chosen_skills": chosen},
    )


def _vacancy_action(request, pk, form_class, action, success: str, **form_kwargs):
    """A POST button on the vacancy page: validate its small form, run the service, report the outcome."""
    vacancy = get_object_or_404(Vacancy, pk=pk)
    form = form_class(request.POST, **form_kwargs) if form_class else None
    if form is not None and not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("vacancy-detail", pk=pk)
    result = _run(request, lambda: action(vacancy, form.cleaned_data if form else {}), success)
    return result, vacancy


@login_required
@require_POST
def vacancy_block(request, pk):
    _vacancy_action(
        request,
        pk,
        BlockForm,
        lambda v, data: services.vacancy_block(vacancy=v, by=request.user, reason=data["reason"]),
        _("The vacancy is blocked: no new referrals (R-16)."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
@require_POST
def vacancy_unblock(request, pk):
    _vacancy_action(
        request,
        pk,
        None,
        lambda v, data: services.vacancy_unblock(vacancy=v, by=request.user),
        _("The vacancy is open for referrals again."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
@require_POST
def vacancy_close(request, pk):
    _vacancy_action(
        request,
        pk,
        CloseForm,
        lambda v, data: services.vacancy_close(vacancy=v, by=request.user, reason=data["reason"], note=data["note"]),
        _("The vacancy is closed."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
@require_POST
def vacancy_reactivate(request, pk):
    _vacancy_action(
        request,
        pk,
        None,
        lambda v, data: services.vacancy_reactivate(vacancy=v, by=request.user),
        _("The vacancy is open again."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
@require_POST
def vacancy_extend(request, pk):
    _vacancy_action(
        request,
        pk,
        ExpiryForm,
        lambda v, data: services.vacancy_extend(vacancy=v, by=request.user, expires_on=data["expires_on"]),
        _("The expiry date was moved."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
def vacancy_hand_over(request, pk):
    """R-13: hand the vacancy to a chain partner when our own target groups cannot fill it."""
    vacancy = get_object_or_404(Vacancy.objects.select_related("employer", "owner", "organisation"), pk=pk)
    form = HandOverForm(request.POST or None, organisation=vacancy.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_hand_over(vacancy=vacancy, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The vacancy was handed to %(name)s.") % {"name": form.cleaned_data["to_user"].full_name},
            )
            return redirect("vacancy-detail", pk=pk)
    return render(request, "vacancies/hand_over.html", {"form": form, "vacancy": vacancy})


@login_required
def co_production(request, pk):
    """R-19: 10 or more positions: a recruitment plan with the partners, and a vacancy per partner."""
    vacancy = get_object_or_404(Vacancy.objects.select_related("employer", "owner", "organisation"), pk=pk)
    form = CoProductionForm(request.POST or None, organisation=vacancy.organisation)
    if request.method == "POST" and form.is_valid():
        owners = form.cleaned_data["partner_owners"]
        try:
            services.co_production_start(
                vacancy=vacancy,
                by=request.user,
                activities=form.cleaned_data["activities"],
                partners=[owner.organisation for owner in owners],
                partner_owners={owner.organisation_id: owner for owner in owners},
                planned_on=form.cleaned_data["planned_on"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Recruitment plan saved; every partner has its own vacancy now."))
            return redirect("vacancy-detail", pk=pk)
    return render(request, "vacancies/co_production.html", {"form": form, "vacancy": vacancy})


@login_required
def vacancy_intake(request, pk):
    """R-12: note a vacancy as it comes in (seconds); the 24-hour clock starts and the home page shows it.

    Open to every staff member (R-04): it goes to the employer's main account holder, whose clock then runs. The
    registration form offers it, prefilled (prefix `intake`), to whoever may not register at the employer.
    """
    employer = get_object_or_404(Employer.objects.active().select_related("main_account_holder"), pk=pk)
    prefix = "intake" if "intake-title" in request.POST else None
    form = IntakeForm(request.POST or None, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.vacancy_intake_register(by=request.user, employer=employer, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            due = timezone.localtime(intake.due_at).strftime("%d-%m-%Y %H:%M")
            if intake.assigned_to_id == request.user.pk:
                messages.success(request, _("Vacancy noted. Register it before %(due)s.") % {"due": due})
            else:
                messages.success(
                    request,
                    _("Vacancy noted for %(name)s, who registers it before %(due)s (R-12).")
                    % {"name": intake.assigned_to.full_name, "due": due},
                )
            return redirect("employer-detail", pk=pk)
    return render(request, "vacancies/intake_form.html", {"form": form, "employer": employer})


@login_required
def vacancy_correct_receipt(request, pk):
    """R-12, R-57: the owner or a manager corrects the moment of receipt, with a reason kept in the history."""
    page = selectors.vacancy_page(vacancy_id=pk, user=request.user)
    if page is None:
        raise Http404
    vacancy = page.vacancy
    form = ReceiptCorrectionForm(request.POST or None, initial={"received_at": vacancy.received_at})
    if request.method == "POST" and form.is_valid():
        try:
            corrected = services.vacancy_correct_receipt(vacancy=vacancy, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            if corrected.registered_late:
                messages.warning(
                    request, _("Moment of receipt corrected: the vacancy now counts as registered late (R-12).")
                )
            else:
                messages.success(request, _("Moment of receipt corrected."))
            return redirect("vacancy-detail", pk=pk)
    return render(request, "vacancies/correct_receipt.html", {"form": form, "vacancy": vacancy, "page": page})


@login_required
@require_POST
def vacancy_offer_to_partners(request, pk):
    _vacancy_action(
        request,
        pk,
        PartnerOfferForm,
        lambda v, data: services.vacancy_offer_to_partners(vacancy=v, by=request.user, note=data["note"]),
        _("The vacancy is offered to the chain partners: their advisers see it on their home page (R-13)."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
@require_POST
def vacancy_withdraw_partner_offer(request, pk):
    _vacancy_action(
        request,
        pk,
        None,
        lambda v, data: services.vacancy_withdraw_partner_offer(vacancy=v, by=request.user),
        _("The offer to the chain partners was withdrawn."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
@require_POST
def vacancy_take_from_partner(request, pk):
    """R-13: a chain partner's adviser takes an offered vacancy (from its page or the home page)."""
    _vacancy_action(
        request,
        pk,
        TakeForm,
        lambda v, data: services.vacancy_take_from_partner(vacancy=v, by=request.user, note=data["note"]),
        _("You took the vacancy over: you are its owner and account holder of the employer (R-13)."),
    )
    return redirect("vacancy-detail", pk=pk)


@login_required
@require_POST
def vacancy_intake_dismiss(request, intake_id):
    form = DismissIntakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    else:
        _run(
            request,
            lambda: services.vacancy_intake_dismiss(intake=intake_id, by=request.user, **form.cleaned_data),
            _("The noted vacancy was set aside."),
        )
    return redirect("home")


@login_required
def employer_with_first_vacancy(request):
    """R-06: an employer that reported a vacancy is entered together with that vacancy, in one step.

    The duplicate check (R-07) runs as for any new employer; a refused vacancy leaves no employer behind.
    """
    form = EmployerCreateForm(request.POST or None, prefix="employer")
    vacancy_form = VacancyForm(request.POST or None)
    duplicates, overridable = [], True
    if request.method == "POST" and form.is_valid() & vacancy_form.is_valid():
        vacancy_data = vacancy_form.service_data()
        employer, duplicates, overridable = create_employer_from_forms(
            request,
            form,
            vacancy_form,
            "first_vacancy",
            first_vacancy_register=lambda new: services.vacancy_register_for_new_employer(
                employer=new, by=request.user, **vacancy_data
            ),
        )
        if employer is not None:
            vacancy = employer.vacancies.get()
            messages.success(request, _("Employer %(name)s entered, with its first vacancy.") % {"name": employer.name})
            return redirect("vacancy-detail", pk=vacancy.pk)
    return render(
        request,
        "vacancies/employer_with_vacancy.html",
        {
            "form": form,
            "vacancy_form": vacancy_form,
            "duplicates": duplicates,
            "overridable": overridable,
            "is_adviser": request.user.role == Role.ADVISER,
            "chosen_skills": _chosen_skills(vacancy_form),
        },
    )
