from django.urls import path

from . import views

urlpatterns = [
    path("werkgevers/", views.employer_list, name="employer-list"),
    path("werkgevers/nieuw/", views.employer_create, name="employer-create"),
    path("werkgevers/dubbelen/", views.duplicate_check, name="employer-duplicates"),
    path("werkgevers/<int:pk>/", views.employer_detail, name="employer-detail"),
    path("werkgevers/<int:pk>/wijzigen/", views.employer_edit, name="employer-edit"),
    path("werkgevers/<int:pk>/contact/", views.contact_moment_create, name="contact-moment-create"),
    path("werkgevers/<int:pk>/toegang/", views.access_request_create, name="access-request-create"),
    path("werkgevers/<int:pk>/overnemen/", views.take_over, name="employer-take-over"),
    path("werkgevers/<int:pk>/gestaakt/", views.cease, name="employer-cease"),
    path("werkgevers/<int:pk>/heropenen/", views.reactivate, name="employer-reactivate"),
    path("werkgevers/<int:pk>/contactverzoek/", views.contact_request_create, name="contact-request-create"),
    path(
        "contactverzoeken/<int:request_id>/beantwoorden/", views.contact_request_respond, name="contact-request-respond"
    ),
    path(
        "toegangsverzoeken/<int:request_id>/goedkeuren/",
        views.access_request_decide,
        {"approve": True},
        name="access-request-approve",
    ),
    path(
        "toegangsverzoeken/<int:request_id>/afwijzen/",
        views.access_request_decide,
        {"approve": False},
        name="access-request-decline",
    ),
    path("feedback/", views.feedback, name="feedback"),
    path("beheer/herverdelen/", views.reassign, name="reassign"),
    path("beheer/samenvoegen/", views.merge, name="merge"),
    path("beheer/feedback-importeren/", views.feedback_import, name="feedback-import"),
]
