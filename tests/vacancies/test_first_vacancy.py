"""R-06: an employer comes in with its first visit or its first vacancy (`employers/` POST `first_vacancy`), in one
transaction: a refused vacancy leaves no employer either."""

from datetime import timedelta

import pytest

from employers import services as employer_services
from employers.models import ContactMoment, Employer
from vacancies import services
from vacancies.models import Vacancy
from wsp.errors import InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db

API = "/api/v1/employers/"


@pytest.fixture
def payload(now):
    def make(**vacancy):
        return {
            "name": "Zuiderzee Logistiek",
            "postcode": "1234 AB",
            "municipality": "Velsen",
            "first_vacancy": {
                "title": "Orderpicker",
                "hours_per_week": 32,
                "received_at": (now - timedelta(hours=2)).isoformat(),
                "requested_positions": 4,
                **vacancy,
            },
        }

    return make


def test_employer_enters_with_its_first_vacancy_R06(adviser_client, adviser, payload):
    response = adviser_client.post(API, payload(), format="json")

    assert response.status_code == 201, response.content
    employer = Employer.objects.get(pk=response.json()["id"])
    vacancy = Vacancy.objects.get(employer=employer)
    assert (employer.main_account_holder, vacancy.owner, vacancy.title) == (adviser, adviser, "Orderpicker")
    assert (vacancy.positions, vacancy.requested_positions, vacancy.postcode) == (1, 4, "1234 AB")
    assert not ContactMoment.objects.filter(employer=employer).exists()
    assert employer.last_contact_at >= vacancy.received_at  # entering it (with its vacancy) starts the clock


@pytest.mark.parametrize(
    ("vacancy", "status", "code", "rule", "field"),
    [
        ({"positions": 2}, 403, "positions_above_one", "R-20", "first_vacancy.positions"),
        ({"min_age": 18}, 403, "age_requirement_not_allowed", "R-15", "first_vacancy.min_age"),
        ({"visibility": "blocked"}, 400, "blocked_reason_required", "R-16", "first_vacancy.blocked_reason"),
        ({"gender": "f"}, 403, "discriminating_requirement", "R-15", "gender"),
        ({"owner": 987654321}, 400, "unknown_user", None, "first_vacancy.owner"),
    ],
)
def test_refused_first_vacancy_leaves_no_employer_R06(adviser_client, payload, counts, vacancy, status, code, rule,
                                                      field):  # fmt: skip
    before = counts()
    response = adviser_client.post(API, payload(**vacancy), format="json")
    assert response.status_code == status, response.content
    body = response.json()
    assert (body["code"], body.get("rule")) == (code, rule)
    assert field in body["fields"]
    assert counts() == before


def test_first_vacancy_without_its_required_fields_is_400(adviser_client, payload, counts):
    body = payload()
    del body["first_vacancy"]["title"]
    before = counts()
    response = adviser_client.post(API, body, format="json")
    assert response.status_code == 400
    assert any(name.startswith("first_vacancy") for name in response.json()["fields"])
    assert counts() == before


def test_neither_visit_nor_vacancy_is_refused_R06(adviser_client, payload, counts):
    body = payload()
    del body["first_vacancy"]
    before = counts()
    response = adviser_client.post(API, body, format="json")
    assert (response.status_code, response.json()["code"], response.json()["rule"]) == (
        400,
        "first_contact_required",
        "R-06",
    )
    assert {"first_visit", "first_vacancy"} <= set(response.json()["fields"])
    assert counts() == before


def test_service_hook_registers_inside_the_employer_transaction_R06(adviser, now, counts):
    def first_vacancy(employer):
        return services.vacancy_register_for_new_employer(
            employer=employer, by=adviser, title="Kok", hours_per_week=38, received_at=now - timedelta(hours=1)
        )

    employer = employer_services.employer_create(
        by=adviser, data={"name": "Restaurant De Haven", "postcode": "1971 AA"}, first_vacancy_register=first_vacancy
    )
    assert Vacancy.objects.get(employer=employer).title == "Kok"

    def refused(employer):
        return services.vacancy_register_for_new_employer(
            employer=employer, by=adviser, title="Kok", hours_per_week=38, received_at=now, positions=3
        )

    before = counts()
    with pytest.raises(RuleRefused):
        employer_services.employer_create(
            by=adviser, data={"name": "Hotel Zeezicht", "postcode": "1971 AB"}, first_vacancy_register=refused
        )
    with pytest.raises(InvalidInput):
        employer_services.employer_create(by=adviser, data={"name": "Hotel Zeezicht", "postcode": "1971 AB"})
    assert counts() == before
