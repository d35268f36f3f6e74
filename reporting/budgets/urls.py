"""Browser pages of reporting.budgets (Dutch paths)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sturing/begroting/", views.budgets, name="budgets"),
]
