"""API for employers, ownership and contacts (API.md). Thin: input is typed here, rules live in services.

`serializers` (input and representations), `filters` (FilterSets), and the viewsets per sub-domain: `employers`
(employers and admission requests), `contacts` (contact moments and contact requests) and `feedback`.
"""

from .contacts import ContactMomentViewSet, ContactRequestViewSet
from .employers import AccessRequestViewSet, EmployerViewSet
from .feedback import FeedbackViewSet
from .serializers import EmployerSerializer

__all__ = [
    "AccessRequestViewSet",
    "ContactMomentViewSet",
    "ContactRequestViewSet",
    "EmployerSerializer",
    "EmployerViewSet",
    "FeedbackViewSet",
]
