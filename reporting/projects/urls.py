"""Browser pages of reporting.projects (Dutch paths)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sturing/projecten/", views.project_list, name="projects"),
    path("sturing/projecten/<int:pk>/", views.project_detail, name="project-detail"),
    path("sturing/projecten/nieuw/", views.project_create, name="project-create"),
    path("sturing/projecten/<int:pk>/wijzigen/", views.project_edit, name="project-edit"),
    path("sturing/projecten/<int:pk>/maximale-subsidie/", views.max_subsidy_change, name="project-max-subsidy"),
    path("sturing/projecten/<int:pk>/activiteiten/nieuw/", views.activity_add, name="project-activity-add"),
    path("sturing/projecten/<int:pk>/activiteiten/<int:activity_pk>/", views.activity_detail, name="project-activity"),
    path("sturing/evenementen/", views.event_list, name="events"),
    path("sturing/evenementen/<int:pk>/wijzigen/", views.event_edit, name="event-edit"),
]
