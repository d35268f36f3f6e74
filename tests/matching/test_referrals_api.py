"""`referrals/` (API.md): proposing and moving referrals through the API, the register lines in the detail, the
funnel, the error format and a list whose query count does not grow. No personal data of candidates (R-40)."""

import pytest

from matching.models import PERSONAL_FIELDS, Referral
from matching.services import referrals as referral_services
from tests.factories import OrganisationFactory, ReferralFactory, UserFactory, before_r23

from .placement_helpers import book, make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db

API = "/api/v1/referrals/"
CONTRACT_FIELDS = {"id", "vacancy", "candidate", "referred_by", "referred_at", "status", "pawa"}


@pytest.fixture
def vacancy(adviser):
    return make_vacancy(adviser)


@pytest.fixture
def candidate(other_adviser, vacancy):
    """A chain partner's candidate (R-18)."""
    return make_candidate(other_adviser, vacancy, target_group="pwet")


def assert_error(response, status: int, code: str, rule: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    assert body.get("rule") == rule
    return body


def test_propose_gives_the_contract_fields_without_personal_data(adviser_client, adviser, vacancy, candidate):
    response = adviser_client.post(API, {"vacancy": vacancy.pk, "candidate": candidate.pk, "pawa": True}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= CONTRACT_FIELDS
    assert (body["vacancy"], body["candidate"], body["referred_by"], body["status"], body["pawa"]) == (
        vacancy.pk,
        candidate.pk,
        adviser.pk,
        "proposed",
        True,
    )
    assert not set(body) & set(PERSONAL_FIELDS)
    assert candidate.last_name not in response.content.decode()


def test_refusals_have_the_error_format_and_change_nothing(
    other_client, adviser_client, adviser, vacancy, candidate, counts
):
    before = counts()
    assert_error(
        other_client.post(API, {"vacancy": vacancy.pk, "candidate": candidate.pk}, format="json"),
        403,
        "not_vacancy_owner",
        "R-17",
    )
    vacancy.visibility, vacancy.blocked_reason = "blocked", "Stop"
    vacancy.save()
    before = counts()
    assert_error(
        adviser_client.post(API, {"vacancy": vacancy.pk, "candidate": candidate.pk}, format="json"),
        403,
        "vacancy_blocked",
        "R-16",
    )
    body = assert_error(
        adviser_client.post(API, {"vacancy": 0, "candidate": candidate.pk}, format="json"), 400, "unknown_vacancy"
    )
    assert "vacancy" in body["fields"]
    assert counts() == before


def test_pawa_by_municipal_staff_is_refused_R21(other_client, other_adviser, counts):
    vacancy = make_vacancy(other_adviser)
    candidate = make_candidate(other_adviser, vacancy, target_group="pwet")
    before = counts()
    response = other_client.post(API, {"vacancy": vacancy.pk, "candidate": candidate.pk, "pawa": True}, format="json")
    assert_error(response, 403, "pawa_uwv_only", "R-21")
    assert counts() == before


def test_patch_status_and_the_detail_history_R21(adviser_client, vacancy, candidate):
    referral = propose(vacancy, candidate)
    url = f"{API}{referral.pk}/"

    body = assert_error(
        adviser_client.patch(url, {"status": "rejected"}, format="json"), 400, "rejection_reason_required", "R-43"
    )
    assert "rejection_reason" in body["fields"]
    response = adviser_client.patch(url, {"status": "invited", "reason": "Gesprek dinsdag"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "invited"

    detail = adviser_client.get(url).json()
    assert [(line["from_status"], line["to_status"], line["reason"]) for line in detail["history"]] == [
        ("", "proposed", ""),
        ("proposed", "invited", "Gesprek dinsdag"),
    ]
    assert assert_error(adviser_client.patch(url, {"status": "bogus"}, format="json"), 400, "invalid")


def test_hire_through_the_api_moves_a_single_position_vacancy_to_the_partner_R24(
    adviser_client, other_adviser, vacancy, candidate
):
    referral = propose(vacancy, candidate)
    response = adviser_client.patch(f"{API}{referral.pk}/", {"status": "hired"}, format="json")
    assert response.status_code == 200, response.content
    vacancy.refresh_from_db()
    assert vacancy.owner == other_adviser
    # R-23..R-25: who books is decided at the hire and part of the referral.
    assert response.json()["booker"] == other_adviser.pk
    assert adviser_client.get(f"{API}{referral.pk}/").json()["booker"] == other_adviser.pk


def test_a_hire_nobody_could_book_is_403_and_changes_nothing_R23(adviser_client, adviser, other_adviser, counts):
    vacancy = make_vacancy(adviser)
    with before_r23():
        wajong = propose(vacancy, make_candidate(other_adviser, vacancy, target_group="wajong"))
    before = counts()
    assert_error(
        adviser_client.patch(f"{API}{wajong.pk}/", {"status": "hired"}, format="json"),
        403,
        "no_booker_for_target_group",
        "R-23",
    )
    assert counts() == before
    wajong.refresh_from_db()
    assert (wajong.status, wajong.booker_id) == ("proposed", None)


def test_list_filters(adviser_client, vacancy, candidate):
    mine = propose(vacancy, candidate)
    ReferralFactory()
    rows = adviser_client.get(API, {"vacancy": vacancy.pk}).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert adviser_client.get(API, {"status": "proposed", "pawa": "false"}).status_code == 200


def test_funnel_counts_per_stage(adviser_client, adviser, vacancy):
    for n in range(4):
        referral = propose(vacancy, make_candidate(adviser, vacancy))
        if n == 0:
            adviser_client.patch(f"{API}{referral.pk}/", {"status": "hired"}, format="json")
    response = adviser_client.get(f"{API}funnel/")
    assert response.status_code == 200, response.content
    body = response.json()
    # each stage has its count and median days (tests/matching/test_funnel.py for the rest).
    assert (body["proposed"]["count"], body["hired"]["count"], body["proposals_per_hire"]) == (4, 1, "4.0")
    assert_error(adviser_client.get(f"{API}funnel/", {"date_from": "gisteren"}), 400, "invalid")


def test_list_query_count_does_not_grow_with_the_data(django_assert_num_queries, adviser_client):
    """1 query: the page; vacancy, candidate, proposer and organisation are shown by id."""
    ReferralFactory.create_batch(3)
    with django_assert_num_queries(1):
        small = adviser_client.get(API)
    ReferralFactory.create_batch(27)
    with django_assert_num_queries(1):
        large = adviser_client.get(API)
    assert (len(small.json()["results"]), len(large.json()["results"])) == (3, 30)
    assert Referral.objects.count() == 30


def test_detail_query_count_is_fixed(django_assert_num_queries, adviser_client, vacancy, candidate):
    """3 queries: the object check, the referral and its register lines."""
    referral = propose(vacancy, candidate)
    with django_assert_num_queries(3):
        adviser_client.get(f"{API}{referral.pk}/")


def test_notes_and_reasons_are_for_the_organisations_on_the_referral_R40(client_for, adviser, vacancy, candidate):
    """R-40: a referral's note and the reasons of its register lines are about the candidate. The owner's and the
    candidate's organisation read them; another partner gets the rows without the text (fields absent)."""
    referral = propose(vacancy, candidate, note="Rugklachten, geen tilwerk")
    referral_services.referral_set_status(referral=referral, by=adviser, status="invited", reason="Nerveus")
    stranger = UserFactory(organisation=OrganisationFactory(kind="municipality"))
    url = f"{API}{referral.pk}/"

    for reader in (adviser, candidate.adviser):
        detail = client_for(reader).get(url).json()
        assert detail["note"] == "Rugklachten, geen tilwerk"
        assert [line["reason"] for line in detail["history"]] == ["", "Nerveus"]
        [row] = client_for(reader).get(API, {"vacancy": vacancy.pk}).json()["results"]
        assert row["note"] == "Rugklachten, geen tilwerk"

    response = client_for(stranger).get(url)
    assert response.status_code == 200
    detail = response.json()
    assert "note" not in detail
    assert [(line["from_status"], line["to_status"]) for line in detail["history"]] == [
        ("", "proposed"),
        ("proposed", "invited"),
    ]
    assert all("reason" not in line for line in detail["history"])
    [row] = client_for(stranger).get(API, {"vacancy": vacancy.pk}).json()["results"]
    assert row["id"] == referral.pk and "note" not in row
    assert "Rugklachten" not in response.content.decode() and "Nerveus" not in response.content.decode()


def test_the_booking_organisation_reads_the_note_after_a_handover_R40(client_for, adviser, other_adviser, vacancy):
    """R-24: after the partner's hire the partner owns the vacancy and books; the proposer keeps reading."""
    candidate = make_candidate(other_adviser, vacancy, target_group="pwet")
    referral = propose(vacancy, candidate, note="Kan direct beginnen")
    referral_services.referral_set_status(referral=referral, by=adviser, status="hired")
    book(other_adviser, referral)
    for reader in (adviser, other_adviser):
        assert client_for(reader).get(f"{API}{referral.pk}/").json()["note"] == "Kan direct beginnen"


def test_detail_query_count_is_fixed_for_any_reader(django_assert_num_queries, client_for, vacancy, candidate):
    referral = propose(vacancy, candidate, note="x")
    stranger_client = client_for(UserFactory(organisation=OrganisationFactory(kind="municipality")))
    with django_assert_num_queries(3):
        stranger_client.get(f"{API}{referral.pk}/")
