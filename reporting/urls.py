"""Browser pages of the reporting app: the home page (a manager's is the region's dashboard) and the drill-downs."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sturing/", views.dashboard, name="dashboard"),
    path("sturing/cijfers/<slug:key>/", views.measure_records, name="measure-records"),
    path("sturing/cijfers/<slug:key>/export.<str:fmt>", views.measure_export, name="measure-export"),
]
