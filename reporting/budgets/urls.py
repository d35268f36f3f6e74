"""Browser pages of reporting.budgets (Dutch paths)."""

urlpatterns = []
