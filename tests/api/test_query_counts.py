"""Query budgets of every API list (STYLE habit 10): the same number of queries for 3 rows and for 30.

The clients authenticate with `force_authenticate`, so the counts are the list's own queries; a token costs one
more SELECT (plus an UPDATE of last_used_at at most once a minute), whatever the list.
"""

import pytest

from tests.factories import (
    AccessRequestFactory,
    AccountHolderFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    EmployerFeedbackFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def add_rows(resource: str, adviser, n: int) -> None:
    """n more rows the adviser sees, each with its own related rows, so an N+1 would show."""
    for _ in range(n):
        if resource == "organisations":
            OrganisationFactory()
        elif resource == "users":
            UserFactory()  # each with its own organisation
        elif resource == "sectors":
            SectorFactory()  # each with its own lead organisation
        elif resource == "employers":
            AccountHolderFactory.create_batch(2, employer=EmployerFactory(sector=SectorFactory()))
        elif resource == "contact-moments":
            ContactMomentFactory()
        elif resource == "contact-requests":
            request = ContactRequestFactory()
            request.responded_by = request.assigned_to
            request.responded_at = request.received_at
            request.save()
        elif resource == "access-requests":
            AccessRequestFactory(employer=EmployerFactory(main_account_holder=adviser))
        elif resource == "feedback":
            EmployerFeedbackFactory(employer=EmployerFactory(main_account_holder=adviser))


BUDGETS = [
    # organisations: 1 = the page (SELECT ... ORDER BY id DESC LIMIT 51).
    ("organisations", 1),
    # users: 1 = the page; the organisation is joined by the manager and only its id is shown.
    ("users", 1),
    # sectors: 1 = the page; lead_organisation is an id.
    ("sectors", 1),
    # employers: 1 = the page, with the ids of its account holders in each row (an array subquery).
    ("employers", 1),
    # contact-moments: 1 = the page, joined to employers to leave out merged tombstones.
    ("contact-moments", 1),
    # contact-requests: 1 = the page; responded_within_24h is computed from the row.
    ("contact-requests", 1),
    # access-requests: 1 = the page of requests I made or must answer (one OR'ed query).
    ("access-requests", 1),
    # feedback: 1 = the page of my own feedback.
    ("feedback", 1),
]


@pytest.mark.parametrize(("resource", "budget"), BUDGETS)
def test_list_query_count_does_not_grow_with_the_data(
    django_assert_num_queries, adviser_client, adviser, resource, budget
):
    add_rows(resource, adviser, 3)
    with django_assert_num_queries(budget):
        small = adviser_client.get(f"{API}{resource}/")
    add_rows(resource, adviser, 27)
    with django_assert_num_queries(budget):
        large = adviser_client.get(f"{API}{resource}/")

    assert small.status_code == large.status_code == 200
    assert len(large.json()["results"]) >= 30 > len(small.json()["results"]) >= 3


def test_token_authentication_adds_one_query(django_assert_num_queries, token_client, adviser):
    client, _token = token_client(user=adviser)
    client.get(f"{API}sectors/")  # first use also writes last_used_at
    add_rows("sectors", adviser, 5)
    # 2 = the token with its user and organisation (one JOINed SELECT) + the page.
    with django_assert_num_queries(2):
        assert client.get(f"{API}sectors/").status_code == 200
