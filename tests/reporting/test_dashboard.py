"""The manager's home is the region's dashboard (R-55); every number opens the records it counts, and the list and
its CSV/XLSX export come from the same queryset as the number (R-57). No candidate names in a drill-down (R-40)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from employers.models import ContactRequest
from reporting.measures import registry
from reporting.measures.scope import scope_from
from tests.factories import ContactRequestFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _csv_text(response) -> str:
    """A streamed CSV export as text (without the byte order mark Excel needs)."""
    return b"".join(response.streaming_content).decode("utf-8-sig")


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
                io.StringIO(_csv_text(client.get(f"/sturing/cijfers/{key}/export.csv", _this_year()))),
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
    """Queries: session, user, notices, the filters' choices, one count per figure, the funnel, the table per
    target group, the targets (with their changes and one grouped count per kind of key); the drill-down: session,
    user, notices, one page of records with their joins and its count."""
    client.force_login(manager)
    seen = []
    from reporting.targets.models import Target
    from tests.factories import EmployerFactory, SectorFactory, UserFactory

    for n in (2, 20):
        PlacementFactory.create_batch(n, start_date=timezone.localdate())
        ContactRequestFactory.create_batch(n)
        # Targets of every kind and near-duplicate employers: the target tables are grouped, the figure one count.
        for placement in PlacementFactory._meta.model.objects.order_by("-pk")[:n]:
            for fields in (
                {"organisation": placement.organisation, "target_group": placement.target_group},
                {"organisation": placement.organisation, "sector": SectorFactory()},
                {"adviser": UserFactory()},
            ):
                Target.objects.get_or_create(
                    year=placement.start_date.year, measure="placements", **fields,
                    defaults={"target": 5, "created_by": manager},
                )  # fmt: skip
            EmployerFactory(name=f"Dubbel Bedrijf {placement.pk}", postcode="2511 AA")
        with django_assert_max_num_queries(32) as dashboard:
            assert client.get("/").status_code == 200
        with django_assert_max_num_queries(10) as records:
            assert client.get("/sturing/cijfers/placements/").status_code == 200
        seen.append((len(dashboard.captured_queries), len(records.captured_queries)))
    assert seen[0] == seen[1]


# --- Target progress, ownership health, filters and table exports on the dashboard (R-50, R-55, R-57) -----------


@pytest.fixture
def targets(manager, uwv, municipality, adviser):
    """UWV: 4 WW and 2 Wajong placements this year against targets 10 and 1; the municipality: 1 WW against 5;
    the adviser (UWV) a result agreement of 3, a sector target for UWV in the employers' sector."""
    from reporting.targets.models import Target

    year = timezone.localdate().year
    PlacementFactory.create_batch(4, organisation=uwv, target_group="ww", booked_by=adviser)
    from tests.factories import SectorFactory

    wajong = PlacementFactory.create_batch(2, organisation=uwv, target_group="wajong", sector=SectorFactory())
    PlacementFactory(organisation=municipality, target_group="ww")
    PlacementFactory(organisation=uwv, target_group="ww", start_date=timezone.localdate().replace(year=year - 2))
    made = {
        "uwv-ww": dict(organisation=uwv, target_group="ww", target=10),
        "uwv-wajong": dict(organisation=uwv, target_group="wajong", target=1),
        "mun-ww": dict(organisation=municipality, target_group="ww", target=5),
        "adviser": dict(adviser=adviser, target=3),
        "uwv-sector": dict(organisation=uwv, sector=wajong[0].sector, target=2),
    }
    return {
        name: Target.objects.create(year=year, measure="placements", created_by=manager, **fields)
        for name, fields in made.items()
    }


def _tables(response) -> dict:
    return {kind: rows for kind, _title, rows in response.context["target_tables"]}


def test_the_dashboard_shows_target_progress_per_group_sector_organisation_and_adviser_R50(client, manager, targets):
    client.force_login(manager)
    response = client.get("/", _this_year())
    tables = _tables(response)
    realised = {row.label: row.realised for row in tables["target-group"]}
    assert realised == {f"{targets['uwv-ww'].key_label}": 4, targets["uwv-wajong"].key_label: 2,
                        targets["mun-ww"].key_label: 1}  # fmt: skip
    organisations = {row.label: (row.target, row.realised) for row in tables["organisation"]}
    assert organisations == {"UWV": (11, 6), str(targets["mun-ww"].organisation): (5, 1)}
    assert [(row.target, row.realised) for row in tables["adviser"]] == [(3, 4)]
    sector_row = tables["sector"][0]
    assert (
        sector_row.realised
        == PlacementFactory._meta.model.objects.filter(
            organisation=targets["uwv-sector"].organisation, sector=targets["uwv-sector"].sector
        )
        .filter(start_date__year=timezone.localdate().year)
        .count()
    )
    page = response.content.decode()
    assert page.count("data-realised=") == sum(len(rows) for rows in tables.values())
    # Wajong: 2 of 1, on track; the statuses follow R-50's rule on the forecast.
    wajong = next(row for row in tables["target-group"] if row.target_ids == [targets["uwv-wajong"].pk])
    assert wajong.status == "on_track" and wajong.realised_width == "100.0"


def test_a_realised_figure_opens_exactly_the_records_it_counts_and_exports_them_R57(client, manager, targets):
    client.force_login(manager)
    tables = _tables(client.get("/", _this_year()))
    for rows in tables.values():
        for row in rows:
            page = client.get("/sturing/cijfers/placements/", row.records_query)
            assert page.status_code == 200
            assert page.context["value"] == row.realised
            assert len(page.context["table"]) == row.realised
            export = b"".join(
                client.get("/sturing/cijfers/placements/export.csv", row.records_query).streaming_content
            ).decode()
            assert len(export.strip().splitlines()) - 1 == row.realised


@pytest.mark.parametrize("target", ["x", "999999", "1,,2", ",".join(["1"] * 60)])
def test_an_odd_target_in_a_drill_down_is_a_clear_400(client, manager, target):
    client.force_login(manager)
    assert client.get("/sturing/cijfers/placements/", {"target": target}).status_code == 400
    assert client.get("/sturing/cijfers/placements/export.csv", {"target": target}).status_code == 400


def test_a_target_opens_only_the_drill_down_of_its_own_measure(client, manager, targets):
    client.force_login(manager)
    response = client.get("/sturing/cijfers/contact-requests/", {"target": str(targets["uwv-ww"].pk)})
    assert response.status_code == 400
    assert list(response.context["errors"]) == ["target"]


def test_the_filters_narrow_the_target_tables_R55(client, manager, targets, uwv):
    client.force_login(manager)
    tables = _tables(client.get("/", _this_year(organisation=str(uwv.pk))))
    assert {row.target_ids[0] for row in tables["target-group"]} == {targets["uwv-ww"].pk, targets["uwv-wajong"].pk}
    assert [row.label for row in tables["organisation"]] == [str(uwv)]
    assert [row.target_ids for row in tables["adviser"]] == [[targets["adviser"].pk]]  # the adviser works at UWV
    response = client.get("/", _this_year(sector=str(targets["uwv-sector"].sector_id)))
    tables = _tables(response)
    assert [row.target_ids for row in tables["sector"]] == [[targets["uwv-sector"].pk]]
    assert tables["target-group"] == tables["organisation"] == tables["adviser"] == []
    assert response.content.decode().count("data-not-per-sector") == 3


def test_the_filters_narrow_the_placements_per_target_group_and_the_links_carry_them_R55(client, manager, targets, uwv):
    client.force_login(manager)
    response = client.get("/", _this_year(organisation=str(uwv.pk)))
    assert response.context["by_group"]["total"]["placements"] == 6
    sector = targets["uwv-sector"].sector
    response = client.get("/", _this_year(sector=str(sector.pk)))
    expected = PlacementFactory._meta.model.objects.filter(sector=sector, start_date__year=timezone.localdate().year)
    assert response.context["by_group"]["total"]["placements"] == expected.count()
    assert f"sector={sector.pk}" in response.content.decode().split('id="targets"')[0]  # the figures' links


@pytest.mark.parametrize(
    "table",
    ["targets-target-group", "targets-sector", "targets-organisation", "targets-adviser", "funnel",
     "placements-per-target-group", "coverage"],
)  # fmt: skip
def test_every_dashboard_table_exports_as_csv_and_xlsx_R57(client, manager, targets, table):
    client.force_login(manager)
    page = client.get("/", _this_year()).content.decode()
    assert f"export={table}&amp;format=csv" in page and f"export={table}&amp;format=xlsx" in page
    lines = list(
        csv.reader(
            io.StringIO(_csv_text(client.get("/", _this_year(export=table, format="csv")))),
            delimiter=";",
        )
    )
    sheet = load_workbook(io.BytesIO(client.get("/", _this_year(export=table, format="xlsx")).content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)][0] == lines[0]
    assert sheet.max_row == len(lines)
    if table == "targets-organisation":
        assert {tuple(line[:3]) for line in lines[1:]} == {
            ("UWV", "11", "6"),
            (str(targets["mun-ww"].organisation), "5", "1"),
        }


def test_a_csv_export_opens_in_dutch_excel_byte_order_mark_semicolons_and_decimal_commas(client, manager):
    """Excel in a Dutch locale reads `;` and a decimal comma, and needs the byte order mark to read UTF-8."""
    PlacementFactory(start_date=timezone.localdate(), target_group="oekraine", job_agreement=True)
    client.force_login(manager)
    response = client.get("/", _this_year(export="placements-per-target-group", format="csv"))
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[:2]
    assert header[0] == "Doelgroep" and row[0] == "Oekraïne"
    assert "," in row[3] or row[3].isdigit()  # job-agreement jobs: "1,2", never "1.2"
    assert "." not in row[3]


def test_an_unknown_table_or_format_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/", {"export": "nothing"}).status_code == 404
    assert client.get("/", {"export": "funnel", "format": "pdf"}).status_code == 404


def test_the_ownership_health_block_shows_near_duplicates_with_their_drill_down_R07(client, manager):
    from tests.factories import EmployerFactory

    EmployerFactory(name="Timmerbedrijf Dekker", postcode="2511 AA")
    EmployerFactory(name="Timmer Bedrijf Dekker", postcode="2511 AA")
    client.force_login(manager)
    page = client.get("/", _this_year()).content.decode()
    assert 'data-measure="employers-near-duplicates"' in page
    assert "/sturing/cijfers/employers-near-duplicates/?year=" in page


def test_a_manager_of_one_organisation_sees_no_personal_data_of_anothers_candidates_R40(client, municipality, targets):
    from accounts.choices import Role
    from tests.factories import UserFactory

    other_manager = UserFactory(organisation=municipality, role=Role.MANAGER)
    client.force_login(other_manager)
    uwv_placements = PlacementFactory._meta.model.objects.exclude(organisation=municipality).select_related("candidate")
    for row in _tables(client.get("/", _this_year()))["target-group"]:
        page = client.get("/sturing/cijfers/placements/", row.records_query).content.decode()
        for placement in uwv_placements:
            for personal in (placement.candidate.first_name, placement.candidate.last_name):
                assert f">{personal}<" not in page and f" {personal} " not in page
        assert all(value.startswith("#") for value in (r[3][0] for r in client.get(
            "/sturing/cijfers/placements/", row.records_query).context["table"]))  # fmt: skip


def test_a_year_that_has_ended_says_whether_its_targets_were_met_not_how_they_are_heading_R50(client, manager, uwv):
    from reporting.targets.models import Target

    last_year = timezone.localdate().year - 1
    PlacementFactory.create_batch(2, organisation=uwv, target_group="ww", start_date=date(last_year, 6, 2))
    met = Target.objects.create(year=last_year, measure="placements", organisation=uwv, target_group="ww", target=2,
                                created_by=manager)  # fmt: skip
    missed = Target.objects.create(year=last_year, measure="placements", organisation=uwv, target_group="wia",
                                   target=4, created_by=manager)  # fmt: skip
    client.force_login(manager)
    rows = {row.target_ids[0]: row for row in _tables(client.get("/", {"year": str(last_year)}))["target-group"]}
    assert (rows[met.pk].status_label, rows[missed.pk].status_label) == ("Gehaald", "Niet gehaald")
    page = client.get("/sturing/doelen/", {"year": str(last_year)}).content.decode()
    assert "Gehaald" in page and "Niet gehaald" in page and "Op koers" not in page
    this_year = client.get("/", _this_year())
    assert "Gehaald" not in this_year.content.decode()
