"""contact-moments/ (R-05, R-08, collision warning), contact-requests/ (R-10) and feedback/ (R-11)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role
from employers.models import ContactRequest, Employer, EmployerFeedback
from tests.factories import (
    AccountHolderFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    EmployerFeedbackFactory,
    UserFactory,
)

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


def test_advisers_do_not_post_feedback_R11(adviser_client, adviser, employer, counts):
    before = counts()
    response = adviser_client.post(
        f"{API}feedback/",
        {"employer": employer.pk, "adviser": adviser.pk, "score": 10, "received_at": "2025-01-01T10:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 403
    assert (response.json()["code"], response.json()["rule"]) == ("manager_only", "R-11")
    assert counts() == before


# --- only those admitted act; the refusal says whom to ask ---------------------------------------------------


def test_post_contact_moment_by_someone_not_admitted_is_403_with_the_admission_request_R04(
    other_client, employer, now, counts
):
    before = counts()
    response = other_client.post(
        f"{API}contact-moments/",
        {"employer": employer.pk, "kind": "phone", "occurred_at": iso(now), "summary": "Gebeld"},
        format="json",
    )
    assert response.status_code == 403
    body = response.json()
    assert (body["code"], body["rule"], body["main_account_holder"]) == (
        "admission_required", "R-04", employer.main_account_holder_id
    )  # fmt: skip
    assert body["access_request"] == f"{API}employers/{employer.pk}/access-requests/"
    assert "Anna de Jong" in body["detail"]
    assert counts() == before


def test_an_admitted_account_holder_posts_contact_moments_R04(client_for, other_adviser, employer, now):
    AccountHolderFactory(employer=employer, user=other_adviser)
    response = client_for(other_adviser).post(
        f"{API}contact-moments/",
        {"employer": employer.pk, "kind": "phone", "occurred_at": iso(now), "summary": "Gebeld"},
        format="json",
    )
    assert response.status_code == 201


def test_nobody_patches_a_response_on_a_request_they_may_not_answer_R10_R04(other_client, employer, counts):
    """Security defect: "Anyone answers another adviser's contact request"."""
    request = ContactRequestFactory(employer=employer)
    before = counts()
    response = other_client.patch(f"{API}contact-requests/{request.pk}/", {"response": "Ik bel wel"}, format="json")
    assert response.status_code == 403
    assert (response.json()["code"], response.json()["rule"]) == ("admission_required", "R-04")
    request.refresh_from_db()
    assert (request.responded_at, request.responded_by, request.response) == (None, None, "")
    assert counts() == before


def test_a_manager_answers_any_request_R10(manager_client, manager, employer):
    request = ContactRequestFactory(employer=employer)
    body = manager_client.patch(f"{API}contact-requests/{request.pk}/", {"response": "Gebeld"}, format="json").json()
    assert body["responded_by"] == manager.pk


# --- stated response moments --------------------------------------------------------------------------------


def test_a_stated_earlier_response_is_flagged_and_decides_the_24_hours_R10(adviser_client, employer, now):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=30))
    phoned = request.received_at + timedelta(hours=3)

    body = adviser_client.patch(
        f"{API}contact-requests/{request.pk}/", {"response": "Gebeld", "responded_at": iso(phoned)}, format="json"
    ).json()

    assert body["responded_at"] == iso(phoned.astimezone(timezone.get_current_timezone()))
    assert (body["response_stated_afterwards"], body["responded_within_24h"]) == (True, True)
    assert body["response_recorded_at"] > body["responded_at"]


def test_a_response_without_a_stated_moment_is_not_flagged_R10(adviser_client, employer):
    request = ContactRequestFactory(employer=employer)
    body = adviser_client.patch(f"{API}contact-requests/{request.pk}/", {"response": "Gebeld"}, format="json").json()
    assert body["response_stated_afterwards"] is False
    assert body["response_recorded_at"] == body["responded_at"]
    listed = adviser_client.get(f"{API}contact-requests/").json()["results"][0]
    assert {"response_recorded_at", "response_stated_afterwards"} <= set(listed)


def test_a_response_stated_in_the_future_is_400_R10(adviser_client, employer, now, counts):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=2))
    before = counts()
    response = adviser_client.patch(
        f"{API}contact-requests/{request.pk}/",
        {"response": "Gebeld", "responded_at": iso(now + timedelta(hours=2))},
        format="json",
    )
    assert (response.status_code, response.json()["rule"]) == (400, "R-10")
    assert list(response.json()["fields"]) == ["responded_at"]
    assert ContactRequest.objects.get(pk=request.pk).responded_at is None
    assert counts() == before


# --- instruments on contact moments -------------------------------------------------------------------------


def test_contact_moments_take_and_give_instruments_R33(adviser_client, employer, now):
    response = adviser_client.post(
        f"{API}contact-moments/",
        {
            "employer": employer.pk, "kind": "visit", "occurred_at": iso(now), "reason": "Kennismaking",
            "company_activities": "Zorg", "agreements": "LKS aanvragen",
            "instruments_advised": ["no_risk_policy", "lks"], "instruments_applied": ["lks"],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert (response.json()["instruments_advised"], response.json()["instruments_applied"]) == (
        ["lks", "no_risk_policy"], ["lks"]
    )  # fmt: skip
    row = adviser_client.get(f"{API}contact-moments/").json()["results"][0]
    assert (row["instruments_advised"], row["instruments_applied"]) == (["lks", "no_risk_policy"], ["lks"])


@pytest.mark.parametrize("value", [["lks", "geld"], "lks", [7]])
def test_unknown_instruments_are_400_and_save_nothing_R33(adviser_client, employer, now, counts, value):
    before = counts()
    response = adviser_client.post(
        f"{API}contact-moments/",
        {"employer": employer.pk, "kind": "phone", "occurred_at": iso(now), "summary": "Gebeld",
         "instruments_applied": value},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["instruments_applied"]
    assert counts() == before


# --- feedback comes in ---------------------------------------------------------------------------------------


@pytest.fixture
def feedback_body(employer, adviser, now):
    return {
        "employer": employer.pk,
        "adviser": adviser.pk,
        "score": 0,
        "comment": "Niet teruggebeld",
        "source": "survey",
        "received_at": iso(now - timedelta(hours=1)),
        "external_id": "enq-2026-0042",
    }


def test_survey_tool_posts_feedback_once_even_when_it_sends_it_again_R11(manager_client, feedback_body, adviser):
    first = manager_client.post(f"{API}feedback/", feedback_body, format="json")
    again = manager_client.post(f"{API}feedback/", feedback_body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert (first.json()["score"], first.json()["adviser"], first.json()["external_id"]) == (
        0,
        adviser.pk,
        "enq-2026-0042",
    )
    assert EmployerFeedback.objects.count() == 1


def test_another_answer_under_the_same_external_id_is_409_R11(manager_client, feedback_body, counts):
    manager_client.post(f"{API}feedback/", feedback_body, format="json")
    before = counts()
    response = manager_client.post(f"{API}feedback/", feedback_body | {"score": 9}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "feedback_external_id_conflict")
    assert EmployerFeedback.objects.get().score == 0
    assert counts() == before


def test_an_administrator_posts_feedback_without_external_id_R11(client_for, uwv, feedback_body):
    administrator = UserFactory(organisation=uwv, role=Role.ADMIN)
    body = feedback_body | {"external_id": ""}
    assert client_for(administrator).post(f"{API}feedback/", body, format="json").status_code == 201
    assert client_for(administrator).post(f"{API}feedback/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"source": "gossip"}, "source"),
        ({"received_at": "FUTURE"}, "received_at"),
        ({"employer": 999_999_999}, "employer"),
        ({"adviser": 999_999_999}, "adviser"),
    ],
)
def test_invalid_feedback_is_400_R11(manager_client, feedback_body, now, counts, change, field):
    if change.get("received_at") == "FUTURE":
        change = {"received_at": iso(now + timedelta(days=1))}
    before = counts()
    response = manager_client.post(f"{API}feedback/", feedback_body | change, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert counts() == before


def test_organisation_and_read_only_tokens_do_not_post_feedback_R11(token_client, uwv, manager, feedback_body, counts):
    organisation_client, _token = token_client(organisation=uwv)
    read_only_client, _token = token_client(user=manager, read_only=True)
    before = counts()
    for client in (organisation_client, read_only_client):
        assert client.post(f"{API}feedback/", feedback_body, format="json").status_code == 403
    assert counts() == before
    # The manager's own (writing) token is the survey tool's integration.
    writing_client, _token = token_client(user=manager)
    assert writing_client.post(f"{API}feedback/", feedback_body, format="json").status_code == 201


def test_managers_read_aggregates_of_5_or_more_responses_only_R11(
    manager_client, uwv, adviser, colleague, other_adviser, employer, ended_quarter
):
    uwv_advisers = [adviser, colleague, UserFactory(organisation=uwv, role=Role.ADVISER)]
    for i in range(5):
        EmployerFeedbackFactory(employer=employer, adviser=uwv_advisers[i % 3], score=8, received_at=ended_quarter)
    EmployerFeedbackFactory.create_batch(
        4, employer=employer, adviser=other_adviser, score=2, received_at=ended_quarter
    )

    rows = manager_client.get(f"{API}feedback/aggregates/").json()

    quarter = timezone.localtime(ended_quarter)
    assert rows == [
        {
            "quarter": f"{quarter:%Y}-Q{(quarter.month - 1) // 3 + 1}",
            "organisation": adviser.organisation_id,
            "organisation_name": "UWV",
            "responses": 5,
            "average": 8.0,
        }
    ]
    assert manager_client.get(f"{API}feedback/aggregates/", {"year": "twintig"}).status_code == 400


@pytest.mark.parametrize("year", ["²", "٢٠٢٦", "+2026", "1999", "2101", "", "99999999999999999999"])
def test_an_odd_year_for_the_aggregates_is_400_in_dutch_R11(manager_client, year):
    """Before: "²" passed `isdigit()` and `int()` failed on it: a 500."""
    response = manager_client.get(f"{API}feedback/aggregates/", {"year": year}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert response.json()["fields"]["year"] == ["Geef een jaar, zoals 2026."]


def _groups(client) -> list[tuple[int, float]]:
    return [(row["responses"], row["average"]) for row in client.get(f"{API}feedback/aggregates/").json()]


def test_a_manager_cannot_read_a_hidden_score_by_posting_answers_of_their_own_R11(
    manager_client, uwv, adviser, colleague, employer, ended_quarter, counts
):
    """Before (review repro): one real answer (score 3) was hidden; the manager POSTed 4 answers of 10 in that
    quarter, the aggregate then showed 5 responses averaging 8.6, and 8.6 * 5 - 40 = 3 gave the score away."""
    EmployerFeedbackFactory(employer=employer, adviser=adviser, score=3, received_at=ended_quarter - timedelta(hours=3))
    third = UserFactory(organisation=uwv, role=Role.ADVISER)
    for i, about in enumerate((adviser, colleague, third, colleague)):
        body = {"employer": employer.pk, "adviser": about.pk, "score": 10,
                "received_at": iso(ended_quarter - timedelta(hours=2, minutes=i))}  # fmt: skip
        assert manager_client.post(f"{API}feedback/", body, format="json").status_code == 201  # the contract

    assert _groups(manager_client) == []  # the hidden score stays hidden
    stored = EmployerFeedback.objects.filter(registered_by_manager=True)
    assert stored.count() == 4 and all(f.score == 10 for f in stored)
    # Stored for the advisers they concern, who see them as their own feedback.
    assert EmployerFeedback.objects.filter(adviser=adviser).count() == 2


def test_a_manager_adding_answers_to_a_shown_group_leaves_it_unchanged_R11(
    manager_client, client_for, uwv, adviser, colleague, employer, ended_quarter
):
    advisers = [adviser, colleague, UserFactory(organisation=uwv, role=Role.ADVISER)]
    for i, score in enumerate((3, 5, 7, 7, 8)):
        EmployerFeedbackFactory(employer=employer, adviser=advisers[i % 3], score=score, received_at=ended_quarter)
    assert _groups(manager_client) == [(5, 6.0)]

    body = {"employer": employer.pk, "adviser": adviser.pk, "score": 10, "received_at": iso(ended_quarter)}
    assert manager_client.post(f"{API}feedback/", body, format="json").status_code == 201
    assert _groups(manager_client) == [(5, 6.0)]

    # The survey tool's integration user (an administrator account) brings answers in that do count.
    integration = client_for(UserFactory(organisation=uwv, role=Role.ADMIN))
    assert integration.post(f"{API}feedback/", body, format="json").status_code == 201
    assert _groups(manager_client) == [(6, 6.666666666666667)]


@pytest.mark.parametrize(
    "received_at", ["1999-12-31T23:00:00+00:00", "0001-01-01T00:00:00+14:00", "1900-01-01T00:00:00Z"]
)
def test_feedback_received_far_in_the_past_is_400_with_a_field_error_R11(manager_client, feedback_body, counts,
                                                                         received_at):  # fmt: skip
    before = counts()
    response = manager_client.post(f"{API}feedback/", feedback_body | {"received_at": received_at}, format="json")
    assert response.status_code == 400
    assert "received_at" in response.json()["fields"]
    assert counts() == before


def test_advisers_and_organisation_tokens_get_no_aggregates_R11(adviser_client, token_client, uwv):
    organisation_client, _token = token_client(organisation=uwv)
    assert adviser_client.get(f"{API}feedback/aggregates/").status_code == 403
    assert organisation_client.get(f"{API}feedback/aggregates/").status_code == 403


@pytest.mark.parametrize("n", [5, 50])
def test_aggregates_cost_one_query_whatever_the_data_R11(manager_client, employer, adviser, now, n,
                                                        django_assert_num_queries):  # fmt: skip
    EmployerFeedbackFactory.create_batch(n, employer=employer, adviser=adviser, received_at=now)
    # 1 = the grouped count and average (HAVING count >= 5)
    with django_assert_num_queries(1):
        assert manager_client.get(f"{API}feedback/aggregates/").status_code == 200


# --- an administrator is no manager ---------------------------------------------------------------------


def test_an_administrator_does_not_act_towards_an_employer_R04(client_for, uwv, employer, now, counts):
    """Before (review repro): an administrator registered contact moments (201), ceased employers and answered
    contact requests (200), because `is_manager` includes administrators. R-04 names managers only."""
    administrator = client_for(UserFactory(organisation=uwv, role=Role.ADMIN))
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=2))
    before, employer_before = counts(), Employer.objects.filter(pk=employer.pk).values().get()

    attempts = [
        administrator.post(f"{API}contact-moments/", {"employer": employer.pk, "kind": "phone",
                                                       "occurred_at": iso(now), "summary": "Gebeld"}, format="json"),
        administrator.post(f"{API}employers/{employer.pk}/cease/", {"ceased_on": str(now.date())}, format="json"),
        administrator.patch(f"{API}employers/{employer.pk}/", {"city": "Zandvoort"}, format="json"),
        administrator.patch(f"{API}contact-requests/{request.pk}/", {"response": "Gebeld"}, format="json"),
        administrator.post(f"{API}employers/{employer.pk}/access-requests/", {"message": "Mag ik?"}, format="json"),
    ]  # fmt: skip

    assert [r.status_code for r in attempts] == [403] * 5
    assert [r.json()["code"] for r in attempts[:4]] == ["admission_required"] * 4
    assert attempts[4].json()["code"] == "role_not_allowed"
    assert counts() == before
    assert Employer.objects.filter(pk=employer.pk).values().get() == employer_before
    request.refresh_from_db()
    assert request.responded_at is None


# --- moments far in the past ------------------------------------------------------------------------------


@pytest.mark.parametrize("received_at", ["1999-12-31T23:00:00+00:00", "0001-01-01T00:00:00+14:00"])
def test_a_contact_request_received_far_in_the_past_is_400_with_a_field_error_R10(adviser_client, employer,
                                                                                  counts, received_at):  # fmt: skip
    before = counts()
    response = adviser_client.post(
        f"{API}contact-requests/", {"employer": employer.pk, "received_at": received_at, "question": "Bel terug"},
        format="json", HTTP_ACCEPT_LANGUAGE="nl",
    )  # fmt: skip
    assert response.status_code == 400
    assert "received_at" in response.json()["fields"]
    assert counts() == before


@pytest.mark.parametrize("kind", ["phone", "visit"])
def test_a_contact_moment_before_2000_is_400_with_a_field_error_R08(adviser_client, employer, counts, kind):
    before = counts()
    body = {"employer": employer.pk, "kind": kind, "occurred_at": "1999-06-01T10:00:00+02:00", "summary": "Gebeld",
            "reason": "Kennismaking", "company_activities": "Bakkerij", "agreements": "Terugbellen"}  # fmt: skip
    response = adviser_client.post(f"{API}contact-moments/", body, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert response.json()["fields"]["occurred_at"] == ["Kies een moment na 1 januari 2000."]
    assert counts() == before
