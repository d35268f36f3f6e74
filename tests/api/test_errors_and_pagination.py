"""The API basics of API.md: the error format, cursor pagination, `page_size`, `?updated_since=` on every list and
`?ordering=` on indexed fields."""

import os
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


# --- Date-time parameters and bodies: a 400, never a database error ----------------------------------------------


def _date_time_filters() -> list[tuple[str, str]]:
    """(list path, parameter) for every date-time filter of every list in the router."""
    from django import forms

    from wsp.api.urls import router

    found = []
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if "(?P" in prefix or not hasattr(viewset, "list") or filterset is None:
            continue
        for name, filter_ in filterset.base_filters.items():
            if issubclass(filter_.field_class, forms.DateTimeField):
                found.append((prefix, name))
    return found


DATE_TIME_FILTERS = _date_time_filters()


def test_every_list_has_its_date_time_filters_checked():
    lists_with_updated_since = {prefix for prefix, name in DATE_TIME_FILTERS if name == "updated_since"}
    assert len(lists_with_updated_since) >= 14  # the 14 lists of the issue, and any list added since
    assert {"employers", "contact-moments", "vacancies", "referrals", "candidates"} <= lists_with_updated_since


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-01T00:00:00+16:00",  # PostgreSQL takes offsets up to 15:59; no time zone goes beyond 14:00
        "2026-01-01T00:00:00-15:30",
        "2026-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-14:00",  # past the year 9999 in UTC
        "0001-01-01T00:00:00+14:00",  # before the year 1 in UTC
        "0001-01-01T00:00:00",  # before the year 1 in UTC from Amsterdam's local mean time
    ],
)
@pytest.mark.parametrize(("resource", "parameter"), DATE_TIME_FILTERS)
def test_an_impossible_date_time_is_a_400_on_every_list(client_for, manager, resource, parameter, value):
    response = client_for(manager).get(f"{API}{resource}/?{urlencode({parameter: value})}")
    body = assert_error(response, 400, "invalid")
    assert parameter in body["fields"]


def test_the_offset_message_is_dutch(adviser_client):
    response = adviser_client.get(f"{API}employers/?{urlencode({'updated_since': '2026-01-01T00:00:00+16:00'})}")
    assert response.json()["fields"]["updated_since"] == ["Gebruik een tijdzoneverschil tussen -14:00 en +14:00."]


def test_a_date_time_with_a_real_offset_is_the_same_moment(adviser_client, adviser):
    """+14:00 (Kiribati) and -12:00 are real offsets: the filter compares the same instant in UTC."""
    from datetime import timezone as tz

    _model, row = make_row("employers", adviser)
    Employer.objects.filter(pk=row.pk).update(updated_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC))

    def ids_since(moment: datetime) -> list[int]:
        response = adviser_client.get(f"{API}employers/?{urlencode({'updated_since': moment.isoformat()})}")
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    for offset in (14, -12):
        at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC).astimezone(tz(timedelta(hours=offset)))
        assert row.pk in ids_since(at - timedelta(seconds=1))
        assert row.pk not in ids_since(at + timedelta(seconds=1))


def _writable_date_time_fields():
    """(serializer, field name, field) for every writable date-time field of the API's serializers, nested too."""
    from rest_framework import serializers
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    import wsp.api.urls  # noqa: F401  (imports every API module)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    def walk(serializer, path=""):
        for name, field in serializer.fields.items():
            if isinstance(field, serializers.ListSerializer):
                yield from walk(field.child, f"{path}{name}[].")
            elif isinstance(field, serializers.BaseSerializer):
                yield from walk(field, f"{path}{name}.")
            elif isinstance(field, serializers.DateTimeField) and not field.read_only:
                yield f"{path}{name}", field

    request = Request(APIRequestFactory().post("/"))
    found = []
    for cls in sorted(set(subclasses(serializers.Serializer)), key=lambda c: f"{c.__module__}.{c.__name__}"):
        if cls.__module__.split(".")[0] in ("accounts", "employers", "vacancies", "matching", "wsp"):
            found += [(cls.__name__, name, field) for name, field in walk(cls(context={"request": request}))]
    return found


def test_date_times_in_request_bodies_never_reach_the_database_with_an_impossible_offset():
    """DRF's DateTimeField converts every body date-time to the current time zone (so an offset such as +16:00 is
    the same moment in Amsterdam time) and refuses a moment out of range with a field error (400)."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.exceptions import ValidationError

    fields = _writable_date_time_fields()
    assert len(fields) >= 8, fields
    instant = datetime(2025, 12, 31, 8, 0, tzinfo=UTC)
    for serializer, name, field in fields:
        parsed = field.run_validation("2026-01-01T00:00:00+16:00")
        assert parsed == instant, (serializer, name)
        assert abs(parsed.utcoffset()) <= timedelta(hours=14), (serializer, name)
        with pytest.raises((ValidationError, DjangoValidationError)):
            field.run_validation("9999-12-31T23:59:59-14:00")


def test_a_body_date_time_with_offset_16_is_stored_as_that_moment(adviser_client, employer, counts):
    from datetime import timezone as tz

    moment = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    response = adviser_client.post(
        f"{API}contact-moments/",
        {"employer": employer.pk, "kind": "phone", "summary": "Gebeld",
         "occurred_at": moment.astimezone(tz(timedelta(hours=16))).isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert ContactMoment.objects.get(pk=response.json()["id"]).occurred_at == moment
    before = counts()
    response = adviser_client.post(
        f"{API}contact-moments/",
        {"employer": employer.pk, "kind": "phone", "summary": "Gebeld", "occurred_at": "9999-12-31T23:59:59-14:00"},
        format="json",
    )
    assert "occurred_at" in assert_error(response, 400, "invalid")["fields"]
    assert counts() == before


# --- Every 500 in the API is JSON --------------------------------------------------------------------------------


@pytest.fixture
def failing(monkeypatch):
    """Make a view raise an unexpected error carrying a BSN, as a bug would."""

    def install(cls, method: str):
        def boom(*args, **kwargs):
            raise RuntimeError("unexpected failure for 123456782")

        monkeypatch.setattr(cls, method, boom)

    return install


def _unraising_client(user=None):
    from django.test import Client

    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_an_unexpected_error_in_an_api_view_is_json_500(failing, adviser, settings, caplog):
    from accounts.api import SectorViewSet

    assert settings.DEBUG is False  # as in production
    failing(SectorViewSet, "list")
    response = _unraising_client(adviser).get(f"{API}sectors/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "server_error",
        "detail": "Er ging bij ons iets mis. De fout is vastgelegd; probeer het later opnieuw.",
    }
    content = response.content.decode()
    assert "Traceback" not in content and "RuntimeError" not in content and "123456782" not in content
    # Logged with its traceback for the developers.
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)


def test_an_unexpected_error_outside_the_viewsets_under_api_is_json_500(failing, adviser):
    from drf_spectacular.views import SpectacularAPIView

    failing(SpectacularAPIView, "get")
    response = _unraising_client(adviser).get("/api/schema/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_an_unexpected_error_on_a_page_is_still_a_page(failing, adviser):
    from django.contrib.auth import views as auth_views

    failing(auth_views.LoginView, "get")
    response = _unraising_client().get("/inloggen/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


# --- The throttle counts in a cache all processes share ----------------------------------------------------------

THROTTLE_PROBE = """
import sys
import django
django.setup()
from accounts.models import ApiToken
from wsp.api.throttling import TokenRateThrottle

class Request:
    auth = ApiToken(pk=int(sys.argv[1]))

throttle = TokenRateThrottle()
throttle.rate = "2/minute"
throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
print("allowed" if throttle.allow_request(Request(), None) else "throttled")
"""


def _throttle_in_another_process(token_pk: int, **env: str) -> str:
    import subprocess
    import sys

    from tests.test_settings_and_infra import ROOT, database_url

    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": database_url(), **env}
    result = subprocess.run(
        [sys.executable, "-c", THROTTLE_PROBE, str(token_pk)],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _throttle_here(token_pk: int, cache) -> bool:
    from accounts.models import ApiToken
    from wsp.api.throttling import TokenRateThrottle

    class Request:
        auth = ApiToken(pk=token_pk)

    throttle = TokenRateThrottle()
    throttle.cache = cache
    throttle.rate = "2/minute"
    throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
    return throttle.allow_request(Request(), None)


@pytest.mark.django_db(transaction=True)
def test_the_throttle_counts_across_processes_in_the_database_cache():
    """Per-process memory let each gunicorn worker count on its own. Without Redis the cache is the database's
    (wsp.settings.base; the test settings list it as "database"): one count for every process."""
    import random

    from django.core.cache import caches

    token_pk = random.randrange(10**9, 10**12)  # no other test's token
    assert _throttle_here(token_pk, caches["database"]) is True
    # Another process with the development settings and no Redis: its default cache is that table.
    env = {"DJANGO_SETTINGS_MODULE": "wsp.settings.local"}
    assert _throttle_in_another_process(token_pk, **env) == "allowed"
    assert _throttle_in_another_process(token_pk, **env) == "throttled"
    assert _throttle_here(token_pk, caches["database"]) is False
    caches["database"].delete(f"throttle_token_{token_pk}")


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="no Redis (CI sets CELERY_BROKER_URL)")
def test_the_throttle_counts_across_processes_in_redis():
    """With Redis configured (CELERY_BROKER_URL), the cache of wsp.settings.local and production is Redis."""
    import random

    from django.core.cache.backends.redis import RedisCache

    url = os.environ["CELERY_BROKER_URL"]
    here = RedisCache(url, {"KEY_PREFIX": "wsp"})  # as wsp.settings.base configures it
    token_pk = random.randrange(10**9, 10**12)
    try:
        assert _throttle_here(token_pk, here) is True
        env = {"DJANGO_SETTINGS_MODULE": "wsp.settings.local", "CELERY_BROKER_URL": url}
        assert _throttle_in_another_process(token_pk, **env) == "allowed"
        assert _throttle_in_another_process(token_pk, **env) == "throttled"
        assert _throttle_here(token_pk, here) is False
    finally:
        here.delete(f"throttle_token_{token_pk}")


def test_an_unknown_path_under_the_api_is_a_json_404(adviser_client, client):
    assert_error(adviser_client.get(f"{API}no-such-resource/"), 404, "not_found")
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_unreachable_redis_does_not_take_the_api_down(token_client, adviser, caplog):
    """The throttle's counter is down (a dead Redis): token requests are served, not failed, and it is logged."""
    import time

    from django.core.cache.backends.redis import RedisCache

    from wsp.api.throttling import TokenRateThrottle

    dead = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    client, _token = token_client(user=adviser)
    original = TokenRateThrottle.cache
    TokenRateThrottle.cache = dead
    try:
        started = time.monotonic()
        assert client.get(f"{API}sectors/").status_code == 200
        assert time.monotonic() - started < 5
    finally:
        TokenRateThrottle.cache = original
    assert any("API throttle not applied" in r.getMessage() for r in caplog.records)
