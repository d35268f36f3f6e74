"""REST API of reporting.targets (../shared/API.md): (prefix, viewset, basename) routes for the one router."""

ROUTES = []
