from django.urls import path

from . import public_views, views

urlpatterns = [
    # the public vacancy pages and feed, without login.
    path("vacatures/openbaar/", public_views.public_vacancy_list, name="public-vacancy-list"),
    path("vacatures/openbaar/rss/", public_views.PublishedVacancyFeed(), name="public-vacancy-feed"),
    path("vacatures/openbaar/<int:pk>/", public_views.public_vacancy_detail, name="public-vacancy-detail"),
    path("vacatures/", views.vacancy_list, name="vacancy-list"),
    path("vacatures/nieuw/", views.vacancy_register, name="vacancy-register"),
    path("vacatures/nieuw/nieuwe-werkgever/", views.employer_with_first_vacancy, name="employer-with-vacancy"),
    path("vacatures/werkgever-zoeken/", views.employer_pick, name="vacancy-employer-pick"),
    path("vacatures/vaardigheden/", views.skill_suggestions, name="vacancy-skill-suggestions"),
    path("vacatures/<int:pk>/wijzigen/", views.vacancy_edit, name="vacancy-edit"),
    path("vacatures/<int:pk>/blokkeren/", views.vacancy_block, name="vacancy-block"),
    path("vacatures/<int:pk>/deblokkeren/", views.vacancy_unblock, name="vacancy-unblock"),
    path("vacatures/<int:pk>/sluiten/", views.vacancy_close, name="vacancy-close"),
    path("vacatures/<int:pk>/heractiveren/", views.vacancy_reactivate, name="vacancy-reactivate"),
    path("vacatures/<int:pk>/verlengen/", views.vacancy_extend, name="vacancy-extend"),
    path("vacatures/<int:pk>/overdragen/", views.vacancy_hand_over, name="vacancy-hand-over"),
    path("vacatures/<int:pk>/coproductie/", views.co_production, name="vacancy-co-production"),
    path("vacatures/<int:pk>/ontvangst-corrigeren/", views.vacancy_correct_receipt, name="vacancy-correct-receipt"),
    path("vacatures/<int:pk>/aanbieden/", views.vacancy_offer_to_partners, name="vacancy-offer-to-partners"),
    path(
        "vacatures/<int:pk>/aanbod-intrekken/",
        views.vacancy_withdraw_partner_offer,
        name="vacancy-withdraw-partner-offer",
    ),
    path("vacatures/<int:pk>/overnemen/", views.vacancy_take_from_partner, name="vacancy-take-from-partner"),
    path("werkgevers/<int:pk>/vacature-ontvangen/", views.vacancy_intake, name="vacancy-intake"),
    path("ontvangen-vacatures/<int:intake_id>/terzijde/", views.vacancy_intake_dismiss, name="vacancy-intake-dismiss"),
]
