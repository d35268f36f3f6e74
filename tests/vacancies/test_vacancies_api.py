"""vacancies/ and skills/ over the API (API.md): fields, writes through the services with the error format
{code, detail, rule, fields}, actions, filters, ordering, read-only organisation tokens and query budgets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from employers.models import Employer
from tests.factories import CandidateFactory, EmployerFactory, ReferralFactory, SkillFactory, VacancyFactory
from vacancies.choices import SkillKind, VacancyStatus
from vacancies.models import RecruitmentPlan, Vacancy

pytestmark = pytest.mark.django_db

API = "/api/v1/vacancies/"
CONTRACT_FIELDS = {
    "id", "employer", "owner", "organisation", "title", "requested_positions", "positions", "hours_per_week",
    "received_at", "registered_at", "registered_late", "visibility", "blocked_reason", "target_group_flags", "skills",
    "status", "parent",
}  # fmt: skip
EXTRA_FIELDS = {
    "description", "occupation", "duplicated_from", "close_reason", "closed_at", "expires_on", "min_age", "max_age",
    "recruitment_request", "source", "registration_due_at", "created_at", "updated_at", "employer_name", "postcode",
    "municipality", "partner_offer_at", "partner_offer_note", "received_at_registered", "receipt_corrected",
    "late_as_registered",
}  # fmt: skip


def assert_error(response, status: int, code: str, **expected) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    for key, value in expected.items():
        assert body[key] == value, key
    return body


@pytest.fixture
def payload(employer, now, skills):
    def make(**overrides):
        body = {
            "employer": employer.pk,
            "title": "Orderpicker",
            "hours_per_week": 32,
            "received_at": (now - timedelta(hours=3)).isoformat(),
            "requested_positions": 3,
            "skills": [skills[0].pk, skills[1].pk],
            "description": "Dagdienst in het distributiecentrum",
        }
        body.update(overrides)
        return body

    return make


# --- Reading ---------------------------------------------------------------------------------------------------


def test_list_shows_every_vacancy_of_the_region_with_the_contract_fields_R02(other_client, vacancy, skills):
    Vacancy.objects.filter(pk=vacancy.pk).update(skills=[skills[0].pk], target_group_flags=["wajong"])
    rows = other_client.get(API).json()["results"]
    assert [row["id"] for row in rows] == [vacancy.pk]
    row = rows[0]
    assert set(row) == CONTRACT_FIELDS | EXTRA_FIELDS
    assert (row["employer"], row["employer_name"], row["owner"], row["organisation"]) == (
        vacancy.employer_id, "Bakkerij Jansen", vacancy.owner_id, vacancy.organisation_id,
    )  # fmt: skip
    assert (row["title"], row["positions"], row["requested_positions"], row["status"], row["visibility"]) == (
        "Heftruckchauffeur", 1, 1, "open", "open",
    )  # fmt: skip
    assert (row["skills"], row["target_group_flags"], row["parent"], row["registered_late"]) == (
        [skills[0].pk], ["wajong"], None, False,
    )  # fmt: skip
    assert row["expires_on"] == vacancy.expires_on.isoformat()
    assert row["received_at"] == timezone.localtime(vacancy.received_at).isoformat()


def test_detail_and_unknown_ids(adviser_client, vacancy):
    assert adviser_client.get(f"{API}{vacancy.pk}/").json()["id"] == vacancy.pk
    assert_error(adviser_client.get(f"{API}987654321/"), 404, "not_found")
    assert_error(adviser_client.get(f"{API}abc/"), 404, "not_found")
    assert_error(adviser_client.patch(f"{API}987654321/", {"title": "x"}, format="json"), 404, "not_found")
    assert_error(adviser_client.post(f"{API}abc/close/", {"reason": "withdrawn"}, format="json"), 404, "not_found")


# --- Registering -----------------------------------------------------------------------------------------------


def test_post_registers_the_vacancy_R12_R20(adviser_client, adviser, employer, payload, skills, set_last_contact, now):
    set_last_contact(employer, now - timedelta(days=500))
    response = adviser_client.post(API, payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner"], body["organisation"], body["employer"]) == (adviser.pk, adviser.organisation_id, employer.pk)
    assert (body["positions"], body["requested_positions"], body["registered_late"]) == (1, 3, False)
    assert body["skills"] == [skills[0].pk, skills[1].pk]
    vacancy = Vacancy.objects.get(pk=body["id"])
    employer.refresh_from_db()
    assert employer.last_contact_at == vacancy.received_at  # the reported vacancy is contact


def test_post_late_registration_is_flagged_R12(adviser_client, payload, now):
    body = adviser_client.post(API, payload(received_at=(now - timedelta(hours=26)).isoformat()), format="json").json()
    assert body["registered_late"] is True


@pytest.mark.parametrize(
    ("overrides", "status", "code", "rule"),
    [
        ({"positions": 2}, 403, "positions_above_one", "R-20"),
        ({"min_age": 18}, 403, "age_requirement_not_allowed", "R-15"),
        ({"visibility": "blocked"}, 400, "blocked_reason_required", "R-16"),
        ({"received_at": "2999-01-01T00:00:00+01:00"}, 400, "invalid", "R-12"),
    ],
)
def test_post_refusals_name_code_and_rule(adviser_client, payload, counts, overrides, status, code, rule):
    before = counts()
    assert_error(adviser_client.post(API, payload(**overrides), format="json"), status, code, rule=rule)
    assert counts() == before


@pytest.mark.parametrize("key", ["sex", "gender", "origin", "nationality", "ethnicity"])
def test_post_with_a_requirement_on_sex_or_origin_is_refused_R15(adviser_client, payload, counts, key):
    before = counts()
    body = assert_error(
        adviser_client.post(API, payload(**{key: "female"}), format="json"),
        403,
        "discriminating_requirement",
        rule="R-15",
    )
    assert list(body["fields"]) == [key]
    assert counts() == before


@pytest.mark.parametrize(("field", "code"), [("employer", "unknown_employer"), ("owner", "unknown_user")])
def test_post_with_unknown_employer_or_owner_is_400(adviser_client, payload, counts, field, code):
    before = counts()
    body = assert_error(adviser_client.post(API, payload(**{field: 987654321}), format="json"), 400, code)
    assert list(body["fields"]) == [field]
    assert counts() == before


def test_post_without_title_names_the_field(adviser_client, payload, counts):
    body = payload()
    del body["title"]
    before = counts()
    assert "title" in assert_error(adviser_client.post(API, body, format="json"), 400, "invalid")["fields"]
    assert counts() == before


def test_organisation_token_reads_but_never_writes_R01(token_client, uwv, vacancy, payload, counts):
    client, _token = token_client(organisation=uwv)
    assert [row["id"] for row in client.get(API).json()["results"]] == [vacancy.pk]
    before = counts()
    assert_error(client.post(API, payload(), format="json"), 403, "permission_denied")
    assert_error(client.patch(f"{API}{vacancy.pk}/", {"title": "x"}, format="json"), 403, "permission_denied")
    assert_error(client.post(f"{API}{vacancy.pk}/close/", {"reason": "withdrawn"}, format="json"), 403,
                 "permission_denied")  # fmt: skip
    assert counts() == before


# --- Changing --------------------------------------------------------------------------------------------------


def test_patch_by_the_owner_R17(adviser_client, vacancy):
    body = adviser_client.patch(f"{API}{vacancy.pk}/", {"title": "Reachtruckchauffeur", "hours_per_week": 20},
                                format="json").json()  # fmt: skip
    assert (body["title"], body["hours_per_week"]) == ("Reachtruckchauffeur", 20)


def test_patch_by_another_adviser_is_refused_R17(other_client, vacancy, counts):
    before = counts()
    assert_error(other_client.patch(f"{API}{vacancy.pk}/", {"title": "x"}, format="json"), 403, "not_vacancy_owner",
                 rule="R-17")  # fmt: skip
    assert counts() == before


def test_patch_positions_follows_R20(adviser_client, vacancy, book, counts):
    before = counts()
    assert_error(
        adviser_client.patch(f"{API}{vacancy.pk}/", {"positions": 2}, format="json"),
        403, "positions_above_booked", rule="R-20",
    )  # fmt: skip
    assert counts() == before
    book(vacancy)
    assert adviser_client.patch(f"{API}{vacancy.pk}/", {"positions": 2}, format="json").json()["positions"] == 2


@pytest.mark.parametrize(("field", "status", "code"), [
    ("owner", 400, "not_editable"),
    ("organisation", 400, "not_editable"),
    ("status", 400, "not_editable"),
    ("origin", 403, "discriminating_requirement"),
])  # fmt: skip
def test_patch_refuses_a_changed_owner_or_status_and_discriminating_keys_R13_R15(
    adviser_client, vacancy, other_adviser, counts, field, status, code
):
    value = {"owner": other_adviser.pk, "organisation": other_adviser.organisation_id, "status": "closed"}.get(
        field, "NL"
    )
    before = counts()
    body = assert_error(adviser_client.patch(f"{API}{vacancy.pk}/", {field: value}, format="json"), status, code)
    assert list(body["fields"]) == [field]
    assert counts() == before


def test_patch_with_the_unchanged_read_only_fields_of_a_get_is_accepted(adviser_client, vacancy):
    """A client may send back what it read: unchanged read-only fields are ignored (received_at and registered_at
    included, as the GET wrote them)."""
    body = adviser_client.get(f"{API}{vacancy.pk}/").json()
    body.update(title="Reachtruckchauffeur", registered_late=True)
    response = adviser_client.patch(f"{API}{vacancy.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Reachtruckchauffeur"
    vacancy.refresh_from_db()
    assert vacancy.registered_late is False


# --- Actions ---------------------------------------------------------------------------------------------------


def test_block_and_unblock_R16(adviser_client, vacancy, counts):
    before = counts()
    assert_error(adviser_client.post(f"{API}{vacancy.pk}/block/", {}, format="json"), 400, "blocked_reason_required",
                 rule="R-16")  # fmt: skip
    assert counts() == before
    body = adviser_client.post(f"{API}{vacancy.pk}/block/", {"reason": "Loonkosten onduidelijk"}, format="json").json()
    assert (body["visibility"], body["blocked_reason"]) == ("blocked", "Loonkosten onduidelijk")
    body = adviser_client.post(f"{API}{vacancy.pk}/unblock/", {}, format="json").json()
    assert (body["visibility"], body["blocked_reason"]) == ("open", "")


def test_close_refuses_outcome_placement_R22_and_closes_otherwise(adviser_client, vacancy, counts):
    before = counts()
    assert_error(adviser_client.post(f"{API}{vacancy.pk}/close/", {"reason": "placement"}, format="json"), 403,
                 "placement_outcome_needs_booking", rule="R-22")  # fmt: skip
    assert counts() == before
    body = adviser_client.post(f"{API}{vacancy.pk}/close/", {"reason": "withdrawn", "note": "Gaat niet door"},
                               format="json").json()  # fmt: skip
    assert (body["status"], body["close_reason"]) == ("closed", "withdrawn")
    assert body["closed_at"] is not None


def test_reactivate_and_extend_R20(adviser_client, vacancy, now):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.EXPIRED)
    assert adviser_client.post(f"{API}{vacancy.pk}/reactivate/", {}, format="json").json()["status"] == "open"
    new_date = (timezone.localdate(now) + timedelta(days=30)).isoformat()
    body = adviser_client.post(f"{API}{vacancy.pk}/extend/", {"expires_on": new_date}, format="json").json()
    assert body["expires_on"] == new_date


def test_hand_over_to_a_chain_partner_R13(adviser_client, vacancy, employer, other_adviser, colleague, counts):
    before = counts()
    assert_error(adviser_client.post(f"{API}{vacancy.pk}/hand-over/", {"to_user": colleague.pk}, format="json"), 403,
                 "not_a_chain_partner", rule="R-13")  # fmt: skip
    assert_error(adviser_client.post(f"{API}{vacancy.pk}/hand-over/", {"to_user": other_adviser.pk,
                                                                       "reason": "partner_hired"}, format="json"),
                 400, "invalid")  # fmt: skip
    assert counts() == before

    body = adviser_client.post(
        f"{API}{vacancy.pk}/hand-over/", {"to_user": other_adviser.pk, "note": "Hun doelgroep"}, format="json"
    ).json()
    assert (body["owner"], body["organisation"]) == (other_adviser.pk, other_adviser.organisation_id)
    assert Employer.objects.get(pk=employer.pk).account_holders.get().user == other_adviser


def test_duplicate_for_a_chain_partner_R25(other_client, other_adviser, employer, now, counts):
    original = VacancyFactory(
        employer=employer, requested_positions=4, status=VacancyStatus.CLOSED, close_reason="placement", closed_at=now
    )
    before = counts()
    assert_error(other_client.post(f"{API}{original.pk}/duplicate/", {"owner": other_adviser.pk}, format="json"),
                 403, "nothing_to_duplicate", rule="R-25")  # fmt: skip
    assert counts() == before

    for _ in range(3):
        ReferralFactory(vacancy=original, candidate=CandidateFactory(adviser=other_adviser), status="hired")
    assert_error(other_client.post(f"{API}{original.pk}/duplicate/", {"owner": other_adviser.pk,
                                                                      "requested_positions": 4}, format="json"),
                 400, "invalid")  # fmt: skip
    response = other_client.post(f"{API}{original.pk}/duplicate/", {"owner": other_adviser.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    # Without requested_positions: the partner's hired, unbooked candidates on the original.
    assert (body["duplicated_from"], body["owner"], body["positions"], body["requested_positions"]) == (
        original.pk, other_adviser.pk, 1, 3,
    )  # fmt: skip


def test_co_production_R19(adviser_client, employer, other_adviser, third_adviser, counts):
    small = VacancyFactory(employer=employer, requested_positions=4)
    body = {
        "activities": ["job_fair"],
        "partners": [{"organisation": other_adviser.organisation_id, "owner": other_adviser.pk}],
    }
    before = counts()
    assert_error(adviser_client.post(f"{API}{small.pk}/co-production/", body, format="json"), 403,
                 "not_a_co_production", rule="R-19")  # fmt: skip
    assert counts() == before

    large = VacancyFactory(employer=employer, requested_positions=20)
    body["partners"].append({"organisation": third_adviser.organisation_id, "owner": third_adviser.pk})
    response = adviser_client.post(f"{API}{large.pk}/co-production/", body, format="json")
    assert response.status_code == 201, response.content
    plan = response.json()
    children = list(large.children.order_by("id"))
    assert (plan["vacancy"], plan["activities"], sorted(plan["children"])) == (
        large.pk,
        ["job_fair"],
        [c.pk for c in children],
    )
    assert sorted(plan["partners"]) == sorted([other_adviser.organisation_id, third_adviser.organisation_id])
    assert RecruitmentPlan.objects.get().pk == plan["id"]
    rows = adviser_client.get(f"{API}?parent={large.pk}").json()["results"]
    assert {(row["owner"], row["employer"], row["requested_positions"]) for row in rows} == {
        (other_adviser.pk, employer.pk, 10), (third_adviser.pk, employer.pk, 10),
    }  # fmt: skip


def test_late_registrations_per_organisation_R12(manager_client, employer, now, uwv):
    VacancyFactory(employer=employer, received_at=now - timedelta(hours=50), registered_at=now - timedelta(hours=1))
    rows = manager_client.get(f"{API}late-registrations/?year={timezone.localdate().year}").json()
    assert rows == [
        {"organisation": uwv.pk, "organisation_name": "UWV", "registered": 1, "late": 1, "late_share": 1.0,
         "receipt_corrected": 0, "late_as_registered": 1, "late_share_as_registered": 1.0, "corrected_to_on_time": 0},
    ]  # fmt: skip
    assert_error(manager_client.get(f"{API}late-registrations/?year=abc"), 400, "invalid")


# --- Filters and ordering --------------------------------------------------------------------------------------


@pytest.fixture
def two_vacancies(adviser, other_adviser, employer, skills, now):
    """`first` (mine, open, late, wajong, skill 0, by phone) and `second` (the partner's, closed, e-mail)."""
    first = VacancyFactory(
        employer=employer,
        title="Heftruckchauffeur",
        target_group_flags=["wajong"],
        skills=[skills[0].pk],
        received_at=now - timedelta(days=3),
        registered_at=now - timedelta(days=1),
        expires_on=timezone.localdate(now) + timedelta(days=5),
    )
    second = VacancyFactory(
        employer=EmployerFactory(name="Zorggroep Kennemerland", main_account_holder=other_adviser),
        title="Helpende zorg",
        visibility="internal",
        status=VacancyStatus.CLOSED,
        closed_at=now,
        source="email",
        parent=first,
        duplicated_from=first,
    )
    return first, second


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=heftruck", "first"),
        ("q=zorggroep", "second"),
        ("q=kennemer", "second"),
        ("status=closed", "second"),
        ("visibility=internal", "second"),
        ("owner={adviser}", "first"),
        ("organisation={other_org}", "second"),
        ("employer={employer}", "first"),
        ("target_group=wajong", "first"),
        ("registered_late=true", "first"),
        ("registered_late=false", "second"),
        ("skill={skill}", "first"),
        ("source=email", "second"),
        ("parent={first}", "second"),
        ("duplicated_from={first}", "second"),
        ("registered_before={yesterday_noon}", "first"),
        ("registered_after={yesterday_noon}", "second"),
        ("expires_before={in_ten_days}", "first"),
    ],
)
def test_each_filter(adviser_client, adviser, other_adviser, employer, skills, two_vacancies, now, query, expected):
    first, second = two_vacancies
    query = query.format(
        adviser=adviser.pk,
        other_org=other_adviser.organisation_id,
        employer=employer.pk,
        skill=skills[0].pk,
        first=first.pk,
        yesterday_noon=(now - timedelta(hours=12)).isoformat().replace("+", "%2B"),
        in_ten_days=(timezone.localdate(now) + timedelta(days=10)).isoformat(),
    )
    ids = [row["id"] for row in adviser_client.get(f"{API}?{query}").json()["results"]]
    assert ids == [{"first": first, "second": second}[expected].pk]


@pytest.mark.parametrize(
    "query",
    [
        "skill=99999999999", "skill=1.5", "skill=²", "owner=99999999999", "employer=-3", "parent=abc",
        "duplicated_from=99999999999", "registered_late=maybe", "registered_late=2",
    ],
)  # fmt: skip
def test_a_wrong_filter_value_is_a_400_in_the_error_format(adviser_client, vacancy, query):
    response = adviser_client.get(f"{API}?{query}")
    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == [query.split("=")[0]]


@pytest.mark.parametrize("value", ["true", "True", "1", "false", "0", ""])
def test_registered_late_accepts_true_false_and_empty(adviser_client, vacancy, value):
    assert adviser_client.get(f"{API}?registered_late={value}").status_code == 200


@pytest.mark.parametrize("year", ["²", "٢٠٢٥", "99999999999999999999", "1999", "abc", "-2025"])
def test_late_registrations_refuse_a_year_that_is_not_one_R12(adviser_client, year):
    assert_error(adviser_client.get(f"{API}late-registrations/", {"year": year}), 400, "invalid")


def test_late_registrations_default_to_this_year_R12(adviser_client, vacancy):
    assert adviser_client.get(f"{API}late-registrations/").status_code == 200
    assert adviser_client.get(f"{API}late-registrations/", {"year": timezone.localdate().year}).status_code == 200


def test_updated_since_R02(adviser_client, two_vacancies, now):
    first, second = two_vacancies
    Vacancy.objects.filter(pk=first.pk).update(updated_at=now - timedelta(days=3))
    since = (now - timedelta(days=1)).isoformat().replace("+", "%2B")
    assert [row["id"] for row in adviser_client.get(f"{API}?updated_since={since}").json()["results"]] == [second.pk]


def test_ordering_only_on_indexed_fields(adviser_client, two_vacancies):
    first, second = two_vacancies
    by_registration = [row["id"] for row in adviser_client.get(f"{API}?ordering=registered_at").json()["results"]]
    assert by_registration == [first.pk, second.pk]
    newest_id_first = [row["id"] for row in adviser_client.get(f"{API}?ordering=title").json()["results"]]
    assert newest_id_first == [second.pk, first.pk]  # not an indexed field: the default order stays


# --- Query budgets (STYLE habit 10) ----------------------------------------------------------------------------


def test_list_query_count_does_not_grow_with_the_data(django_assert_num_queries, adviser_client, skills):
    def add(n):
        for _ in range(n):
            # Each with its own employer, owner and organisation, so an N+1 would show.
            VacancyFactory(skills=[skills[0].pk], parent=VacancyFactory(), target_group_flags=["youth"])

    add(3)
    # 1 = the page, with the employer's name joined in the same SELECT.
    with django_assert_num_queries(1):
        small = adviser_client.get(API)
    add(27)
    with django_assert_num_queries(1):
        large = adviser_client.get(f"{API}?q=medewerker&status=open")
    assert len(large.json()["results"]) >= 30 > len(small.json()["results"]) >= 3


# --- skills/ ---------------------------------------------------------------------------------------------------


def test_skills_resolve_ids_to_the_vocabulary_R42(adviser_client, django_assert_num_queries):
    skill = SkillFactory(
        code="skl-test-lassen",
        name="Testvaardigheid lassen",
        name_en="Welding test",
        esco_uri="http://data.europa.eu/esco/skill/x",
    )
    SkillFactory(kind=SkillKind.OCCUPATION, code="occ-test-lasser", name="Testberoep lasser")

    with django_assert_num_queries(1):
        rows = adviser_client.get("/api/v1/skills/?q=testvaardigheid lassen").json()["results"]
    assert rows == [
        {"id": skill.pk, "code": "skl-test-lassen", "kind": "skill", "name": "Testvaardigheid lassen",
         "name_en": "Welding test", "group": "", "esco_uri": "http://data.europa.eu/esco/skill/x",
         "competentnl_code": "", "is_active": True},
    ]  # fmt: skip
    assert [r["code"] for r in adviser_client.get("/api/v1/skills/?q=welding test").json()["results"]] == [
        "skl-test-lassen"
    ]
    occupations = adviser_client.get("/api/v1/skills/?kind=occupation&q=testberoep").json()["results"]
    assert [r["code"] for r in occupations] == ["occ-test-lasser"]
    assert adviser_client.get(f"/api/v1/skills/{skill.pk}/").json()["code"] == "skl-test-lassen"
    # The vocabulary has no change timestamp: updated_since is accepted and returns the whole list.
    assert adviser_client.get("/api/v1/skills/?updated_since=2999-01-01T00:00:00Z").json()["results"]
    assert adviser_client.post("/api/v1/skills/", {}, format="json").status_code == 405


def test_skills_group_filter(adviser_client):
    SkillFactory(code="skl-test-groep", name="Testvaardigheid groep", group="testgroep")
    rows = adviser_client.get("/api/v1/skills/?group=testgroep").json()["results"]
    assert [r["code"] for r in rows] == ["skl-test-groep"]
