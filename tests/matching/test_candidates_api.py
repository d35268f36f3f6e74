"""candidates/: list, detail, POST, PATCH, reviewed/ (API.md; R-40, R-41, R-58).

R-40: a caller sees the own organisation's caseload (all personal fields, the BSN only masked) and the candidates
referred to a vacancy they own (contact details only); every other candidate is 404. The BSN is write-only: it is
in no response and no error message.
"""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from matching.choices import CandidateStatus
from matching.models import Candidate
from tests.factories import CandidateFactory, ReferralFactory, SkillFactory, VacancyFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/candidates/"
VALID_BSN = "123456782"
CONTRACT_FIELDS = {"id", "organisation", "target_group", "work_ready_since", "hours_per_week", "postcode", "skills"}
PERSONAL = {"first_name", "last_name", "email", "phone", "birth_date", "health_notes"}
CONTACT = {"first_name", "last_name", "email", "phone"}


@pytest.fixture
def skill():
    return SkillFactory()


@pytest.fixture
def payload(skill):
    def make(**overrides):
        body = {
            "first_name": "Sanne",
            "last_name": "de Vries",
            "target_group": "ww",
            "hours_per_week": 24,
            "postcode": "2011 AB",
            "skills": [skill.pk],
        }
        body.update(overrides)
        return body

    return make


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body


# --- Reading ----------------------------------------------------------------------------------------------------


def test_list_shows_own_caseload_with_personal_fields_and_masked_bsn_R40(adviser_client, adviser, colleague):
    candidate = CandidateFactory(
        adviser=colleague, bsn=VALID_BSN, bsn_hash="h" * 64, health_notes="Rugklachten", skills=[3, 1]
    )
    rows = adviser_client.get(API).json()["results"]
    assert [row["id"] for row in rows] == [candidate.pk]
    row = rows[0]
    assert set(row) >= CONTRACT_FIELDS | PERSONAL | {"has_bsn", "bsn_masked", "completeness", "is_stale"}
    assert row["organisation"] == adviser.organisation_id
    assert row["adviser"] == colleague.pk
    assert row["personal_access"] == "full"
    assert row["health_notes"] == "Rugklachten"
    assert (row["has_bsn"], row["bsn_masked"]) == (True, "******782")
    assert "bsn" not in row
    assert VALID_BSN not in str(row)


def test_other_organisations_candidates_are_not_listed_and_404_R40(adviser_client, other_adviser):
    foreign = CandidateFactory(adviser=other_adviser)
    assert adviser_client.get(API).json()["results"] == []
    assert_error(adviser_client.get(f"{API}{foreign.pk}/"), 404, "not_found")
    assert_error(adviser_client.get(f"{API}999999/"), 404, "not_found")
    assert_error(adviser_client.get(f"{API}abc/"), 404, "not_found")


def test_vacancy_owner_sees_contact_details_of_a_referred_candidate_only_R40(adviser_client, adviser, other_adviser):
    """The owner proposes the candidate to the employer (R-17, R-21) and needs name, e-mail and phone; the birth
    date, health notes and anything of the BSN stay with the candidate's own organisation (R-40, R-58)."""
    candidate = CandidateFactory(adviser=other_adviser, bsn=VALID_BSN, bsn_hash="h" * 64, health_notes="Geheim")
    candidate.birth_date = timezone.localdate() - timedelta(days=9000)
    candidate.save()
    ReferralFactory(candidate=candidate, vacancy=VacancyFactory(owner=adviser))
    body = adviser_client.get(f"{API}{candidate.pk}/").json()
    assert body["personal_access"] == "contact"
    assert set(body) >= CONTACT | CONTRACT_FIELDS
    assert not set(body) & {"birth_date", "health_notes", "has_bsn", "bsn_masked", "bsn"}
    assert "Geheim" not in str(body) and VALID_BSN not in str(body)
    assert [row["id"] for row in adviser_client.get(API).json()["results"]] == [candidate.pk]


def test_organisation_token_reads_its_own_caseload_R40(token_client, adviser, other_adviser):
    own = CandidateFactory(adviser=adviser)
    CandidateFactory(adviser=other_adviser)
    client, _token = token_client(organisation=adviser.organisation, read_only=True)
    assert [row["id"] for row in client.get(API).json()["results"]] == [own.pk]
    assert client.post(API, {}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("target_group=wajong", {"wajong"}),
        ("status=inactive", {"inactive"}),
        ("skill=SKILL", {"skilled"}),
        ("stale=true", {"stale"}),
        ("stale=false", {"skilled", "wajong", "inactive", "not_ready"}),
        ("work_ready=false", {"not_ready"}),
        ("adviser=COLLEAGUE", {"wajong"}),
    ],
)
def test_filters(adviser_client, adviser, colleague, skill, query, expected, now):
    named = {
        "skilled": CandidateFactory(adviser=adviser, skills=[skill.pk, 99]),
        "wajong": CandidateFactory(adviser=colleague, target_group="wajong"),
        "inactive": CandidateFactory(adviser=adviser, status=CandidateStatus.INACTIVE),
        "stale": CandidateFactory(adviser=adviser, profile_reviewed_at=now - timedelta(days=365)),
        "not_ready": CandidateFactory(adviser=adviser, work_ready_since=None),
    }
    query = query.replace("SKILL", str(skill.pk)).replace("COLLEAGUE", str(colleague.pk))
    rows = adviser_client.get(f"{API}?{query}").json()["results"]
    by_id = {c.pk: name for name, c in named.items()}
    assert {by_id[row["id"]] for row in rows} == expected


@pytest.mark.parametrize("value", ["99999999999", "2147483648", "0", "-1", "1.5", "abc", "²"])
def test_an_unusable_skill_filter_is_a_400_not_a_server_error(adviser_client, adviser, value):
    CandidateFactory(adviser=adviser, skills=[1])
    response = adviser_client.get(API, {"skill": value})
    assert response.status_code == 400, response.content
    assert "skill" in str(response.json())


@pytest.mark.parametrize("name", ["organisation", "adviser"])
def test_an_out_of_range_id_filter_is_no_server_error(adviser_client, adviser, name):
    CandidateFactory(adviser=adviser)
    response = adviser_client.get(API, {name: "99999999999"})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert response.json()["results"] == []


def test_updated_since_and_ordering(adviser_client, adviser, now):
    old = CandidateFactory(adviser=adviser)
    Candidate.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=10))
    new = CandidateFactory(adviser=adviser)
    since = (now - timedelta(days=1)).isoformat()
    assert [r["id"] for r in adviser_client.get(API, {"updated_since": since}).json()["results"]] == [new.pk]
    assert [r["id"] for r in adviser_client.get(API, {"ordering": "updated_at"}).json()["results"]] == [old.pk, new.pk]


def test_list_query_count_does_not_grow_with_the_data(
    adviser_client, adviser, other_adviser, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            CandidateFactory(adviser=adviser, skills=[1, 2])
            ReferralFactory(candidate=CandidateFactory(adviser=other_adviser), vacancy=VacancyFactory(owner=adviser))

    add(2)
    # 1 = the page: own caseload OR referred to my vacancies (one hashed subquery); no relation is read.
    with django_assert_num_queries(1):
        small = adviser_client.get(API)
    add(20)
    with django_assert_num_queries(1):
        large = adviser_client.get(API)
    assert len(small.json()["results"]) == 4
    assert len(large.json()["results"]) == 44


# --- Writing ----------------------------------------------------------------------------------------------------


def test_post_registers_in_the_own_caseload_and_never_returns_the_bsn_R40(adviser_client, adviser, payload):
    response = adviser_client.post(API, payload(bsn="1234.56.782", email="s@example.org"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["organisation"], body["adviser"], body["status"]) == (adviser.organisation_id, adviser.pk, "available")
    assert (body["has_bsn"], body["bsn_masked"]) == (True, "******782")
    assert "bsn" not in body and VALID_BSN not in response.content.decode()
    assert Candidate.objects.get(pk=body["id"]).bsn == VALID_BSN


def test_post_without_bsn_is_fine_R58(adviser_client, payload):
    body = adviser_client.post(API, payload(), format="json").json()
    assert (body["has_bsn"], body["bsn_masked"]) == (False, "")
    assert body["completeness"] < 100 and "work_ready_since" in body["completeness_missing"]


@pytest.mark.parametrize("bad", ["123456781", "12345678x", "0000000000"])
def test_post_with_invalid_bsn_is_400_without_the_value_anywhere_R40(adviser_client, payload, counts, caplog, bad):
    before = counts()
    with caplog.at_level(logging.DEBUG):
        response = adviser_client.post(API, payload(bsn=bad), format="json")
    body = assert_error(response, 400, "bsn_invalid")
    assert body["rule"] == "R-40"
    assert list(body["fields"]) == ["bsn"]
    assert bad not in response.content.decode()
    assert bad not in caplog.text
    assert counts() == before


def test_post_with_a_bsn_registered_in_the_own_caseload_is_409_R40(
    adviser_client, client_for, colleague, payload, counts
):
    assert adviser_client.post(API, payload(bsn=VALID_BSN), format="json").status_code == 201
    before = counts()
    response = client_for(colleague).post(API, payload(bsn="123 456 782", first_name="Ander"), format="json")
    body = assert_error(response, 409, "bsn_already_registered")
    assert body["rule"] == "R-40"
    assert VALID_BSN not in response.content.decode() and "id" not in body
    assert counts() == before


def test_a_bsn_in_another_organisations_caseload_is_not_revealed_R40(adviser_client, other_client, payload):
    """R-40: no BSN oracle: another partner registering the same BSN learns nothing about this caseload."""
    assert adviser_client.post(API, payload(bsn=VALID_BSN), format="json").status_code == 201
    # the municipal partner's caseload holds P-wet, not WW.
    response = other_client.post(
        API, payload(bsn="123 456 782", first_name="Ander", target_group="pwet"), format="json"
    )
    assert response.status_code == 201, response.content


def test_patch_by_own_organisation(adviser_client, colleague, skill):
    candidate = CandidateFactory(adviser=colleague)
    response = adviser_client.patch(
        f"{API}{candidate.pk}/", {"hours_per_week": 16, "skills": [skill.pk], "status": "inactive"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["hours_per_week"], body["skills"], body["status"]) == (16, [skill.pk], "inactive")


def test_patch_of_another_organisations_candidate_is_404_R40(adviser_client, adviser, other_adviser, counts):
    foreign = CandidateFactory(adviser=other_adviser)
    referred = CandidateFactory(adviser=other_adviser)
    ReferralFactory(candidate=referred, vacancy=VacancyFactory(owner=adviser))
    before = counts()
    for candidate in (foreign, referred):
        response = adviser_client.patch(f"{API}{candidate.pk}/", {"hours_per_week": 8}, format="json")
        assert_error(response, 404, "not_found")
        assert_error(adviser_client.post(f"{API}{candidate.pk}/reviewed/"), 404, "not_found")
    assert counts() == before


def test_patch_with_invalid_bsn_is_400_and_changes_nothing_R40(adviser_client, adviser, counts):
    candidate = CandidateFactory(adviser=adviser)
    before = counts()
    response = adviser_client.patch(f"{API}{candidate.pk}/", {"bsn": "123456781", "hours_per_week": 8}, format="json")
    assert_error(response, 400, "bsn_invalid")
    assert "123456781" not in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.hours_per_week, candidate.bsn) == (32, "")
    assert counts() == before


def test_reviewed_makes_a_stale_profile_fresh(adviser_client, adviser, now):
    candidate = CandidateFactory(adviser=adviser, profile_reviewed_at=now - timedelta(days=365))
    assert adviser_client.get(f"{API}{candidate.pk}/").json()["is_stale"] is True
    body = adviser_client.post(f"{API}{candidate.pk}/reviewed/").json()
    assert (body["is_stale"], body["days_since_review"]) == (False, 0)


# --- and the BSN as typed ------------------------------------------------------------------------------


def test_post_with_a_target_group_of_the_other_kind_is_400_R23(adviser_client, other_client, payload, counts):
    before = counts()
    for client, group in ((adviser_client, "pwet"), (adviser_client, "oekraine"), (other_client, "wajong")):
        body = assert_error(client.post(API, payload(target_group=group), format="json"), 400,
                            "target_group_not_of_organisation")  # fmt: skip
        assert body["rule"] == "R-23" and list(body["fields"]) == ["target_group"]
    assert counts() == before
    assert other_client.post(API, payload(target_group="other"), format="json").status_code == 201


def test_patch_to_a_target_group_of_the_other_kind_is_400_and_changes_nothing_R23(adviser_client, adviser, counts):
    candidate = CandidateFactory(adviser=adviser, target_group="wajong")
    before = counts()
    response = adviser_client.patch(f"{API}{candidate.pk}/", {"target_group": "nug", "hours_per_week": 8},
                                    format="json")  # fmt: skip
    body = assert_error(response, 400, "target_group_not_of_organisation")
    assert body["rule"] == "R-23"
    candidate.refresh_from_db()
    assert (candidate.target_group, candidate.hours_per_week) == ("wajong", 32)
    assert counts() == before


@pytest.mark.parametrize("typed", ["123.456.782", "123 456 782", "12 34 56 782"])
def test_post_and_patch_take_a_bsn_with_dots_or_spaces_R40(adviser_client, payload, typed):
    response = adviser_client.post(API, payload(bsn=typed), format="json")
    assert response.status_code == 201, response.content
    assert Candidate.objects.get(pk=response.json()["id"]).bsn == VALID_BSN
    other = adviser_client.post(API, payload(first_name="Ander"), format="json").json()
    patched = adviser_client.patch(f"{API}{other['id']}/", {"bsn": typed}, format="json")
    # The same BSN in the same caseload: the spaces or dots do not make it another number.
    assert_error(patched, 409, "bsn_already_registered")
    fine = adviser_client.patch(f"{API}{other['id']}/", {"bsn": "111.222.333"}, format="json")
    assert fine.status_code == 200 and fine.json()["bsn_masked"] == "******333"


def test_post_fills_the_place_for_distances_R42(adviser_client, payload):
    from wsp import geo

    body = adviser_client.post(API, payload(municipality="Velsen"), format="json").json()
    candidate = Candidate.objects.get(pk=body["id"])
    assert (candidate.latitude, candidate.longitude) == geo.coordinates("IJmuiden")
