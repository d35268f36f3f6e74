"""Browser pages of reporting.budgets (Dutch paths)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sturing/begroting/", views.budgets, name="budgets"),
    path("sturing/begroting/nieuw/", views.budget_create, name="budget-create"),
    path("sturing/begroting/<int:pk>/regels/nieuw/", views.line_add, name="budget-line-add"),
    path("sturing/begroting/regels/<int:pk>/wijzigen/", views.line_change, name="budget-line-change"),
    path("sturing/begroting/regels/<int:pk>/verwijderen/", views.line_remove, name="budget-line-remove"),
]
