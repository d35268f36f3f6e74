"""`placements/` (API.md): the contract fields, booking, correcting, cancelling and aftercare through the API, the
error format, and a list whose query count does not grow with the data. No personal data of candidates (R-40)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matching.models import PERSONAL_FIELDS, AftercareContact, Candidate, Placement
from tests.factories import (
    CandidateFactory,
    OrganisationFactory,
    PlacementFactory,
    ReferralFactory,
    UserFactory,
    before_r23,
)

from .placement_helpers import book, hire, make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db

API = "/api/v1/placements/"
CONTRACT_FIELDS = {
    "id", "vacancy", "candidate", "referral", "booked_by", "organisation", "target_group", "start_date", "end_date",
    "hours_per_week", "placement_type", "is_durable", "job_agreement_jobs",
}  # fmt: skip


@pytest.fixture
def vacancy(adviser):
    return make_vacancy(adviser)


@pytest.fixture
def referral(adviser, vacancy):
    return hire(vacancy, make_candidate(adviser, vacancy, job_agreement=True))


def assert_error(response, status: int, code: str, rule: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    assert body.get("rule") == rule
    return body


def test_book_through_the_api_gives_the_contract_fields(adviser_client, referral, vacancy):
    start = timezone.localdate()
    response = adviser_client.post(
        API,
        {
            "referral": referral.pk,
            "start_date": start.isoformat(),
            "hours_per_week": "25.5",
            "placement_type": "permanent",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= CONTRACT_FIELDS | {"employer", "durable_after", "status", "booked_at", "updated_at"}
    assert (body["vacancy"], body["candidate"], body["referral"]) == (vacancy.pk, referral.candidate_id, referral.pk)
    assert (body["status"], body["is_durable"], body["job_agreement_jobs"]) == ("booked", None, "1.000")
    assert not set(body) & set(PERSONAL_FIELDS)


def test_refusals_have_the_error_format_and_change_nothing(adviser_client, other_client, adviser, vacancy, counts):
    proposed = propose(vacancy, make_candidate(adviser, vacancy))
    payload = {"start_date": timezone.localdate().isoformat(), "hours_per_week": "32", "placement_type": "permanent"}
    before = counts()

    assert_error(
        adviser_client.post(API, {"referral": proposed.pk, **payload}, format="json"), 403, "no_reciprocity", "R-22"
    )
    assert_error(
        other_client.post(API, {"referral": proposed.pk, **payload}, format="json"), 403, "no_reciprocity", "R-22"
    )
    body = assert_error(adviser_client.post(API, {"referral": 0, **payload}, format="json"), 400, "unknown_referral")
    assert "referral" in body["fields"]
    body = assert_error(adviser_client.post(API, {"referral": proposed.pk}, format="json"), 400, "invalid")
    assert {"start_date", "hours_per_week", "placement_type"} <= set(body["fields"])
    assert counts() == before


def test_wrong_organisation_is_403_with_rule_R23(adviser_client, adviser, vacancy, counts):
    pwet = hire(vacancy, make_candidate(adviser, vacancy))
    with before_r23():  # changed after the hire, before R-23 was enforced in the database
        Candidate.objects.filter(pk=pwet.candidate_id).update(target_group="pwet")
    before = counts()
    response = adviser_client.post(
        API,
        {
            "referral": pwet.pk,
            "start_date": timezone.localdate().isoformat(),
            "hours_per_week": "32",
            "placement_type": "permanent",
        },
        format="json",
    )
    assert_error(response, 403, "wrong_organisation_for_target_group", "R-23")
    assert counts() == before


def test_patch_corrects_with_a_reason_only(adviser_client, adviser, referral):
    placement = book(adviser, referral)
    url = f"{API}{placement.pk}/"

    assert_error(
        adviser_client.patch(url, {"hours_per_week": "20", "reason": ""}, format="json"), 400, "reason_required"
    )
    response = adviser_client.patch(url, {"hours_per_week": "20", "reason": "Contract aangepast"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["hours_per_week"], body["correction_reason"]) == ("20.0", "Contract aangepast")
    assert body["job_agreement_jobs"] == "0.784"


def test_cancel_and_aftercare_actions(adviser_client, other_client, adviser, referral, counts):
    placement = book(adviser, referral, start_date=timezone.localdate())
    aftercare = f"{API}{placement.pk}/aftercare/"

    response = adviser_client.post(aftercare, {"summary": "Gaat goed", "still_employed": True}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["placement"] == placement.pk
    listed = adviser_client.get(aftercare)
    assert [c["summary"] for c in listed.json()] == ["Gaat goed"]
    assert AftercareContact.objects.filter(placement=placement).count() == 1

    before = counts()
    assert_error(
        other_client.post(f"{API}{placement.pk}/cancel/", {"reason": "x"}, format="json"),
        403,
        "not_booking_organisation",
        "R-23",
    )
    assert counts() == before
    response = adviser_client.post(f"{API}{placement.pk}/cancel/", {"reason": "Niet gestart"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "Niet gestart")
    assert Placement.objects.filter(pk=placement.pk).exists()  # never deleted
    assert adviser_client.delete(f"{API}{placement.pk}/").status_code == 405


def test_list_filters_and_unknown_id(adviser_client, adviser, referral):
    mine = book(adviser, referral)
    PlacementFactory()
    response = adviser_client.get(API, {"booked_by": adviser.pk})
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert adviser_client.get(API, {"target_group": "ww", "status": "booked"}).status_code == 200
    assert_error(adviser_client.get(f"{API}999999999/"), 404, "not_found")


def test_read_only_organisation_token_reads_but_does_not_book(token_client, uwv, referral):
    client, _token = token_client(organisation=uwv, read_only=True)
    assert client.get(API).status_code == 200
    response = client.post(API, {"referral": referral.pk}, format="json")
    assert response.status_code == 403


def test_list_query_count_does_not_grow_with_the_data(django_assert_num_queries, adviser_client):
    """1 query: the page; every related row is shown by id and job_agreement_jobs is a stored column."""
    PlacementFactory.create_batch(3)
    with django_assert_num_queries(1):
        small = adviser_client.get(API)
    PlacementFactory.create_batch(27)
    with django_assert_num_queries(1):
        large = adviser_client.get(API)
    assert (len(small.json()["results"]), len(large.json()["results"])) == (3, 30)


def test_close_a_two_to_nine_vacancy_through_the_api_R25(adviser_client, other_client, adviser, other_adviser, counts):
    vacancy = make_vacancy(adviser, requested_positions=3)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    hire(vacancy, make_candidate(other_adviser, vacancy, target_group="pwet"))
    url = f"{API}close-vacancy/"
    before = counts()
    # the owner books its own hired candidate first (it could not be booked on a closed vacancy).
    body = assert_error(
        adviser_client.post(url, {"vacancy": vacancy.pk}, format="json"), 403, "own_hires_unbooked", "R-25"
    )
    assert body["candidates"] == [own.candidate_id]
    assert_error(other_client.post(url, {"vacancy": vacancy.pk}, format="json"), 403, "not_vacancy_owner", "R-25")
    assert counts() == before
    book(adviser, own)

    response = adviser_client.post(url, {"vacancy": vacancy.pk}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    [duplicate] = body["duplicates"]
    assert (body["vacancy"], body["status"]) == (vacancy.pk, "closed")
    carried = adviser_client.get("/api/v1/referrals/", {"vacancy": duplicate}).json()["results"]
    assert [(row["status"], row["referred_by"]) for row in carried] == [("hired", other_adviser.pk)]


def test_job_agreement_is_not_corrected_through_the_api_R31(adviser_client, adviser, vacancy):
    """R-31: job_agreement follows the candidate's register entry; a PATCH of it changes nothing."""
    placement = book(adviser, hire(vacancy, make_candidate(adviser, vacancy, job_agreement=False)))
    response = adviser_client.patch(f"{API}{placement.pk}/", {"job_agreement": True, "reason": "x"}, format="json")
    assert_error(response, 400, "nothing_to_correct")
    placement.refresh_from_db()
    assert placement.job_agreement is False


def test_aftercare_summaries_are_for_the_organisations_on_the_placement_R40(
    client_for, adviser, other_adviser, django_assert_num_queries
):
    """R-40: the summary is about the candidate: the booking organisation, the vacancy owner's and the candidate's
    read it; anyone else gets the contacts without it (field absent), in the same number of queries."""
    # Booked by the UWV owner of the vacancy; the candidate is of the municipality.
    placement = PlacementFactory(
        referral=ReferralFactory(
            vacancy=make_vacancy(adviser), candidate=CandidateFactory(adviser=other_adviser), status="hired"
        ),
        start_date=timezone.localdate() - timedelta(days=3),
    )
    AftercareContact.objects.create(
        placement=placement, adviser=adviser, occurred_at=timezone.now(), summary="Ziek gemeld, gaat beter"
    )
    url = f"{API}{placement.pk}/aftercare/"
    stranger = UserFactory(organisation=OrganisationFactory(kind="municipality"))

    for reader in (adviser, other_adviser):
        reader_client = client_for(reader)
        with django_assert_num_queries(2):  # the placement with its vacancy and candidate, the contacts
            [row] = reader_client.get(url).json()
        assert row["summary"] == "Ziek gemeld, gaat beter"
    stranger_client = client_for(stranger)
    with django_assert_num_queries(2):
        response = stranger_client.get(url)
    [row] = response.json()
    assert "summary" not in row
    assert (row["placement"], row["still_employed"]) == (placement.pk, True)
    assert "Ziek" not in response.content.decode()
