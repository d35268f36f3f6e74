"""REST API of reporting.projects (../shared/API.md): (prefix, viewset, basename) routes for the one router."""

from .views import EventViewSet, ProjectViewSet

ROUTES = [
    ("projects", ProjectViewSet, "project"),
    ("events", EventViewSet, "event"),
]
