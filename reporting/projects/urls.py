"""Browser pages of reporting.projects (Dutch paths)."""

urlpatterns = []
