"""Browser pages through Django's test client: what they show, what they refuse, and query counts that stay the
same when the data grows (STYLE habit 10)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from employers.models import AccessRequest, Employer
from tests.factories import (
    AccessRequestFactory,
    AccountHolderFactory,
    ContactMomentFactory,
    EmployerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client(client, adviser):
    client.force_login(adviser)
    return client


def _grow(adviser, other_adviser, n: int) -> Employer:
    """n employers in the adviser's caseload, each with contacts, holders and requests; returns one of them."""
    employers = EmployerFactory.create_batch(n, main_account_holder=adviser)
    for employer in employers:
        ContactMomentFactory.create_batch(2, employer=employer)
        ContactMomentFactory(employer=employer, adviser=other_adviser, visit=True)
        AccountHolderFactory(employer=employer)
        AccessRequestFactory(employer=employer)
    Employer.objects.filter(pk__in=[e.pk for e in employers]).update(
        last_contact_at=timezone.now() - timedelta(days=340)
    )
    return employers[0]


@pytest.mark.parametrize("n", [2, 20])
def test_home_page_query_count_does_not_grow(browser_client, adviser, other_adviser, n, django_assert_num_queries):
    _grow(adviser, other_adviser, n)
    # session + user, caseload, caseload count, open contact requests, nearing takeover, access requests to answer,
    # my own pending requests; part 2: vacancies to register, registered late, expiring and expired, referrals waiting,
    # placements due for a durability check; the unread notices; vacancies offered by chain partners; hired
    # candidates whose placement this adviser books (R-23..R-25)
    with django_assert_num_queries(17):
        response = browser_client.get("/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_employer_list_query_count_does_not_grow(browser_client, adviser, other_adviser, n, django_assert_num_queries):
    _grow(adviser, other_adviser, n)
    # session + user, sectors for the filter form, count, one page with sector and holder joined
    with django_assert_num_queries(5):
        response = browser_client.get("/werkgevers/?q=werkgever")
    assert response.status_code == 200
    assert response.context["page"].count == n


@pytest.mark.parametrize("n", [2, 20])
def test_employer_page_query_count_does_not_grow(browser_client, adviser, other_adviser, n, django_assert_num_queries):
    employer = _grow(adviser, other_adviser, n)
    ContactMomentFactory.create_batch(n, employer=employer)
    # session + user, employer, holders, timeline, contact requests, pending admission requests, audit-trail events,
    # merged records, own feedback, the employer's latest vacancies (the audit trail's user names cost one more when
    # events carry a user)
    with django_assert_num_queries(11):
        response = browser_client.get(f"/werkgevers/{employer.pk}/")
    assert response.status_code == 200


def test_employer_page_shows_a_collision_warning_for_another_organisations_recent_contact(
    browser_client, adviser, other_adviser, employer
):
    ContactMomentFactory(employer=employer, adviser=other_adviser, occurred_at=timezone.now() - timedelta(days=3))
    response = browser_client.get(f"/werkgevers/{employer.pk}/")
    assert response.context["page"].collisions
    assert other_adviser.organisation.name in response.content.decode()


def test_takeover_inside_12_months_is_refused_in_dutch_with_the_date_R05(client, adviser, other_adviser, employer):
    ContactMomentFactory(employer=employer, occurred_at=timezone.now() - timedelta(days=10))
    client.force_login(other_adviser)
    response = client.post(f"/werkgevers/{employer.pk}/overnemen/", follow=True)
    text = response.content.decode()
    assert "R-05" in text and "mogelijk vanaf" in text
    employer.refresh_from_db()
    assert employer.main_account_holder == adviser


def test_admission_approval_by_someone_else_is_refused_and_changes_nothing_R04(
    client, adviser, other_adviser, employer
):
    request = AccessRequestFactory(employer=employer, requester=other_adviser)
    outsider = UserFactory(organisation=other_adviser.organisation)
    client.force_login(outsider)
    response = client.post(f"/toegangsverzoeken/{request.pk}/goedkeuren/", follow=True)
    assert "hoofdaccounthouder" in response.content.decode()
    assert AccessRequest.objects.get(pk=request.pk).status == "pending"
    assert not employer.account_holders.filter(user=outsider).exists()


def test_create_without_visit_report_shows_field_errors_and_saves_nothing_R06_R08(browser_client):
    response = browser_client.post(
        "/werkgevers/nieuw/",
        {
            "employer-name": "Nieuw Bedrijf",
            "employer-postcode": "2011 AB",
            "employer-employer_type": "market",
            "visit-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert response.context["visit_form"].errors.keys() >= {"reason", "company_activities", "agreements"}
    assert not Employer.objects.exists()


def test_create_with_malformed_postcode_and_kvk_is_refused_in_dutch(browser_client):
    response = browser_client.post(
        "/werkgevers/nieuw/",
        {
            "employer-name": "Nieuw Bedrijf",
            "employer-postcode": "123 AB",
            "employer-kvk_number": "1234",
            "employer-employer_type": "market",
            "visit-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "visit-reason": "Kennismaking",
            "visit-company_activities": "Bouw",
            "visit-agreements": "Vacature melden",
        },
    )
    form = response.context["form"]
    assert "postcode" in form.errors and "kvk_number" in form.errors
    assert "2011 AB" in " ".join(form.errors["postcode"])
    assert not Employer.objects.exists()


def test_reassign_page_is_for_managers_only(client, adviser):
    client.force_login(adviser)
    response = client.get("/beheer/herverdelen/")
    assert response.status_code == 302
