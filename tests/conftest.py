"""Shared fixtures: the partner organisations of a WSP, their staff and API clients (R-01).

Run with your own test database: `DATABASE_TEST_NAME=test_wsp_api .venv/bin/python -m pytest tests`.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind, Role
from accounts.services import api_token_create
from employers.models import Employer

from .factories import EmployerFactory, OrganisationFactory, UserFactory

# Tables whose row counts show whether a refused action left the data as it was.
WATCHED_MODELS = (
    "employers.Employer",
    "employers.AccountHolder",
    "employers.AccessRequest",
    "employers.ContactMoment",
    "employers.ContactRequest",
    "employers.EmployerFeedback",
    "employers.EmployerMerge",
    "employers.PurgedEmployerTally",
    "employers.EmployerEvent",
    "employers.AccountHolderEvent",
    "employers.ContactRequestEvent",
    "employers.ContactMomentEvent",
    "accounts.ApiToken",
    "accounts.Notification",
    "vacancies.Vacancy",
    "vacancies.VacancyIntake",
    "vacancies.VacancyEvent",
    "vacancies.VacancyHandover",
    "vacancies.RecruitmentPlan",
    "matching.Candidate",
    "matching.Referral",
    "matching.ReferralStatusChange",
    "matching.Placement",
    "matching.PlacementEvent",
    "matching.AftercareContact",
)


@pytest.fixture
def uwv(db):
    return OrganisationFactory(code="uwv", name="UWV", kind=OrganisationKind.UWV)


@pytest.fixture
def municipality(db):
    return OrganisationFactory(code="haarlem", name="Gemeente Haarlem", kind=OrganisationKind.MUNICIPALITY)


@pytest.fixture
def adviser(uwv):
    return UserFactory(username="anna", first_name="Anna", last_name="de Jong", organisation=uwv, role=Role.ADVISER)


@pytest.fixture
def colleague(uwv):
    """A second adviser of the same organisation (no collision between colleagues)."""
    return UserFactory(username="bram", first_name="Bram", last_name="Bakker", organisation=uwv, role=Role.ADVISER)


@pytest.fixture
def other_adviser(municipality):
    return UserFactory(
        username="chris", first_name="Chris", last_name="Visser", organisation=municipality, role=Role.ADVISER
    )


@pytest.fixture
def manager(uwv):
    return UserFactory(username="mira", first_name="Mira", last_name="Manager", organisation=uwv, role=Role.MANAGER)


@pytest.fixture
def employer(adviser):
    """An employer whose main account holder is `adviser`."""
    return EmployerFactory(name="Bakkerij Jansen", postcode="2011 AB", main_account_holder=adviser)


@pytest.fixture
def api_client():
    """No credentials at all."""
    return APIClient()


@pytest.fixture
def client_for() -> Callable[..., APIClient]:
    """An API client acting as the given user (authentication itself is tested in tests/accounts)."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def adviser_client(client_for, adviser):
    return client_for(adviser)


@pytest.fixture
def other_client(client_for, other_adviser):
    return client_for(other_adviser)


@pytest.fixture
def manager_client(client_for, manager):
    return client_for(manager)


@pytest.fixture
def token_client() -> Callable[..., tuple[APIClient, object]]:
    """An API client that authenticates with a fresh `Authorization: Token <key>` for a user or organisation."""

    def make(**owner) -> tuple[APIClient, object]:
        token, key = api_token_create(**owner)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client, token

    return make


@pytest.fixture
def counts(db) -> Callable[[], dict[str, int]]:
    """Row counts of the domain tables and their audit trails: equal before and after a refusal."""

    def snapshot() -> dict[str, int]:
        return {label: apps.get_model(label).objects.count() for label in WATCHED_MODELS}

    return snapshot


@pytest.fixture
def set_last_contact() -> Callable:
    """Put an employer's takeover clock (R-05) at a moment, e.g. 13 months ago.

    A bulk update of `last_contact_at` alone is not an audit-trail entry (the field is excluded from the
    history), so this moves the clock without the trigger moving it back to now.
    """

    def set_(employer: Employer, when) -> Employer:
        Employer.objects.filter(pk=employer.pk).update(last_contact_at=when)
        employer.refresh_from_db()
        assert employer.last_contact_at == when
        return employer

    return set_


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def ended_quarter(now):
    """A moment in a quarter that has ended (a quarter has at most 92 days): what managers' feedback aggregates
    count (R-11)."""
    return now - timedelta(days=93)
