"""R-06 in the browser: an employer that reported a vacancy is entered together with it, in one step."""

import pytest
from django.utils import timezone

from employers.models import Employer
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

EMPLOYER = {"employer-name": "Zorgcentrum Duinrand", "employer-postcode": "2042 AB", "employer-employer_type": "market"}


def _vacancy(**changes):
    data = {
        "title": "Verzorgende IG", "hours_per_week": "28", "requested_positions": "1", "source": "phone",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "visibility": "open",
        "recruitment_request": "on",
    }  # fmt: skip
    return {**data, **changes}


def test_page_enters_the_employer_with_its_first_vacancy_R06(client, adviser):
    client.force_login(adviser)
    assert client.get("/vacatures/nieuw/nieuwe-werkgever/").status_code == 200
    response = client.post("/vacatures/nieuw/nieuwe-werkgever/", {**EMPLOYER, **_vacancy()})
    employer = Employer.objects.get()
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/vacatures/{vacancy.pk}/"
    assert vacancy.employer == employer and employer.main_account_holder == adviser
    # entering the employer starts the clock; the vacancy was reported (received) before it was entered.
    assert employer.last_contact_at >= vacancy.received_at and employer.last_contact_source == "entered"


def test_a_refused_vacancy_leaves_no_employer_R06_R15(client, adviser):
    client.force_login(adviser)
    response = client.post("/vacatures/nieuw/nieuwe-werkgever/", {**EMPLOYER, **_vacancy(min_age="50")})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() or response.context["vacancy_form"].errors
    assert not Employer.objects.exists() and not Vacancy.objects.exists()
