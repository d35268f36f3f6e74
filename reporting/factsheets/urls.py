from django.urls import path

from . import views

urlpatterns = [
    path("sturing/factsheets/", views.factsheet_list, name="factsheets"),
    path("sturing/factsheets/<int:pk>/", views.factsheet_detail, name="factsheet-detail"),
    path("sturing/factsheets/<int:pk>/publiceren/", views.factsheet_publish, name="factsheet-publish"),
    path("sturing/factsheets/<int:pk>/pdf/", views.factsheet_pdf, name="factsheet-pdf"),
    path("sturing/factsheets/<int:pk>/opnieuw/", views.factsheet_rebuild, name="factsheet-rebuild"),
    path("sturing/factsheets/<int:pk>/toelichting/<slug:section>/", views.factsheet_explain, name="factsheet-explain"),
    path("sturing/factsheets/<int:pk>/<slug:key>/", views.factsheet_figure, name="factsheet-figure"),
]
