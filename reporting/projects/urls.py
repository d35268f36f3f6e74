"""Browser pages of reporting.projects (Dutch paths)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sturing/projecten/", views.project_list, name="projects"),
    path("sturing/projecten/<int:pk>/", views.project_detail, name="project-detail"),
    path("sturing/evenementen/", views.event_list, name="events"),
]
