"""REST API of reporting.targets (../shared/API.md): (prefix, viewset, basename) routes for the one router."""

from .coverage import CoverageViewSet
from .targets import TargetViewSet

ROUTES = [
    ("targets", TargetViewSet, "target"),
    ("coverage", CoverageViewSet, "coverage"),
]
