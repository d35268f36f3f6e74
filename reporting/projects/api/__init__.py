"""REST API of reporting.projects (../shared/API.md): (prefix, viewset, basename) routes for the one router."""

ROUTES = []
