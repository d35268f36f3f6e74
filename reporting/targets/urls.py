"""Browser pages of reporting.targets (Dutch paths)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sturing/doelen/", views.targets, name="targets"),
    path("sturing/doelen/<int:pk>/wijzigen/", views.target_change, name="target-change"),
    path("sturing/dekking/", views.coverage, name="coverage"),
]
