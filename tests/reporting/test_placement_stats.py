"""Placement figures (R-50, R-55, R-57): counted from booked placements by start date, rows that add up exactly to
the total, job-agreement jobs split by market and government (R-31); the API's shape and its query budget."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework import serializers

from accounts.choices import OrganisationKind
from accounts.models import Sector
from employers.choices import EmployerType
from matching.choices import TargetGroup
from matching.models import Placement
from reporting.api.stats import StatsRowSerializer, written_rows
from reporting.measures import placements as selectors
from reporting.measures.placements import StatsRow
from tests.factories import (
    CandidateFactory,
    EmployerFactory,
    OrganisationFactory,
    PlacementFactory,
    SectorFactory,
    UserFactory,
)
from wsp.errors import InvalidInput

pytestmark = pytest.mark.django_db

API = "/api/v1/stats/placements/"


def placement(*, start: date, group=TargetGroup.WW, hours="32", job_agreement=False, employer=None, **fields):
    # the candidate is in a caseload of the side their target group belongs to.
    kind = OrganisationKind.UWV if group in TargetGroup.uwv_groups() else OrganisationKind.MUNICIPALITY
    candidate = CandidateFactory(target_group=group, job_agreement=job_agreement, adviser__organisation__kind=kind)
    return PlacementFactory(
        start_date=start,
        referral__candidate=candidate,
        referral__vacancy__employer=employer or EmployerFactory(),
        hours_per_week=Decimal(hours),
        job_agreement=job_agreement,
        **fields,
    )


@pytest.fixture
def figures(db):
    """2025: six placements of which one cancelled, one in 2024; two sectors, market and government."""
    care = SectorFactory(name="Zorg en welzijn")
    tech = SectorFactory(name="Techniek")
    hospital = EmployerFactory(name="Ziekenhuis", sector=care, employer_type=EmployerType.GOVERNMENT)
    factory = EmployerFactory(name="Metaalbedrijf", sector=tech, employer_type=EmployerType.MARKET)
    shop = EmployerFactory(name="Winkel", sector=None, employer_type=EmployerType.MARKET)
    rows = [
        placement(start=date(2025, 1, 10), employer=hospital, job_agreement=True, hours="25.5", is_durable=True),
        placement(start=date(2025, 2, 3), employer=hospital, group=TargetGroup.PWET, job_agreement=True, hours="20"),
        placement(start=date(2025, 2, 20), employer=factory, job_agreement=True, hours="32"),
        placement(start=date(2025, 5, 1), employer=factory, group=TargetGroup.WAJONG, is_durable=True),
        placement(start=date(2025, 11, 30), employer=shop, group=TargetGroup.OEKRAINE),
        placement(start=date(2024, 12, 31), employer=factory),  # another year
    ]
    cancelled = placement(start=date(2025, 3, 1), employer=factory, job_agreement=True)
    cancelled.status, cancelled.cancel_reason, cancelled.cancelled_at = "cancelled", "Fout", cancelled.booked_at
    cancelled.save()
    return rows


@pytest.mark.parametrize("group_by", selectors.STATS_GROUPS)
def test_rows_add_up_exactly_to_the_total_R55_R57(figures, group_by):
    stats = selectors.placement_stats(group_by=group_by, year=2025)

    assert stats.total.placements == 5  # 2025 only, cancelled left out
    assert stats.total.durable == 2
    for name in (
        "placements",
        "durable",
        "job_agreement_jobs",
        "job_agreement_jobs_market",
        "job_agreement_jobs_government",
    ):
        assert sum(getattr(row, name) for row in stats.results) == getattr(stats.total, name), name
    assert len({row.key for row in stats.results}) == len(stats.results)


def test_job_agreement_jobs_are_split_by_market_and_government_R31(figures):
    total = selectors.placement_stats(group_by="sector", year=2025).total
    # 25.5/25.5 = 1.000 and 20/25.5 = 0.784 at the hospital (government); 32/25.5 = 1.255 at the factory (market).
    assert total.job_agreement_jobs_government == Decimal("1.784")
    assert total.job_agreement_jobs_market == Decimal("1.255")
    assert total.job_agreement_jobs == Decimal("3.039")


def test_grouping_keys_and_labels(figures):
    with translation.override("en"):  # labels are in the active language (Dutch by default)
        by_group = {
            r.key: (r.label, r.placements)
            for r in selectors.placement_stats(group_by="target_group", year=2025).results
        }
        sectors = {r.label: r.placements for r in selectors.placement_stats(group_by="sector", year=2025).results}
    assert by_group == {"ww": ("WW", 2), "wajong": ("Wajong", 1), "pwet": ("P-wet", 1), "oekraine": ("Ukraine", 1)}
    # Target groups come in their fixed order.
    assert list(by_group) == ["ww", "wajong", "pwet", "oekraine"]

    assert sectors == {"Zorg en welzijn": 2, "Techniek": 2, "No sector known": 1}

    months = [(r.key, r.placements) for r in selectors.placement_stats(group_by="month", year=2025).results]
    assert months == [("2025-01", 1), ("2025-02", 2), ("2025-05", 1), ("2025-11", 1)]

    employers = {r.label: r.placements for r in selectors.placement_stats(group_by="employer", year=2025).results}
    assert employers == {"Ziekenhuis": 2, "Metaalbedrijf": 2, "Winkel": 1}


def test_a_quarter_counts_by_start_date_R50(figures):
    q1 = selectors.placement_stats(group_by="month", year=2025, quarter=1)
    assert (q1.quarter, q1.total.placements) == (1, 3)
    assert selectors.placement_stats(group_by="month", year=2025, quarter=4).total.placements == 1
    assert selectors.placement_stats(group_by="month", year=2024, quarter=4).total.placements == 1


def test_per_organisation_counts_the_booking_partner_R55(figures):
    uwv = OrganisationFactory(code="uwv-stats", kind="uwv")
    booker = UserFactory(organisation=uwv)
    placement(start=date(2025, 6, 1), booked_by=booker)
    rows = {r.key: r.placements for r in selectors.placement_stats(group_by="organisation", year=2025).results}
    assert rows[uwv.pk] == 1
    assert sum(rows.values()) == 6


def test_invalid_grouping_or_period_is_refused():
    for kwargs, field in (
        ({"group_by": "candidate"}, "group_by"),
        ({"group_by": "month", "quarter": 5}, "quarter"),
        ({"group_by": "month", "year": "twenty"}, "year"),
    ):
        with pytest.raises(InvalidInput) as refused:
            selectors.placement_stats(**kwargs)
        assert field in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        selectors.placement_stats(group_by="candidate")
    assert refused.value.code == "invalid_group_by"


# --- API -----------------------------------------------------------------------------------------------------------


def test_api_shape_rows_add_up_to_the_total(adviser_client, figures):
    response = adviser_client.get(API, {"group_by": "sector", "year": 2025})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["group_by"], body["year"], body["quarter"]) == ("sector", 2025, None)
    assert body["total"]["placements"] == 5
    assert set(body["results"][0]) >= {"key", "label", "placements", "durable", "job_agreement_jobs"}
    assert sum(row["placements"] for row in body["results"]) == body["total"]["placements"]
    jobs = sum(Decimal(row["job_agreement_jobs"]) for row in body["results"])
    assert jobs == Decimal(body["total"]["job_agreement_jobs"]) == Decimal("3.039")
    sector_ids = set(Sector.objects.values_list("id", flat=True))
    assert {row["key"] for row in body["results"]} <= sector_ids | {None}


def test_api_invalid_group_by_is_400_with_a_code(adviser_client):
    response = adviser_client.get(API, {"group_by": "bsn"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_group_by"
    assert body["detail"] and "group_by" in body["fields"]


def test_api_organisation_tokens_read_the_figures(token_client, uwv, figures):
    client, _token = token_client(organisation=uwv, read_only=True)
    response = client.get(API, {"group_by": "target_group", "year": 2025})
    assert response.status_code == 200
    assert response.json()["total"]["placements"] == 5


@pytest.mark.parametrize("group_by", selectors.STATS_GROUPS)
def test_api_query_count_does_not_grow_with_the_data(django_assert_num_queries, adviser_client, group_by):
    """One query: the grouped rows, with the labels of sectors, organisations and employers joined in. Per employer
    it runs in a transaction of its own that gives it more memory (in a test: a savepoint, set and released), and
    the total is read from the months."""
    queries = 5 if group_by == "employer" else 1

    def add(n: int) -> None:
        for i in range(n):
            placement(
                start=date(2025, 1 + i % 12, 1 + n % 28),
                employer=EmployerFactory(sector=SectorFactory()),
                booked_by=UserFactory(organisation=OrganisationFactory()),
                group=TargetGroup.values[i % len(TargetGroup.values)],
            )

    add(3)
    with django_assert_num_queries(queries):
        small = adviser_client.get(API, {"group_by": group_by, "year": 2025})
    add(27)
    with django_assert_num_queries(queries):
        large = adviser_client.get(API, {"group_by": group_by, "year": 2025})
    assert small.json()["total"]["placements"] == 3
    assert large.json()["total"]["placements"] == 30


@pytest.mark.parametrize(
    "row",
    [
        StatsRow(key=3, label="Zorg", placements=2, durable=1, job_agreement_jobs=Decimal("1.255")),
        StatsRow(key="2026-03", label="maart 2026", placements=0, job_agreement_jobs_market=Decimal("12.5")),
        StatsRow(key=None, label="Onbekend", job_agreement_jobs_government=Decimal("0.980")),
    ],
)
def test_a_stats_row_is_written_exactly_as_its_fields_would_write_it_R50(row):
    """The rows are written directly (35,000 per employer in a year); the answer is the declared fields' own."""
    context = {"records": "http://testserver/api/v1/stats/placements/records/?group_by=sector&year=2026&key="}
    written = StatsRowSerializer(row, context=context).data
    by_the_fields = serializers.Serializer.to_representation(StatsRowSerializer(context=context), row)
    assert dict(written) == dict(by_the_fields)
    assert written["records_url"] == context["records"] + ("" if row.key is None else str(row.key))


def test_employer_rows_are_written_as_their_stats_rows_would_be(figures):
    """Per employer the API writes the database's tuples in one pass; the answer is the one the rows give."""
    rows = selectors.placement_stats(group_by="employer", year=2025).results
    assert isinstance(rows, selectors.EmployerRows)
    records = "http://testserver/records/?key="
    assert written_rows(rows, records) == written_rows(list(rows), records)
    assert [row.placements for row in rows] == sorted((row.placements for row in rows), reverse=True)


# --- The records behind a row and what an organisation token sees (R-40) --------------------------------------


@pytest.mark.parametrize("group_by", selectors.STATS_GROUPS)
def test_every_row_links_to_exactly_the_placements_it_counted_R57(adviser_client, figures, group_by):
    body = adviser_client.get(API, {"group_by": group_by, "year": 2025}).json()

    listed = set()
    for row in body["results"]:
        records = adviser_client.get(row["records_url"]).json()["results"]
        assert len(records) == row["placements"], row
        listed |= {record["id"] for record in records}
    counted = {p.pk for p in figures if p.start_date.year == 2025}  # the cancelled one is never counted
    assert listed == counted
    assert sum(row["placements"] for row in body["results"]) == body["total"]["placements"] == len(counted)


def test_the_records_of_a_quarter_and_an_organisation_keep_the_figures_scope(adviser_client, figures):
    body = adviser_client.get(API, {"group_by": "month", "year": 2025, "quarter": 1}).json()
    assert [row["key"] for row in body["results"]] == ["2025-01", "2025-02"]
    february = adviser_client.get(body["results"][1]["records_url"]).json()["results"]
    assert sorted(record["id"] for record in february) == sorted(p.pk for p in figures[1:3])
    # The records show the candidate by number only.
    assert all(record["candidate"].startswith("#") for record in february)

    organisation = figures[0].organisation
    body = adviser_client.get(API, {"group_by": "sector", "year": 2025, "organisation": organisation.pk}).json()
    for row in body["results"]:
        assert f"organisation={organisation.pk}" in row["records_url"]
        records = adviser_client.get(row["records_url"]).json()["results"]
        assert {Placement.objects.get(pk=r["id"]).organisation_id for r in records} == {organisation.pk}


@pytest.mark.parametrize(
    "params",
    [{"group_by": "employer", "key": "abc"}, {"group_by": "month", "key": "2025-13"}, {"group_by": "bsn", "key": "1"}],
)
def test_records_of_an_unknown_key_are_refused_with_a_code(adviser_client, figures, params):
    response = adviser_client.get(f"{API}records/", {"year": 2025, **params})
    assert response.status_code == 400
    assert response.json()["code"] in ("invalid", "invalid_group_by")


def test_an_organisation_token_sees_no_cell_under_five_placements_R40(token_client, uwv, figures):
    hospital = figures[0].employer
    for day in range(1, 5):
        placement(start=date(2025, 8, day), employer=hospital)  # the hospital: 6 placements in 2025
    client, _token = token_client(organisation=uwv, read_only=True)

    body = client.get(API, {"group_by": "employer", "year": 2025}).json()

    assert body["suppressed"] is True
    # The hospital's 6 are shown; the factory's 2 and the shop's 1 are under 5, and so is their merged row.
    assert [(row["key"], row["placements"]) for row in body["results"]] == [(hospital.pk, 6)]
    assert body["total"]["placements"] == 6
    # No records at all, not even of a shown cell: their columns would rebuild the hidden ones.
    for url in (
        body["results"][0]["records_url"],
        f"{API}records/?group_by=employer&year=2025&key={figures[2].employer.pk}",
    ):
        refused = client.get(url)
        assert refused.status_code == 403
        assert (refused.json()["code"], refused.json()["rule"]) == ("aggregates_only", "R-40")

    by_group = client.get(API, {"group_by": "target_group", "year": 2025}).json()
    # WW 6 (the hospital's four added), the others one each: merged into one row of 3, itself left out.
    assert [(row["key"], row["placements"]) for row in by_group["results"]] == [("ww", 6)]


def test_staff_see_every_cell(adviser_client, figures):
    body = adviser_client.get(API, {"group_by": "employer", "year": 2025}).json()
    assert body["suppressed"] is False
    assert sorted(row["placements"] for row in body["results"]) == [1, 2, 2]
