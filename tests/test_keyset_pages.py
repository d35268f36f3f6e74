"""The browser's lists by keyset (`wsp.pages`): walking forward and back gives every row once, in order, for orderings
up and down, with nulls first and last; the count stops at its limit ("more than 10,000"); a page costs two queries
whatever its depth; a cursor that cannot be read starts at the first page."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from employers.models import Employer
from matching.models import Candidate
from tests.factories import CandidateFactory, EmployerFactory
from wsp import pages
from wsp.pages import encode_cursor, keyset_page

pytestmark = pytest.mark.django_db


def _walk(qs, size: int) -> tuple[list[int], list[int]]:
    """Every page forward from the first, then every page back from the last: the ids as they were shown."""
    forward, page = [], keyset_page(qs, cursor=None, size=size)
    starts = []
    while True:
        starts.append(page.start)
        forward += [row.pk for row in page.object_list]
        if not page.has_next:
            break
        page = keyset_page(qs, cursor=page.next_cursor, size=size)
    backward = [row.pk for row in page.object_list]
    while page.has_previous:
        page = keyset_page(qs, cursor=page.previous_cursor, size=size)
        backward = [row.pk for row in page.object_list] + backward
    assert page.start == 1
    # Positions follow on: 1-3, 4-6, ...
    assert starts == list(range(1, len(forward) + 1, size))
    return forward, backward


@pytest.fixture
def employers():
    now = timezone.now()
    rows = []
    for i, name in enumerate(["Bakkerij", "Autobedrijf", "Bakkerij", "Zorg", "Metaal", "autobedrijf", "Bakkerij"]):
        employer = EmployerFactory(name=name)
        # Some never contacted (null), some on the same moment (ties broken by the id).
        moment = None if i % 3 == 0 else now - timedelta(days=10 * (i % 2))
        Employer.objects.filter(pk=employer.pk).update(last_contact_at=moment)
        rows.append(employer)
    return rows


@pytest.mark.parametrize(
    "ordering",
    [("name", "id"), ("-name", "-id"), ("last_contact_at", "id"), ("-last_contact_at", "-id"), ("-created_at", "id")],
)
@pytest.mark.parametrize("size", [1, 2, 3, 10])
def test_forward_and_back_every_row_once_in_order(employers, ordering, size):
    qs = Employer.objects.filter(pk__in=[e.pk for e in employers]).order_by(*ordering)
    expected = list(qs.values_list("pk", flat=True))

    forward, backward = _walk(qs, size)

    assert forward == expected
    assert backward == expected


def test_nulls_placed_by_the_ordering_itself(db):
    never = CandidateFactory(profile_reviewed_at=None)
    reviewed = [CandidateFactory(profile_reviewed_at=timezone.now() - timedelta(days=d)) for d in (3, 1, 2)]
    qs = Candidate.objects.filter(pk__in=[never.pk, *(c.pk for c in reviewed)]).order_by(
        F("profile_reviewed_at").asc(nulls_first=True), "id"
    )
    forward, _backward = _walk(qs, 1)
    assert forward == list(qs.values_list("pk", flat=True))
    assert forward[0] == never.pk


def test_the_count_stops_at_its_limit(employers, monkeypatch):
    monkeypatch.setattr(pages, "COUNT_LIMIT", 4)
    page = keyset_page(Employer.objects.order_by("name", "id"), cursor=None, size=2)
    assert (page.count, page.count_is_capped) == (4, True)
    monkeypatch.setattr(pages, "COUNT_LIMIT", 100)
    page = keyset_page(Employer.objects.order_by("name", "id"), cursor=None, size=2)
    assert (page.count, page.count_is_capped) == (len(employers), False)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "e30",
        encode_cursor(["x"], back=False, position=0),
        encode_cursor(["Bakkerij", "not a number"], back=False, position=3),
        encode_cursor(["Bakkerij", 10**30], back=False, position=3),
        encode_cursor(["Bak\x00kerij", 1], back=True, position=3),
        encode_cursor([{"t": "date", "v": "2026-01-01"}, 1], back=False, position=3),
    ],
)
def test_a_cursor_that_cannot_be_read_starts_at_the_first_page(employers, cursor):
    qs = Employer.objects.order_by("name", "id")
    page = keyset_page(qs, cursor=cursor, size=3)
    assert [row.pk for row in page.object_list] == list(qs.values_list("pk", flat=True)[:3])
    assert page.start == 1 and not page.has_previous


def test_a_deep_page_costs_two_queries(employers, django_assert_num_queries):
    qs = Employer.objects.order_by("name", "id")
    page = keyset_page(qs, cursor=None, size=2)
    page = keyset_page(qs, cursor=page.next_cursor, size=2)
    with django_assert_num_queries(2):  # the capped count and the page
        deeper = keyset_page(qs, cursor=page.next_cursor, size=2)
    assert deeper.start == 5


@pytest.mark.parametrize("ordering", [(), ("?",), (Lower("name"), "id")])
def test_a_list_not_ordered_by_columns_is_refused(ordering):
    with pytest.raises(ValueError):
        keyset_page(Employer.objects.order_by(*ordering), cursor=None)


def test_the_employer_list_page_shows_position_and_a_capped_count(client, adviser, employers, monkeypatch):
    client.force_login(adviser)
    monkeypatch.setattr(pages, "COUNT_LIMIT", 5)
    monkeypatch.setattr("employers.views.PAGE_SIZE", 3)
    first = client.get("/werkgevers/", {"status": "all"})
    body = first.content.decode()
    assert "Meer dan 5 werkgevers" in body
    assert "1–3 van meer dan 5" in body
    assert "cursor=" in body and "page=" not in body
    following = client.get("/werkgevers/", {"status": "all", "cursor": first.context["page"].next_cursor})
    assert "4–6 van meer dan 5" in following.content.decode()
    shown = [e.pk for e in first.context["page"].object_list + following.context["page"].object_list]
    assert shown == list(Employer.objects.order_by("name", "id").values_list("pk", flat=True)[:6])
