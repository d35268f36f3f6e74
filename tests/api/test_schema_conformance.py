"""API.md: the OpenAPI schema the application serves is what the API answers.

A bounded schemathesis run over every operation of `/api/schema/`: generated requests (valid and invalid ones) go
in-process to the WSGI application as an adviser with a token, in a small region with one record of each kind, and
every answer must be no 5xx, a documented status code, JSON, and conform to the documented response schema (the
error format included). Bounded: a fixed number of examples per operation, derandomised, so CI takes the same time
on every run and a failure can be reproduced.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create
from matching.choices import ReferralStatus
from tests.factories import (
    AccessRequestFactory,
    CandidateFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    EmployerFeedbackFactory,
    PlacementFactory,
    ReferralFactory,
    UserFactory,
    VacancyFactory,
)

# The schema as the application serves it (the same generator as /api/schema/), loaded once at collection, so
# every operation is its own test case.
schema = schemathesis.openapi.from_dict(SchemaGenerator(patterns=None).get_schema(request=None, public=True))

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def region(db, uwv, municipality, adviser, other_adviser):
    """One record of each kind, owned by the adviser whose token calls the API, so ids in paths find something."""
    employer = EmployerFactory(main_account_holder=adviser)
    vacancy = VacancyFactory(employer=employer)
    candidate = CandidateFactory(adviser=adviser)
    ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=other_adviser, target_group="pwet"))
    referral = ReferralFactory(vacancy=VacancyFactory(employer=employer), candidate=candidate)
    PlacementFactory(referral=ReferralFactory(status=ReferralStatus.HIRED, vacancy=VacancyFactory(employer=employer)))
    ContactMomentFactory(employer=employer, visit=True)
    ContactRequestFactory(employer=employer, received_at=timezone.now() - timedelta(hours=2))
    EmployerFeedbackFactory(employer=employer)
    AccessRequestFactory(employer=employer, requester=UserFactory(organisation=municipality))
    return referral


@pytest.fixture
def token(region, adviser) -> str:
    return api_token_create(user=adviser)[1]


@pytest.fixture
def app():
    """The WSGI application, called in-process within the test's transaction. Like Django's test client, it must
    not close the database connection at the end of each request (that would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, token, app):
    case.call_and_validate(
        app=app,
        headers={"Authorization": f"Token {token}", "Accept-Language": "nl"},
        checks=CHECKS,
    )
