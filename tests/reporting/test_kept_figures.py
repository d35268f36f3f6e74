"""`stats/placements/?group_by=employer` kept in the cache under the figures' generation (`matching.generation`,
R-57): after every kind of committed change, on every path (a booking, a bulk update, raw SQL, a rename, a deletion),
the answer equals the one counted afresh; a change that alters no figure keeps it; without a cache it still answers.
Transactional: the generation is raised by deferred triggers, at the commit."""

from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from employers.models import Employer
from matching import generation
from matching.models import Placement
from tests.reporting.test_placement_stats import placement

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1/stats/placements/"
PARAMS = {"group_by": "employer", "year": 2025}


@pytest.fixture
def kept(monkeypatch):
    monkeypatch.setitem(settings.WSP, "STATS_CACHE_SECONDS", 3600)
    cache.clear()
    yield
    cache.clear()


def _counted_afresh(client, monkeypatch) -> dict:
    monkeypatch.setitem(settings.WSP, "STATS_CACHE_SECONDS", 0)
    try:
        return client.get(API, PARAMS).json()
    finally:
        monkeypatch.setitem(settings.WSP, "STATS_CACHE_SECONDS", 3600)


def _placements_read(client) -> tuple[dict, bool]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(API, PARAMS).json()
    return body, any("matching_placement" in q["sql"] for q in queries.captured_queries)


def test_the_answer_is_kept_and_stays_exact_after_every_change(kept, adviser_client, monkeypatch):
    first = placement(start=date(2025, 3, 1))
    second = placement(start=date(2025, 4, 1))
    body, counted = _placements_read(adviser_client)
    assert counted and body["total"]["placements"] == 2
    again, counted = _placements_read(adviser_client)
    assert again == body and not counted  # kept: no placement read

    def update(pk, **fields):
        return lambda: Placement.objects.filter(pk=pk).update(**fields)

    pk, r, first_id = second.pk, "Verkeerde werkgever", first.employer_id

    changes = [
        ("a booking", lambda: placement(start=date(2025, 5, 1), employer=first.employer)),
        ("a bulk update of a start date", update(second.pk, start_date=date(2026, 1, 15))),
        ("a cancellation", update(first.pk, status="cancelled", cancel_reason="Fout", cancelled_at=timezone.now())),
        ("durable by raw SQL", lambda: _raw(f"UPDATE matching_placement SET is_durable = true WHERE id = {pk}")),
        ("an employer renamed", lambda: Employer.objects.filter(pk=first.employer_id).update(name="Nieuwe naam B.V.")),
        ("to another employer", update(pk, employer=first_id, start_date=date(2025, 12, 1), correction_reason=r)),
        ("a deletion", lambda: Placement.objects.filter(pk=first.pk).delete()),
    ]  # fmt: skip
    for what, change in changes:
        before = generation.current()
        change()
        assert generation.current() > before, what
        assert adviser_client.get(API, PARAMS).json() == _counted_afresh(adviser_client, monkeypatch), what


def _raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_a_change_that_alters_no_figure_keeps_the_generation(kept):
    booked = placement(start=date(2025, 3, 1))
    before = generation.current()
    Placement.objects.filter(pk=booked.pk).update(conditions="Proefplaatsing van twee maanden")
    Employer.objects.filter(pk=booked.employer_id).update(city="Zandvoort")
    assert generation.current() == before


def test_a_token_and_staff_are_kept_apart_R40(kept, adviser_client, token_client, uwv):
    for day in range(1, 7):
        placement(start=date(2025, 2, day))
    staff = adviser_client.get(API, PARAMS).json()
    client, _token = token_client(organisation=uwv, read_only=True)
    token = client.get(API, PARAMS).json()
    assert staff["suppressed"] is False and len(staff["results"]) == 6  # six employers, one placement each
    # The token's answer is its own: the six cells of one merged into one row of six.
    assert token["suppressed"] is True
    assert [(row["key"], row["placements"]) for row in token["results"]] == [(None, 6)]


def test_without_the_cache_the_answer_is_counted(kept, adviser_client, monkeypatch):
    placement(start=date(2025, 3, 1))

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    body = adviser_client.get(API, PARAMS).json()
    assert body["total"]["placements"] == 1
