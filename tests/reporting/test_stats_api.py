"""`stats/{measure}/` (API.md; R-55, R-57): rows that add up to the total, each naming the records it counted; small
cells about candidates kept from organisation tokens (R-40)."""

import pytest
from django.utils import timezone

from reporting.measures.grouped import STATS
from tests.factories import ContactRequestFactory, EmployerFactory, ReferralFactory, VacancyFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/stats/"


@pytest.fixture
def data(adviser, other_adviser):
    now = timezone.now()
    VacancyFactory.create_batch(3, owner=adviser, received_at=now, registered_at=now)
    EmployerFactory.create_batch(2)
    ContactRequestFactory.create_batch(2, received_at=now)
    for _ in range(6):
        ReferralFactory(referred_at=now)
    return now


def _year(**params):
    return {"year": timezone.localdate().year, **params}


@pytest.mark.parametrize("name", list(STATS))
def test_rows_add_up_to_the_total_and_each_names_its_records_R57(adviser_client, data, name):
    for group_by in STATS[name].groups:
        body = adviser_client.get(f"{API}{name}/", _year(group_by=group_by)).json()
        assert sum(row["value"] for row in body["results"]) == body["total"]["value"], group_by
        for row in body["results"]:
            records = adviser_client.get(row["records_url"]).json()
            assert len(records["results"]) == row["value"], (group_by, row)
    assert body["total"]["value"] > 0


def test_an_unknown_grouping_or_year_is_400_in_the_error_format(adviser_client):
    response = adviser_client.get(f"{API}vacancies/", {"group_by": "candidate"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_group_by"
    response = adviser_client.get(f"{API}vacancies/", {"year": "1999"})
    assert response.status_code == 400 and "year" in response.json()["fields"]
    response = adviser_client.get(f"{API}vacancies/records/", {"group_by": "month", "key": "2026-xx"})
    assert response.status_code == 400


def test_organisation_tokens_get_no_cell_under_5_candidates_R40(token_client, uwv, data):
    client, _token = token_client(organisation=uwv)
    body = client.get(f"{API}referrals/", _year(group_by="target_group")).json()
    assert all(row["value"] >= 5 for row in body["results"])
    assert sum(row["value"] for row in body["results"]) == body["total"]["value"]


@pytest.mark.parametrize("name", list(STATS))
def test_stats_cost_the_same_queries_whatever_the_data(adviser_client, adviser, name, django_assert_max_num_queries):
    seen = []
    for n in (2, 12):
        VacancyFactory.create_batch(n, owner=adviser)
        ReferralFactory.create_batch(n)
        with django_assert_max_num_queries(8) as queries:
            assert adviser_client.get(f"{API}{name}/", _year()).status_code == 200
        seen.append(len(queries.captured_queries))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("name", list(STATS))
def test_records_without_a_key_are_the_records_without_one_and_never_a_500(adviser_client, data, name):
    for group_by in STATS[name].groups:
        response = adviser_client.get(f"{API}{name}/records/", _year(group_by=group_by))
        assert response.status_code == 200, (group_by, response.content[:200])
