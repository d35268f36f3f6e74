"""The API basics of API.md: the error format, cursor pagination, `page_size`, `?updated_since=` on every list and
`?ordering=` on indexed fields."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organisation, Sector
from employers.models import AccessRequest, ContactMoment, ContactRequest, Employer, EmployerFeedback
from tests.factories import (
    AccessRequestFactory,
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
LISTS = [
    "organisations",
    "users",
    "sectors",
    "employers",
    "contact-moments",
    "contact-requests",
    "access-requests",
    "feedback",
]
EVERY_LIST = LISTS


def make_row(resource: str, adviser):
    """One row of the resource that `adviser` sees in the list; returns (model, row)."""
    employer = EmployerFactory(main_account_holder=adviser)
    return {
        "organisations": lambda: (Organisation, OrganisationFactory()),
        "users": lambda: (type(adviser), UserFactory()),
        "sectors": lambda: (Sector, SectorFactory()),
        "employers": lambda: (Employer, employer),
        "contact-moments": lambda: (ContactMoment, ContactMomentFactory(employer=employer)),
        "contact-requests": lambda: (ContactRequest, ContactRequestFactory(employer=employer)),
        "access-requests": lambda: (AccessRequest, AccessRequestFactory(employer=employer)),
        "feedback": lambda: (EmployerFeedback, EmployerFeedbackFactory(employer=employer)),
    }[resource]()


def assert_error(response, status: int, code: str, **expected) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    for key, value in expected.items():
        assert body[key] == value, key
    return body


# --- Error format ----------------------------------------------------------------------------------------------


def test_400_names_the_invalid_fields(adviser_client, counts):
    before = counts()
    body = assert_error(adviser_client.post(f"{API}employers/", {"kvk_number": "12"}, format="json"), 400, "invalid")
    assert {"name", "postcode"} <= set(body["fields"])
    assert all(isinstance(messages, list) and messages for messages in body["fields"].values())
    assert counts() == before


def test_400_on_malformed_json(adviser_client):
    response = adviser_client.generic("POST", f"{API}contact-moments/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_401_without_credentials(api_client):
    assert_error(api_client.get(f"{API}employers/"), 401, "not_authenticated")


def test_403_names_the_rule_that_refused_R05(other_client, employer, set_last_contact, now):
    set_last_contact(employer, now - timedelta(days=10))
    body = assert_error(
        other_client.post(f"{API}employers/{employer.pk}/take-over/"), 403, "takeover_too_early", rule="R-05"
    )
    assert body["possible_from"] == timezone.localdate(now - timedelta(days=10) + relativedelta(months=12)).isoformat()


@pytest.mark.parametrize(
    "path",
    [
        "employers/999999999/",
        "employers/abc/",
        "organisations/999999999/",
        "contact-requests/999999999/",
        "employers/999999999/take-over/",
    ],
)
def test_404_for_unknown_ids(adviser_client, path):
    method = adviser_client.post if path.endswith("take-over/") else adviser_client.get
    assert_error(method(f"{API}{path}"), 404, "not_found")


def test_404_for_a_merged_tombstone(adviser_client, employer):
    tombstone = EmployerFactory(merged_into=employer)
    assert_error(adviser_client.get(f"{API}employers/{tombstone.pk}/"), 404, "not_found")


def test_409_lists_the_duplicates_R07(other_client, employer, counts, now):
    before = counts()
    response = other_client.post(
        f"{API}employers/",
        {
            "name": "Bakkerij Jansen B.V.",
            "postcode": "2011 AB",
            "first_visit": {
                "occurred_at": now.isoformat(),
                "reason": "r",
                "company_activities": "a",
                "agreements": "b",
            },
        },
        format="json",
    )
    body = assert_error(response, 409, "duplicate_employer", rule="R-07")
    assert [d["id"] for d in body["duplicates"]] == [employer.pk]
    assert counts() == before


def test_405_for_a_method_the_resource_lacks(adviser_client):
    assert_error(adviser_client.delete(f"{API}organisations/"), 405, "method_not_allowed")


# --- Pagination ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_is_a_cursor_page(adviser_client, adviser, resource):
    make_row(resource, adviser)
    body = adviser_client.get(f"{API}{resource}/").json()
    assert set(body) == {"next", "previous", "results"}
    assert body["results"]
    assert "page=" not in (body["next"] or "")  # no page numbers: cursors cost the same at any depth


def test_cursor_pages_walk_the_whole_list_once(adviser_client):
    created = {o.pk for o in OrganisationFactory.create_batch(5)}
    seen, url, pages = [], f"{API}organisations/?page_size=2", 0
    while url:
        body = adviser_client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
        assert pages < 10
    assert set(seen) >= created
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen, reverse=True)  # default order: newest id first
    assert pages == (len(seen) + 1) // 2


def test_previous_link_leads_back(adviser_client):
    OrganisationFactory.create_batch(4)
    first = adviser_client.get(f"{API}organisations/?page_size=2").json()
    second = adviser_client.get(first["next"]).json()
    assert first["previous"] is None
    assert adviser_client.get(second["previous"]).json()["results"] == first["results"]


def test_page_size_is_capped_at_500(adviser_client):
    Sector.objects.bulk_create(Sector(code=f"B{n:04d}", name=f"Bulk {n}") for n in range(505))
    body = adviser_client.get(f"{API}sectors/?page_size=10000").json()
    assert len(body["results"]) == 500
    assert body["next"]


# --- Incremental sync ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", EVERY_LIST)
def test_every_list_accepts_updated_since(adviser_client, adviser, resource):
    model, old = make_row(resource, adviser)
    _model, new = make_row(resource, adviser)
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    model.objects.filter(pk=old.pk).update(updated_at=long_ago)
    since = (long_ago + timedelta(days=1)).isoformat()

    ids = [
        row["id"]
        for row in adviser_client.get(f"{API}{resource}/?{urlencode({'updated_since': since})}").json()["results"]
    ]

    assert new.pk in ids
    assert old.pk not in ids


@pytest.mark.parametrize("resource", EVERY_LIST)
def test_malformed_updated_since_is_400(adviser_client, resource):
    response = adviser_client.get(f"{API}{resource}/?updated_since=yesterday")
    body = assert_error(response, 400, "invalid")
    assert "updated_since" in body["fields"]


# --- Ordering --------------------------------------------------------------------------------------------------


def test_employers_ordering_by_name_pages_through_in_name_order(adviser_client):
    for name in ("Delta Metaal", "Alfa Bouw", "Echo Zorg", "Bravo Transport", "Charlie Techniek"):
        EmployerFactory(name=name)
    names, url = [], f"{API}employers/?ordering=name&page_size=2"
    while url:
        body = adviser_client.get(url).json()
        names += [row["name"] for row in body["results"]]
        url = body["next"]
    assert names == ["Alfa Bouw", "Bravo Transport", "Charlie Techniek", "Delta Metaal", "Echo Zorg"]


def test_ordering_descending_and_by_time(adviser_client, employer, now):
    older = ContactMomentFactory(employer=employer, occurred_at=now - timedelta(days=5))
    newer = ContactMomentFactory(employer=employer, occurred_at=now - timedelta(days=1))
    oldest = ContactMomentFactory(employer=employer, occurred_at=now - timedelta(days=9))
    ids = [r["id"] for r in adviser_client.get(f"{API}contact-moments/?ordering=occurred_at").json()["results"]]
    assert ids == [oldest.pk, older.pk, newer.pk]
    ids = [r["id"] for r in adviser_client.get(f"{API}contact-moments/?ordering=-occurred_at").json()["results"]]
    assert ids == [newer.pk, older.pk, oldest.pk]


def test_ordering_on_an_unindexed_field_is_ignored(adviser_client):
    small, big = EmployerFactory(staff_count=5), EmployerFactory(staff_count=500)
    ids = [r["id"] for r in adviser_client.get(f"{API}employers/?ordering=staff_count").json()["results"]]
    assert ids == [big.pk, small.pk]  # the default, newest first


@pytest.mark.parametrize("ordering", ["last_contact_at", "-last_contact_at"])
def test_paging_by_last_contact_returns_every_employer_once_R05(adviser_client, ordering):
    employers = EmployerFactory.create_batch(5)
    Employer.objects.filter(pk__in=[e.pk for e in employers[:3]]).update(last_contact_at=None)  # never contacted
    seen, url = [], f"{API}employers/?ordering={ordering}&page_size=2"
    while url and len(seen) < 10:
        response = adviser_client.get(url)
        assert response.status_code == 200, response.content
        seen += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    assert sorted(seen) == sorted(e.pk for e in employers)


# --- Throttling ------------------------------------------------------------------------------------------------


def test_token_callers_are_throttled_with_429(monkeypatch, token_client, adviser):
    from django.core.cache import cache

    from wsp.api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    cache.clear()
    client, _token = token_client(user=adviser)

    statuses = [client.get(f"{API}sectors/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert_error(client.get(f"{API}sectors/"), 429, "throttled")
    # Browser sessions are not throttled.
    session = APIClient()
    session.force_login(adviser)
    assert [session.get(f"{API}sectors/").status_code for _ in range(3)] == [200, 200, 200]
    cache.clear()
