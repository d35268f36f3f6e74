"""The manager's home is the region's dashboard (R-55); every number opens the records it counts, and the list and
its CSV/XLSX export come from the same queryset as the number (R-57). No candidate names in a drill-down (R-40)."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from employers.models import ContactRequest
from reporting.measures import registry
from reporting.measures.scope import scope_from
from tests.factories import ContactRequestFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _this_year(**params) -> dict:
    return {"year": str(timezone.localdate().year), **params}


@pytest.fixture
def placements(db):
    today = timezone.localdate()
    start = today.replace(month=1, day=2) if today.month > 1 or today.day > 2 else today
    rows = PlacementFactory.create_batch(3, start_date=start)
    PlacementFactory(start_date=start.replace(year=start.year - 1))  # another year
    return rows


def test_a_managers_home_is_the_dashboard_and_an_advisers_is_their_work_R55(client, manager, adviser):
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert 'data-measure="placements"' in page and 'id="funnel"' in page
    client.force_login(adviser)
    page = client.get("/").content.decode()
    assert 'data-measure="placements"' not in page
    assert client.get("/sturing/").status_code == 302  # advisers go back home, with the reason
    assert client.get("/sturing/cijfers/placements/").status_code == 302


def test_every_figure_equals_its_drill_down_and_its_export_R57(client, manager, placements):
    client.force_login(manager)
    scope = scope_from(_this_year())
    for key, measure in registry.MEASURES.items():
        expected = measure.records(scope).count()
        page = client.get(f"/sturing/cijfers/{key}/", _this_year())
        assert page.status_code == 200, key
        rows = list(
            csv.reader(
                io.StringIO(
                    b"".join(client.get(f"/sturing/cijfers/{key}/export.csv", _this_year()).streaming_content).decode()
                ),
                delimiter=";",
            )
        )
        assert len(rows) - 1 == expected, key  # a header and one line per counted record
    placements_page = client.get("/sturing/cijfers/placements/", _this_year()).content.decode()
    for placement in placements:
        assert f"/plaatsingen/{placement.pk}/" in placements_page
    assert registry.MEASURES["placements"].value(scope) == 3


def test_the_xlsx_export_holds_the_same_records_R57(client, manager, placements):
    client.force_login(manager)
    response = client.get("/sturing/cijfers/placements/export.xlsx", _this_year())
    sheet = load_workbook(io.BytesIO(response.content)).active
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(p.pk for p in placements)


def test_a_drill_down_names_no_candidate_R40(client, manager, placements):
    client.force_login(manager)
    page = client.get("/sturing/cijfers/placements/", _this_year()).content.decode()
    for placement in placements:
        assert placement.candidate.last_name not in page
        assert f"#{placement.candidate_id}" in page


def test_drill_downs_go_by_cursor_R57(client, manager, monkeypatch, placements):
    monkeypatch.setattr("reporting.views.PAGE_SIZE", 2)
    client.force_login(manager)
    first = client.get("/sturing/cijfers/placements/", _this_year())
    after = first.context["next_after"]
    assert after == sorted(p.pk for p in placements)[1]
    second = client.get("/sturing/cijfers/placements/", _this_year(after=str(after)))
    assert second.context["next_after"] is None and len(second.context["table"]) == 1


def test_late_contact_requests_are_those_answered_after_24_hours_or_still_open_past_them_R10(manager):
    now = timezone.now()
    on_time = ContactRequestFactory(received_at=now - timedelta(hours=30))
    ContactRequest.objects.filter(pk=on_time.pk).update(responded_at=now - timedelta(hours=20))
    late = ContactRequestFactory(received_at=now - timedelta(hours=50))
    ContactRequest.objects.filter(pk=late.pk).update(responded_at=now - timedelta(hours=2))
    waiting = ContactRequestFactory(received_at=now - timedelta(hours=25))
    ContactRequestFactory(received_at=now - timedelta(hours=2))  # still within its 24 hours
    scope = scope_from({"year": str(timezone.localdate(now - timedelta(hours=50)).year)})
    late_ids = set(registry.MEASURES["contact-requests-late"].records(scope).values_list("pk", flat=True))
    assert {late.pk, waiting.pk} <= late_ids and on_time.pk not in late_ids


@pytest.mark.parametrize("params", [{"year": "1999"}, {"quarter": "5"}, {"organisation": "x"}, {"sector": "999999"}])
def test_odd_filters_are_a_clear_400_and_never_a_500(client, manager, params):
    client.force_login(manager)
    assert client.get("/", params).status_code == 400
    assert client.get("/sturing/cijfers/placements/", params).status_code == 400
    assert client.get("/sturing/cijfers/placements/export.csv", params).status_code == 400


def test_an_unknown_figure_or_format_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/sturing/cijfers/no-such-figure/").status_code == 404
    assert client.get("/sturing/cijfers/placements/export.pdf").status_code == 404


def test_dashboard_and_drill_down_query_counts_do_not_grow_with_the_data_R55(
    client, manager, django_assert_max_num_queries
):
    """Queries: session, user, notices, the filters' choices, one count per figure, the funnel and the table per
    target group; the drill-down: session, user, notices, one page of records with their joins and its count."""
    client.force_login(manager)
    seen = []
    for n in (2, 20):
        PlacementFactory.create_batch(n, start_date=timezone.localdate())
        ContactRequestFactory.create_batch(n)
        with django_assert_max_num_queries(30) as dashboard:
            assert client.get("/").status_code == 200
        with django_assert_max_num_queries(10) as records:
            assert client.get("/sturing/cijfers/placements/").status_code == 200
        seen.append((len(dashboard.captured_queries), len(records.captured_queries)))
    assert seen[0] == seen[1]
