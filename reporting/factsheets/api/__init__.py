"""REST API of the factsheets (API.md `factsheets/`)."""

from .views import FactsheetViewSet

ROUTES = [("factsheets", FactsheetViewSet, "factsheet")]
