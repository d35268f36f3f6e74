"""contact-moments/ (R-05, R-08, collision warning), contact-requests/ (R-10) and feedback/ (R-11)."""

from datetime import timedelta

import pytest

from employers.models import ContactMoment, ContactRequest, Employer
from tests.factories import ContactMomentFactory, ContactRequestFactory, EmployerFactory, EmployerFeedbackFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def iso(moment) -> str:
    return moment.isoformat()


# --- Contact moments -------------------------------------------------------------------------------------------


def test_contact_moments_list_has_contract_fields_R08(other_client, employer):
    visit = ContactMomentFactory(employer=employer, visit=True)
    row = other_client.get(f"{API}contact-moments/").json()["results"][0]
    fields = ("id", "employer", "adviser", "kind", "reason", "company_activities", "agreements")
    assert {key: row[key] for key in fields} == {
        "id": visit.pk,
        "employer": employer.pk,
        "adviser": visit.adviser_id,
        "kind": "visit",
        "reason": "Kennismaking",
        "company_activities": "Bouw en onderhoud",
        "agreements": "Twee vacatures aanmelden",
    }
    assert {"occurred_at", "summary"} <= set(row)


def test_contact_moments_filter_on_employer_and_kind_R08(adviser_client, employer):
    visit = ContactMomentFactory(employer=employer, visit=True)
    ContactMomentFactory(employer=employer)
    ContactMomentFactory(visit=True)
    rows = adviser_client.get(f"{API}contact-moments/", {"employer": employer.pk, "kind": "visit"}).json()["results"]
    assert [row["id"] for row in rows] == [visit.pk]


def test_post_phone_contact_moves_the_clock_R05(adviser_client, adviser, employer, set_last_contact, now):
    set_last_contact(employer, now - timedelta(days=400))
    occurred = now - timedelta(hours=3)

    response = adviser_client.post(
        f"{API}contact-moments/",
        {"employer": employer.pk, "kind": "phone", "occurred_at": iso(occurred), "summary": "Gebeld"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["employer"], body["adviser"], body["kind"], body["summary"], body["collisions"]) == (
        employer.pk,
        adviser.pk,
        "phone",
        "Gebeld",
        [],
    )
    assert Employer.objects.get(pk=employer.pk).last_contact_at == occurred


@pytest.mark.parametrize("missing", ["reason", "company_activities", "agreements"])
def test_post_visit_without_its_report_is_400_R08(adviser_client, employer, now, counts, missing):
    body = {
        "employer": employer.pk,
        "kind": "visit",
        "occurred_at": iso(now),
        "reason": "Kennismaking",
        "company_activities": "Bouw",
        "agreements": "Bellen",
    }
    body[missing] = "  "
    before = counts()
    response = adviser_client.post(f"{API}contact-moments/", body, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["rule"]) == ("visit_report_incomplete", "R-08")
    assert list(response.json()["fields"]) == [missing]
    assert counts() == before


@pytest.mark.parametrize(
    "change",
    [{"kind": "fax"}, {"summary": ""}, {"occurred_at": "gisteren"}, {"employer": "abc"}, {"occurred_at": "FUTURE"}],
)
def test_post_invalid_contact_moment_is_400(adviser_client, employer, now, counts, change):
    body = {"employer": employer.pk, "kind": "phone", "occurred_at": iso(now), "summary": "Gebeld"} | change
    if body["occurred_at"] == "FUTURE":
        body["occurred_at"] = iso(now + timedelta(days=1))
    before = counts()
    response = adviser_client.post(f"{API}contact-moments/", body, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]
    assert counts() == before


def test_post_returns_collision_with_another_organisation_within_30_days(adviser_client, employer, other_adviser, now):
    theirs = ContactMomentFactory(employer=employer, adviser=other_adviser, occurred_at=now - timedelta(days=12))
    ContactMomentFactory(employer=employer, adviser=other_adviser, occurred_at=now - timedelta(days=45))

    response = adviser_client.post(
        f"{API}contact-moments/",
        {"employer": employer.pk, "kind": "email", "occurred_at": iso(now), "summary": "Mail"},
        format="json",
    )

    collisions = response.json()["collisions"]
    assert [(c["id"], c["adviser"], c["organisation"]) for c in collisions] == [
        (theirs.pk, other_adviser.pk, other_adviser.organisation_id)
    ]


# --- Contact requests (R-10) -----------------------------------------------------------------------------------


def test_post_contact_request_goes_to_the_main_account_holder_R10(other_client, adviser, employer, now):
    response = other_client.post(
        f"{API}contact-requests/",
        {
            "employer": employer.pk,
            "received_at": iso(now - timedelta(hours=2)),
            "question": "Bel terug",
            "channel": "email",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "employer", "received_at", "responded_at", "responded_within_24h"} <= set(body)
    assert (body["employer"], body["assigned_to"], body["responded_at"], body["responded_within_24h"]) == (
        employer.pk,
        adviser.pk,
        None,
        None,
    )


def test_patch_records_the_response_and_the_24h_verdict_R10(adviser_client, adviser, employer, now):
    late = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=30))
    in_time = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=2))

    late_body = adviser_client.patch(
        f"{API}contact-requests/{late.pk}/", {"response": "Teruggebeld"}, format="json"
    ).json()
    in_time_body = adviser_client.patch(
        f"{API}contact-requests/{in_time.pk}/", {"response": "Gemaild"}, format="json"
    ).json()

    assert (late_body["responded_within_24h"], late_body["responded_by"]) == (False, adviser.pk)
    assert in_time_body["responded_within_24h"] is True
    assert ContactRequest.objects.get(pk=late.pk).response == "Teruggebeld"


def test_patch_twice_is_409_R10(adviser_client, employer, counts):
    request = ContactRequestFactory(employer=employer)
    adviser_client.patch(f"{API}contact-requests/{request.pk}/", {"response": "Gebeld"}, format="json")
    before = counts()
    response = adviser_client.patch(f"{API}contact-requests/{request.pk}/", {"response": "Weer"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "already_responded")
    assert ContactRequest.objects.get(pk=request.pk).response == "Gebeld"
    assert counts() == before


def test_response_before_the_request_is_400_R10(adviser_client, employer, now, counts):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=2))
    before = counts()
    response = adviser_client.patch(
        f"{API}contact-requests/{request.pk}/",
        {"response": "Gebeld", "responded_at": iso(now - timedelta(hours=3))},
        format="json",
    )
    assert response.status_code == 400
    assert "responded_at" in response.json()["fields"]
    assert ContactRequest.objects.get(pk=request.pk).responded_at is None
    assert counts() == before


def test_patch_unknown_contact_request_is_404_R10(adviser_client):
    response = adviser_client.patch(f"{API}contact-requests/999999999/", {"response": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_contact_requests_filter_open_R10(adviser_client, employer):
    open_request = ContactRequestFactory(employer=employer)
    answered = ContactRequestFactory(employer=employer)
    adviser_client.patch(f"{API}contact-requests/{answered.pk}/", {"response": "Gebeld"}, format="json")
    rows = adviser_client.get(f"{API}contact-requests/?open=true").json()["results"]
    assert [row["id"] for row in rows] == [open_request.pk]


# --- Unknown ids in the body -----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["contact-moments", "contact-requests"])
@pytest.mark.parametrize("which", ["unknown", "merged"])
def test_unknown_or_merged_employer_in_input_is_400(adviser_client, employer, now, counts, resource, which):
    employer_id = 999_999_999 if which == "unknown" else EmployerFactory(merged_into=employer).pk
    body = {
        "employer": employer_id,
        "kind": "phone",
        "occurred_at": iso(now),
        "summary": "Gebeld",
        "received_at": iso(now),
        "question": "Bel terug",
    }
    before = counts()
    response = adviser_client.post(f"{API}{resource}/", body, format="json")
    assert counts() == before
    assert response.status_code == 400
    assert "employer" in response.json()["fields"]


def test_unknown_employer_to_merge_in_input_is_400_R07(manager_client, employer, counts):
    before = counts()
    response = manager_client.post(f"{API}employers/{employer.pk}/merge/", {"merge": 999_999_999}, format="json")
    assert counts() == before
    assert response.status_code == 400
    assert "merge" in response.json()["fields"]


# --- Feedback (R-11) -------------------------------------------------------------------------------------------


def test_feedback_lists_only_the_callers_own_R11(adviser_client, adviser, colleague, employer):
    mine = EmployerFeedbackFactory(employer=employer, adviser=adviser, score=9, comment="Top")
    EmployerFeedbackFactory(employer=employer, adviser=colleague)
    rows = adviser_client.get(f"{API}feedback/").json()["results"]
    assert [(row["id"], row["adviser"], row["score"], row["comment"]) for row in rows] == [
        (mine.pk, adviser.pk, 9, "Top")
    ]


def test_managers_and_organisation_tokens_see_no_individual_feedback_R11(manager_client, token_client, uwv, employer):
    EmployerFeedbackFactory(employer=employer)
    organisation_client, _token = token_client(organisation=uwv)
    assert manager_client.get(f"{API}feedback/").json()["results"] == []
    assert organisation_client.get(f"{API}feedback/").json()["results"] == []


def test_feedback_is_read_only_R11(adviser_client, adviser, employer, counts):
    before = counts()
    response = adviser_client.post(
        f"{API}feedback/",
        {"employer": employer.pk, "adviser": adviser.pk, "score": 10, "received_at": "2025-01-01T10:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 405
    assert counts() == before
    assert not ContactMoment.objects.exists()
