"""The `projects/` and `events/` API (API.md): fields, writes by managers, error format, constant query counts."""

from datetime import date

import pytest

from reporting.projects import services
from reporting.projects.models import Project
from tests.factories import CandidateFactory, EmployerFactory, PlacementFactory

from .conftest import project_fields

pytestmark = pytest.mark.django_db

PROJECT_FIELDS = {"id", "numbers", "title", "applicant", "executors", "signatories", "period",
                  "budgeted_direct_costs", "max_subsidy", "requested_subsidy", "requested_share", "activities",
                  "placements"}  # fmt: skip
ACTIVITY_FIELDS = {"code", "description", "target", "target_changes", "realised", "not_realised_reason"}
EVENT_FIELDS = {"id", "kind", "title", "date", "organisers", "employers", "participants", "referrals", "placements"}

PAYLOAD = {
    "numbers": ["2016DW2012"],
    "title": "Dienstverlening werkzoekenden corporatiesector 2.0",
    "applicant": "FLOW",
    "period": {"start": "2016-07-15", "end": "2018-12-31"},
    "budgeted_direct_costs": "1245313",
    "max_subsidy": "859265",
    "requested_subsidy": "710781",
    "activities": [{"code": "1", "description": "Landelijke events", "target": 2, "realised": "1800-1850"}],
}


def test_r54_api_post_and_get_project(manager_client, adviser_client):
    response = manager_client.post("/api/v1/projects/", PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= PROJECT_FIELDS
    assert set(body["activities"][0]) >= ACTIVITY_FIELDS
    assert body["requested_share"] == 83
    assert body["max_subsidy"]["current"] == "859265.00" and body["max_subsidy"]["changes"] == []
    assert body["activities"][0]["realised"] == "1800-1850"
    listed = adviser_client.get("/api/v1/projects/").json()["results"]
    assert [row["numbers"] for row in listed] == [["2016DW2012"]]


def test_r54_api_patch_max_subsidy_needs_reason(manager_client, project):
    url = f"/api/v1/projects/{project.pk}/"
    refused = manager_client.patch(url, {"max_subsidy": "800000"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "reason_required" and refused.json()["rule"] == "R-54"
    project.refresh_from_db()
    assert project.max_subsidy == 859265
    ok = manager_client.patch(url, {"max_subsidy": "800000", "max_subsidy_reason": "Besluit",
                                    "max_subsidy_date": "2017-06-01"}, format="json")  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["max_subsidy"]["changes"] == [
        {"date": "2017-06-01", "old": "859265.00", "new": "800000.00", "reason": "Besluit"}
    ]
    assert ok.json()["requested_share"] == 89


def test_r54_api_duplicate_number_is_409(manager_client, project, project_counts):
    before = project_counts()
    response = manager_client.post("/api/v1/projects/", PAYLOAD, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_project_number"
    assert project_counts() == before


def test_r01_api_adviser_cannot_write_project(adviser_client, project_counts):
    before = project_counts()
    response = adviser_client.post("/api/v1/projects/", PAYLOAD, format="json")
    assert response.status_code == 403 and response.json()["rule"] == "R-01"
    assert project_counts() == before


def test_r01_organisation_token_reads_only(token_client, uwv, project):
    client, _token = token_client(organisation=uwv)
    assert client.get("/api/v1/projects/").status_code == 200
    assert client.get("/api/v1/events/").status_code == 200
    assert client.post("/api/v1/projects/", PAYLOAD, format="json").status_code == 403


def test_r19_api_event_post_patch_and_reach(manager_client, uwv):
    employer, placement = EmployerFactory(), PlacementFactory()
    response = manager_client.post(
        "/api/v1/events/",
        {"kind": "job_fair", "title": "Banenmarkt", "date": "2024-04-11", "organisers": [uwv.pk],
         "employers": [employer.pk], "participants": 80, "placements": [placement.pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= EVENT_FIELDS and body["placements"] == [placement.pk] and "candidates" not in body
    patched = manager_client.patch(f"/api/v1/events/{body['id']}/", {"participants": 90}, format="json")
    assert patched.json()["participants"] == 90 and patched.json()["employers"] == [employer.pk]
    reach = manager_client.post(
        "/api/v1/events/reach/", {"year": 2024, "quarter": 2, "channel": "linkedin", "reach": 5300}, format="json"
    )
    assert reach.status_code == 201
    assert manager_client.get("/api/v1/events/reach/?year=2024").json()[0]["reach"] == 5300


def test_r19_api_event_refusal_format(manager_client, project_counts):
    before = project_counts()
    response = manager_client.post("/api/v1/events/", {"kind": "other", "title": "x", "date": "2024-01-01",
                                                       "participants": -3}, format="json")  # fmt: skip
    assert response.status_code == 400 and response.json()["code"] == "negative_amount"
    assert project_counts() == before


def _projects(manager, n):
    for i in range(n):
        services.project_create(
            by=manager,
            **project_fields(numbers=[f"2016DW3{i:03d}"], placements=[PlacementFactory().pk]),
        )


def _events(manager, n):
    for i in range(n):
        services.event_create(by=manager, kind="job_fair", title=f"E{i}", date=date(2024, 1, 1 + i % 28),
                              employers=[EmployerFactory().pk], placements=[PlacementFactory().pk])  # fmt: skip


@pytest.mark.parametrize("n", [2, 20])
def test_r54_api_project_list_queries_do_not_grow(manager_client, manager, django_assert_num_queries, n):
    _projects(manager, n)
    # user? no (forced auth); projects page; numbers, executors, signatories, max changes, activities, target
    # changes, placements (+ placement), events
    with django_assert_num_queries(9):
        response = manager_client.get("/api/v1/projects/?page_size=50")
    assert len(response.json()["results"]) == n == Project.objects.count()


@pytest.mark.parametrize("n", [2, 20])
def test_r19_api_event_list_queries_do_not_grow(manager_client, manager, django_assert_num_queries, n):
    _events(manager, n)
    # events page (with project and candidate count); organisers, employers, referral links, placement links
    with django_assert_num_queries(5):
        response = manager_client.get("/api/v1/events/?page_size=50")
    assert len(response.json()["results"]) == n


def test_schema_documents_projects_and_events(manager_client):
    schema = manager_client.get("/api/schema/?format=json").content.decode()
    assert "/api/v1/projects/" in schema and "/api/v1/events/reach/" in schema


def test_r40_event_shows_candidates_as_a_count_only(other_client, manager):
    candidate = CandidateFactory()  # another organisation's candidate for the caller
    services.event_create(by=manager, kind="speed_meet", title="Speed meet", date=date(2024, 2, 1), participants=12,
                          candidates=[candidate.pk])  # fmt: skip
    row = other_client.get("/api/v1/events/").json()["results"][0]
    assert row["participants"] == 12 and row["candidates_count"] == 1
    text = str(row)
    assert candidate.first_name not in text and candidate.email not in text and "candidates" not in row


def test_r54_api_applicant_organisation_and_executors(manager_client, uwv, municipality):
    payload = {**PAYLOAD, "applicant_organisation": uwv.pk, "executor_organisations": [uwv.pk, municipality.pk],
               "signatories": "UWV, Gemeente Haarlem"}  # fmt: skip
    body = manager_client.post("/api/v1/projects/", payload, format="json").json()
    assert body["applicant_organisation"] == uwv.pk
    assert sorted(body["executor_organisations"]) == sorted([uwv.pk, municipality.pk])
    assert body["signatories"] == "UWV, Gemeente Haarlem"
