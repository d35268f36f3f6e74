"""REST API of reporting.budgets (../shared/API.md): (prefix, viewset, basename) routes for the one router."""

from .budgets import BudgetViewSet

ROUTES = [("budgets", BudgetViewSet, "budget")]
