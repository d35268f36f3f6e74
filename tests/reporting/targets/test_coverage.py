"""Coverage ratio per sector (R-52): entered counts, employers with 10+ staff in contact in the last 12 months,
managers only for the counts, refusals that change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reporting.targets.models import SectorEmployerCount
from tests.factories import EmployerFactory, SectorFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/coverage/"


def test_r52_coverage_counts_employers_10_plus_in_contact(manager_client, adviser_client, set_last_contact):
    year = timezone.localdate().year
    care = SectorFactory(name="Zorg", is_focus=True)
    SectorFactory(name="Bouw")
    now = timezone.now()
    for staff, days in ((25, 10), (10, 200), (9, 10), (50, 400)):
        set_last_contact(EmployerFactory(sector=care, staff_count=staff), now - timedelta(days=days))
    response = manager_client.post(
        API, {"year": year, "sector": care.pk, "employers_10_plus": 8, "source": "KvK 2026", "ambition": "0.5"}
    )
    assert response.status_code == 201, response.json()
    rows = adviser_client.get(f"{API}?year={year}").json()
    assert [r["sector_name"] for r in rows] == ["Zorg", "Bouw"]  # focus sectors first
    zorg = rows[0]
    assert zorg["employers_10_plus"] == 8 and zorg["in_contact"] == 2 and zorg["ratio"] == 0.25
    assert zorg["is_focus"] is True and zorg["ambition"] == 0.5 and zorg["source"] == "KvK 2026"
    assert rows[1]["employers_10_plus"] is None and rows[1]["ratio"] is None


def test_r52_a_second_post_corrects_the_count(manager_client):
    sector = SectorFactory()
    manager_client.post(API, {"year": 2025, "sector": sector.pk, "employers_10_plus": 8})
    response = manager_client.post(API, {"year": 2025, "sector": sector.pk, "employers_10_plus": 9, "source": "CBS"})
    assert response.status_code == 200
    assert SectorEmployerCount.objects.get().employers_10_plus == 9


def test_r52_negative_count_and_non_managers_refused(manager_client, adviser_client, token_client, uwv, target_counts):
    sector = SectorFactory()
    token, _ = token_client(organisation=uwv)
    before = target_counts()
    data = {"year": 2025, "sector": sector.pk, "employers_10_plus": 8}
    assert manager_client.post(API, {**data, "employers_10_plus": -1}).status_code == 400
    assert adviser_client.post(API, data).status_code == 403
    assert token.post(API, data).status_code == 403
    assert target_counts() == before


def test_r52_bad_year_is_400(manager_client):
    assert manager_client.get(f"{API}?year=twee").status_code == 400


@pytest.mark.parametrize("sectors", [2, 20])
def test_r52_coverage_query_count_does_not_grow(manager_client, django_assert_num_queries, sectors):
    for _ in range(sectors):
        EmployerFactory(sector=SectorFactory())
    # in-contact per sector, the entered counts, the sectors
    with django_assert_num_queries(3):
        assert len(manager_client.get(f"{API}?year=2025").json()) == sectors
