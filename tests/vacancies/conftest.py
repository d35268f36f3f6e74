"""Fixtures of the vacancy tests: skills of the vocabulary, a registered vacancy and a shorthand to register one."""

from collections.abc import Callable
from datetime import timedelta

import pytest

from accounts.choices import OrganisationKind
from tests.factories import OrganisationFactory, PlacementFactory, SkillFactory, UserFactory, VacancyFactory
from vacancies import services
from vacancies.choices import SkillKind
from vacancies.models import Vacancy


@pytest.fixture
def skills(db) -> list:
    """Three skills of the vocabulary (the test database also holds the vocabulary loaded by migration)."""
    return [
        SkillFactory(name=name)
        for name in ("Testvaardigheid heftruck", "Testvaardigheid orderpicken", "Testvaardigheid klantcontact")
    ]


@pytest.fixture
def occupation(db):
    return SkillFactory(kind=SkillKind.OCCUPATION, name="Magazijnmedewerker test")


@pytest.fixture
def reintegration(db):
    """A third partner organisation, for co-productions with more than one chain partner (R-19)."""
    return OrganisationFactory(code="ijmondwerkt", name="IJmond Werkt!", kind=OrganisationKind.REINTEGRATION)


@pytest.fixture
def third_adviser(reintegration):
    return UserFactory(username="dirk", first_name="Dirk", last_name="Dekker", organisation=reintegration)


@pytest.fixture
def vacancy(employer) -> Vacancy:
    """An open vacancy of `employer`, owned by `adviser` (UWV), registered an hour after receipt."""
    return VacancyFactory(employer=employer, title="Heftruckchauffeur")


@pytest.fixture
def register(adviser, employer, now) -> Callable[..., Vacancy]:
    """Register a vacancy through the service with sensible defaults; keyword arguments override them."""

    def make(**overrides) -> Vacancy:
        fields = {
            "by": adviser,
            "employer": employer,
            "title": "Orderpicker",
            "hours_per_week": 32,
            "received_at": now - timedelta(hours=3),
            "now": now,
        }
        fields.update(overrides)
        return services.vacancy_register(**fields)

    return make


@pytest.fixture
def book() -> Callable[..., object]:
    """A booked placement on the vacancy, straight in the database (the booking rules are the matching app's)."""

    def make(vacancy: Vacancy):
        return PlacementFactory(referral__vacancy=vacancy)

    return make
