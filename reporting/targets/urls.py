"""Browser pages of reporting.targets (Dutch paths)."""

urlpatterns = []
