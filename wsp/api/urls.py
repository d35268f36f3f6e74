"""One router for the whole API (STYLE habit 5); paths are the contract of ../shared/API.md."""

from rest_framework.routers import DefaultRouter

from accounts.api import OrganisationViewSet, SectorViewSet, UserViewSet
from employers.api import (
    AccessRequestViewSet,
    ContactMomentViewSet,
    ContactRequestViewSet,
    EmployerViewSet,
    FeedbackViewSet,
)
from matching.api import ROUTES as MATCHING_ROUTES
from reporting.api import ROUTES as REPORTING_ROUTES
from reporting.budgets.api import ROUTES as BUDGET_ROUTES
from reporting.factsheets.api import ROUTES as FACTSHEET_ROUTES
from reporting.projects.api import ROUTES as PROJECT_ROUTES
from reporting.targets.api import ROUTES as TARGET_ROUTES
from vacancies.api import ROUTES as VACANCY_ROUTES

router = DefaultRouter()
router.include_root_view = False
router.register("organisations", OrganisationViewSet)
router.register("users", UserViewSet)
router.register("sectors", SectorViewSet)
router.register("employers", EmployerViewSet, basename="employer")
router.register("access-requests", AccessRequestViewSet, basename="accessrequest")
router.register("contact-moments", ContactMomentViewSet, basename="contactmoment")
router.register("contact-requests", ContactRequestViewSet, basename="contactrequest")
router.register("feedback", FeedbackViewSet, basename="feedback")
# The reporting routes first: `referrals/funnel/` before the referrals' `referrals/{id}/`.
ROUTES = [
    *REPORTING_ROUTES, *TARGET_ROUTES, *BUDGET_ROUTES, *PROJECT_ROUTES, *FACTSHEET_ROUTES, *VACANCY_ROUTES,
    *MATCHING_ROUTES,
]  # fmt: skip
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
