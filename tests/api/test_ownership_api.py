"""Admission requests (R-04) and takeover (R-05) through the API."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from employers.models import AccessRequest, AccountHolder, Employer
from tests.factories import AccessRequestFactory, EmployerFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def test_adviser_asks_for_admission_R04(other_client, other_adviser, employer):
    response = other_client.post(f"{API}employers/{employer.pk}/access-requests/", {"message": "Graag"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["employer"], body["requester"], body["status"], body["message"]) == (
        employer.pk,
        other_adviser.pk,
        "pending",
        "Graag",
    )
    assert AccessRequest.objects.filter(pk=body["id"], status="pending").exists()


def test_second_pending_request_is_409_R04(other_client, employer, counts):
    url = f"{API}employers/{employer.pk}/access-requests/"
    assert other_client.post(url, {}, format="json").status_code == 201
    before = counts()
    response = other_client.post(url, {}, format="json")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["rule"]) == ("access_request_pending", "R-04")
    assert counts() == before


def test_access_request_for_unknown_employer_is_404_R04(other_client, counts):
    before = counts()
    assert other_client.post(f"{API}employers/999999999/access-requests/", {}, format="json").status_code == 404
    assert counts() == before


def test_main_account_holder_approves_and_requester_becomes_account_holder_R04(adviser_client, employer, other_adviser):
    access = AccessRequestFactory(employer=employer, requester=other_adviser)

    response = adviser_client.post(f"{API}access-requests/{access.pk}/approve/", {"note": "Akkoord"}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_note"]) == ("approved", "Akkoord")
    assert response.json()["decided_at"] is not None
    detail = adviser_client.get(f"{API}employers/{employer.pk}/").json()
    assert detail["account_holders"] == [other_adviser.pk]


def test_main_account_holder_declines_R04(adviser_client, employer, other_adviser):
    access = AccessRequestFactory(employer=employer, requester=other_adviser)
    response = adviser_client.post(f"{API}access-requests/{access.pk}/decline/", {}, format="json")
    assert response.json()["status"] == "declined"
    assert not AccountHolder.objects.filter(employer=employer).exists()
    again = adviser_client.post(f"{API}access-requests/{access.pk}/approve/", {}, format="json")
    assert again.status_code == 409
    assert not AccountHolder.objects.filter(employer=employer).exists()


@pytest.mark.parametrize("action", ["approve", "decline"])
@pytest.mark.parametrize("who", ["colleague", "manager", "requester"])
def test_only_the_main_account_holder_decides_R04(request, client_for, employer, other_adviser, counts, action, who):
    access = AccessRequestFactory(employer=employer, requester=other_adviser)
    user = other_adviser if who == "requester" else request.getfixturevalue(who)
    before = counts()

    response = client_for(user).post(f"{API}access-requests/{access.pk}/{action}/", {}, format="json")

    assert response.status_code == 403
    assert (response.json()["code"], response.json()["rule"]) == ("not_main_account_holder", "R-04")
    access.refresh_from_db()
    assert access.status == "pending"
    assert counts() == before


def test_decide_on_unknown_request_is_404_R04(adviser_client):
    response = adviser_client.post(f"{API}access-requests/999999999/approve/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_access_request_list_shows_what_i_asked_and_what_i_must_answer_R04(
    adviser_client, adviser, employer, other_adviser
):
    to_answer = AccessRequestFactory(employer=employer, requester=other_adviser)
    asked = AccessRequestFactory(requester=adviser)
    AccessRequestFactory()  # between two other advisers
    rows = adviser_client.get(f"{API}access-requests/").json()["results"]
    assert {row["id"] for row in rows} == {to_answer.pk, asked.pk}
    assert set(rows[0]) >= {"id", "employer", "requester", "status", "decided_by", "decided_at"}


def test_takeover_inside_12_months_is_403_with_possible_from_R05(
    other_client, employer, adviser, set_last_contact, now, counts
):
    last = now - relativedelta(months=6)
    set_last_contact(employer, last)
    before = counts()

    response = other_client.post(f"{API}employers/{employer.pk}/take-over/")

    assert response.status_code == 403
    body = response.json()
    assert (body["code"], body["rule"]) == ("takeover_too_early", "R-05")
    assert body["possible_from"] == timezone.localdate(last + relativedelta(months=12)).isoformat()
    employer.refresh_from_db()
    assert (employer.main_account_holder, employer.last_contact_at) == (adviser, last)
    assert counts() == before


def test_takeover_after_12_months_succeeds_and_old_main_becomes_account_holder_R05(
    other_client, other_adviser, adviser, employer, set_last_contact, now
):
    set_last_contact(employer, now - relativedelta(months=12, days=1))

    response = other_client.post(f"{API}employers/{employer.pk}/take-over/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["main_account_holder"], body["account_holders"]) == (other_adviser.pk, [adviser.pk])
    assert body["takeover_possible_from"] > (now + relativedelta(months=11)).date().isoformat()
    assert Employer.objects.get(pk=employer.pk).main_account_holder == other_adviser


def test_second_takeover_is_refused_because_the_first_reset_the_clock_R05(
    client_for, colleague, other_adviser, employer, set_last_contact, now
):
    set_last_contact(employer, now - relativedelta(months=13))
    assert client_for(other_adviser).post(f"{API}employers/{employer.pk}/take-over/").status_code == 200

    response = client_for(colleague).post(f"{API}employers/{employer.pk}/take-over/")

    assert (response.status_code, response.json()["rule"]) == (403, "R-05")
    assert Employer.objects.get(pk=employer.pk).main_account_holder == other_adviser


def test_takeover_by_a_manager_is_refused_R03(manager_client, employer, adviser, set_last_contact, now):
    set_last_contact(employer, now - timedelta(days=800))
    response = manager_client.post(f"{API}employers/{employer.pk}/take-over/")
    assert (response.status_code, response.json()["rule"]) == (403, "R-03")
    assert Employer.objects.get(pk=employer.pk).main_account_holder == adviser


def test_takeover_of_a_merged_tombstone_is_404_R05(other_client, employer):
    tombstone = EmployerFactory(merged_into=employer)
    assert other_client.post(f"{API}employers/{tombstone.pk}/take-over/").status_code == 404


def test_an_organisation_token_sees_only_its_own_staffs_admission_requests_R04(
    token_client, uwv, municipality, adviser, other_adviser, employer
):
    """Security defect: "An organisation token sees every admission request in the region with its messages"."""
    made_by_uwv = AccessRequestFactory(requester=adviser, message="Van UWV")
    to_uwv = AccessRequestFactory(employer=employer, requester=other_adviser, message="Aan UWV")
    elsewhere = AccessRequestFactory(message="Tussen twee anderen")  # requester and holder of other organisations
    uwv_client, _token = token_client(organisation=uwv)
    municipality_client, _token = token_client(organisation=municipality)

    uwv_rows = uwv_client.get(f"{API}access-requests/").json()["results"]
    municipality_rows = municipality_client.get(f"{API}access-requests/").json()["results"]

    assert {row["id"] for row in uwv_rows} == {made_by_uwv.pk, to_uwv.pk}
    assert {row["id"] for row in municipality_rows} == {to_uwv.pk}
    assert elsewhere.pk not in {row["id"] for row in uwv_rows + municipality_rows}
    assert uwv_client.get(f"{API}access-requests/{elsewhere.pk}/").status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_an_organisation_tokens_admission_requests_cost_the_same_queries_R04(
    uwv, adviser, n, django_assert_num_queries
):
    from rest_framework.test import APIClient

    from accounts.principals import OrganisationPrincipal

    AccessRequestFactory.create_batch(n, requester=adviser)
    client = APIClient()
    # As ApiTokenAuthentication authenticates an organisation token (the token lookup itself is tested in accounts).
    client.force_authenticate(user=OrganisationPrincipal(organisation=uwv))
    # 1 = the page of requests made by or to be answered by the organisation's staff
    with django_assert_num_queries(1):
        assert len(client.get(f"{API}access-requests/").json()["results"]) == n
