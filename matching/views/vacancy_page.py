"""The vacancy page with its matches and referral register, and what the owner does there (R-16..R-25, R-40,
R-42)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employers.views import _run
from vacancies import selectors as vacancy_selectors
from vacancies.choices import VacancyStatus
from vacancies.forms import BlockForm, CloseForm, ExpiryForm
from vacancies.models import Vacancy
from wsp.inputs import int_or_none

from ..forms import (
    ProposeForm,
    ReferralStatusForm,
)
from ..models import Candidate, Placement, Referral
from ..selectors import ranking
from ..selectors import referrals as referral_selectors
from ..services import placements as placement_services
from ..services import referrals as referral_services

MATCH_LIMIT = 20
MATCH_LIMIT_MAX = 100  # "show more" grows the list in steps of MATCH_LIMIT up to the API's maximum


def _match_limit(request) -> int:
    """R-18: nobody is left out: the list of fitting candidates grows with "show more" (`?meer=`)."""
    return min(int_or_none(request.GET.get("meer")) or MATCH_LIMIT, MATCH_LIMIT_MAX)


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
            # R-40: other organisations' candidates are matched on their age group where that differs.
            "age_groups_note": ranking.age_groups_message() if ranking.judged_on_age_groups(vacancy) else "",
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
