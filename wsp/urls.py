from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.forms import LoginForm

urlpatterns = [
    path("", include("reporting.urls")),
    path("", include("matching.urls")),
    path("", include("vacancies.urls")),
    path("", include("employers.urls")),
    path("", include("accounts.urls")),
    path("", include("reporting.targets.urls")),
    path("", include("reporting.budgets.urls")),
    path("", include("reporting.projects.urls")),
    path("", include("reporting.factsheets.urls")),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("wsp.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up script as a file of its own: no inline script (Content-Security-Policy).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

# Under /api/ an unexpected error (code `server_error`) and an unknown path (`not_found`) are answered in the API's
# error format; elsewhere as a page.
handler404 = "wsp.api.exceptions.page_not_found"
handler500 = "wsp.api.exceptions.server_error"
