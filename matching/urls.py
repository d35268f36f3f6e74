from django.urls import path

from . import views

urlpatterns = [
    path("mijn-werk/", views.home, name="adviser-home"),
    path("vacatures/<int:pk>/", views.vacancy_detail, name="vacancy-detail"),
    path("vacatures/<int:pk>/voorstellen/", views.referral_propose, name="referral-propose"),
    path(
        "vacatures/<int:pk>/afsluiten-met-plaatsingen/",
        views.vacancy_close_with_placements,
        name="vacancy-close-with-placements",
    ),
    path("verwijzingen/<int:referral_id>/status/", views.referral_status, name="referral-status"),
    path("verwijzingen/<int:referral_id>/plaatsing/", views.placement_book, name="placement-book"),
    path("plaatsingen/duurzaamheid/", views.placement_durability, name="placement-durability"),
    path("kandidaten/", views.candidate_list, name="candidate-list"),
    path("kandidaten/nieuw/", views.candidate_create, name="candidate-create"),
    path("kandidaten/weekoverzicht/", views.weekly_overview, name="weekly-overview"),
    path("kandidaten/weekoverzicht/e-mail/", views.weekly_overview_email, name="weekly-overview-email"),
    path("kandidaten/<int:pk>/", views.candidate_detail, name="candidate-detail"),
    path("kandidaten/<int:pk>/wijzigen/", views.candidate_edit, name="candidate-edit"),
    path("kandidaten/<int:pk>/gecontroleerd/", views.candidate_reviewed, name="candidate-reviewed"),
    path("plaatsingen/<int:pk>/", views.placement_detail, name="placement-detail"),
    path("plaatsingen/<int:pk>/corrigeren/", views.placement_correct, name="placement-correct"),
    path("plaatsingen/<int:pk>/annuleren/", views.placement_cancel, name="placement-cancel"),
    path("plaatsingen/<int:pk>/nazorg/", views.aftercare_register, name="aftercare-register"),
]
