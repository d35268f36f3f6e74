"""The adviser's home page, "Mijn werk" (R-05, R-10, R-12, R-13, R-23..R-25, R-30, R-32)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import selectors as account_selectors
from employers import selectors as employer_selectors
from vacancies import selectors as vacancy_selectors

from ..selectors import placements as placement_selectors
from ..selectors import referrals as referral_selectors


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
