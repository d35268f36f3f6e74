"""employers/: list, detail, POST with first_visit, PATCH, duplicates/, cease, merge, reassign (API.md; R-02, R-03,
R-06, R-07, R-08, R-08a, R-09)."""

from datetime import date, timedelta

import pytest

from employers.choices import ContactKind
from employers.models import ContactMoment, Employer
from tests.factories import AccountHolderFactory, EmployerFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/employers/"
CONTRACT_FIELDS = {
    "id", "name", "kvk_number", "postcode", "municipality", "sector", "staff_count", "employer_type", "status",
    "main_account_holder", "account_holders", "last_contact_at", "created_at", "updated_at",
}  # fmt: skip


@pytest.fixture
def payload(now):
    def make(**overrides):
        body = {
            "name": "Zuiderzee Logistiek",
            "postcode": "1234 AB",
            "kvk_number": "12345678",
            "municipality": "Velsen",
            "staff_count": 45,
            "employer_type": "market",
            "first_visit": {
                "occurred_at": (now - timedelta(days=1)).isoformat(),
                "reason": "Kennismaking",
                "company_activities": "Opslag en transport",
                "agreements": "Twee vacatures aanmelden",
            },
        }
        body.update(overrides)
        return body

    return make


# --- Reading ---------------------------------------------------------------------------------------------------


def test_list_shows_every_employer_of_the_region_with_contract_fields_R02(other_client, employer, colleague):
    AccountHolderFactory(employer=employer, user=colleague)
    rows = other_client.get(API).json()["results"]
    assert [row["id"] for row in rows] == [employer.pk]
    row = rows[0]
    assert set(row) >= CONTRACT_FIELDS
    assert (row["name"], row["postcode"], row["main_account_holder"], row["account_holders"], row["status"]) == (
        "Bakkerij Jansen",
        "2011 AB",
        employer.main_account_holder_id,
        [colleague.pk],
        "active",
    )
    assert row["last_contact_at"] is not None


def test_list_leaves_out_merged_tombstones_R07(adviser_client, employer):
    EmployerFactory(merged_into=employer)
    assert [row["id"] for row in adviser_client.get(API).json()["results"]] == [employer.pk]


def test_detail_has_contract_fields_and_takeover_date_R05(adviser_client, employer):
    body = adviser_client.get(f"{API}{employer.pk}/").json()
    assert set(body) >= CONTRACT_FIELDS
    assert body["takeover_possible_from"] > date.today().isoformat()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=jansen", True),
        ("q=2011ab", True),
        ("q=zuiderzee", False),
        ("status=ceased", False),
        ("postcode=2011 AB", True),
    ],
)
def test_list_filters_R08a(adviser_client, employer, query, expected):
    ids = [row["id"] for row in adviser_client.get(f"{API}?{query}").json()["results"]]
    assert (employer.pk in ids) is expected


# --- Entering an employer (R-06, R-07, R-08) -------------------------------------------------------------------


def test_post_with_first_visit_enters_the_employer_R03_R06(adviser_client, adviser, payload):
    response = adviser_client.post(API, payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= CONTRACT_FIELDS
    assert (body["name"], body["postcode"], body["kvk_number"], body["staff_count"]) == (
        "Zuiderzee Logistiek",
        "1234 AB",
        "12345678",
        45,
    )
    assert (body["main_account_holder"], body["account_holders"], body["status"]) == (adviser.pk, [], "active")
    assert body["last_contact_at"] is not None
    visit = ContactMoment.objects.get(employer_id=body["id"])
    assert (visit.kind, visit.adviser, visit.agreements) == (ContactKind.VISIT, adviser, "Twee vacatures aanmelden")


def test_post_names_another_adviser_as_main_account_holder_R03(adviser_client, colleague, payload):
    body = adviser_client.post(API, payload(main_account_holder=colleague.pk), format="json").json()
    assert body["main_account_holder"] == colleague.pk


def test_post_without_first_visit_is_refused_R06(adviser_client, payload, counts):
    body = payload()
    del body["first_visit"]
    before = counts()
    response = adviser_client.post(API, body, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["rule"]) == ("first_contact_required", "R-06")
    assert "first_visit" in response.json()["fields"]
    assert counts() == before


@pytest.mark.parametrize("missing", ["reason", "company_activities", "agreements"])
def test_post_with_visit_without_its_report_is_refused_R08(adviser_client, payload, counts, missing):
    body = payload()
    body["first_visit"][missing] = ""
    before = counts()
    response = adviser_client.post(API, body, format="json")
    assert response.status_code == 400
    assert response.json()["rule"] == "R-08"
    assert f"first_visit.{missing}" in response.json()["fields"]
    assert counts() == before


def test_same_normalised_name_at_same_postcode_is_409_even_when_confirmed_R07(other_client, payload, counts):
    existing = EmployerFactory(name="De Vries Bouw B.V.", postcode="1234 AB", kvk_number="")
    before = counts()

    response = other_client.post(
        API, payload(name="DeVries-bouw", postcode="1234ab", kvk_number="", confirm_not_duplicate=True), format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["rule"], body["overridable"]) == ("duplicate_employer", "R-07", False)
    assert body["duplicates"] == [
        {
            "id": existing.pk,
            "name": "De Vries Bouw B.V.",
            "postcode": "1234 AB",
            "city": existing.city,
            "status": "active",
            "main_account_holder": existing.main_account_holder_id,
            "score": 1.0,
        }
    ]
    assert counts() == before


def test_similar_name_is_409_until_confirmed_not_duplicate_R07(adviser_client, payload, counts):
    existing = EmployerFactory(name="Zuiderzee Logistieks", postcode="1234 AB", kvk_number="")
    before = counts()

    refused = adviser_client.post(API, payload(kvk_number=""), format="json")

    assert refused.status_code == 409
    assert (refused.json()["overridable"], refused.json()["duplicates"][0]["id"]) == (True, existing.pk)
    assert counts() == before
    confirmed = adviser_client.post(API, payload(kvk_number="", confirm_not_duplicate=True), format="json")
    assert confirmed.status_code == 201
    assert confirmed.json()["id"] != existing.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postcode", "123 AB"),
        ("postcode", "0123 AB"),
        ("postcode", "ABCD 12"),
        ("postcode", ""),
        ("kvk_number", "1234567"),
        ("kvk_number", "123456789"),
        ("kvk_number", "ABCDEFGH"),
        ("employer_type", "charity"),
        ("staff_count", -1),
    ],
)
def test_malformed_fields_are_400_R08a(adviser_client, payload, counts, field, value):
    before = counts()
    response = adviser_client.post(API, payload(**{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert counts() == before


@pytest.mark.parametrize("field", ["sector", "main_account_holder"])
def test_unknown_ids_in_input_are_400(adviser_client, payload, counts, field):
    before = counts()
    response = adviser_client.post(API, payload(**{field: 999_999_999}), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert counts() == before


def test_main_account_holder_who_is_not_an_adviser_is_400_R03(adviser_client, manager, payload, counts):
    before = counts()
    response = adviser_client.post(API, payload(main_account_holder=manager.pk), format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["rule"]) == ("invalid_main_account_holder", "R-03")
    assert counts() == before


# --- Editing ---------------------------------------------------------------------------------------------------


def test_patch_changes_the_given_fields_only_R02(adviser_client, employer):
    sector = SectorFactory()
    response = adviser_client.patch(
        f"{API}{employer.pk}/", {"staff_count": 120, "sector": sector.pk, "postcode": "2011ab"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["staff_count"], body["sector"], body["postcode"], body["name"]) == (
        120,
        sector.pk,
        "2011 AB",
        "Bakkerij Jansen",
    )


def test_patch_cannot_change_ownership_or_status_R03_R09(adviser_client, employer, adviser, other_adviser):
    response = adviser_client.patch(
        f"{API}{employer.pk}/", {"main_account_holder": other_adviser.pk, "status": "ceased"}, format="json"
    )
    assert response.status_code == 200
    employer.refresh_from_db()
    assert (employer.main_account_holder, employer.status) == (adviser, "active")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"postcode": "123 AB"}, 400),
        ({"kvk_number": "12"}, 400),
        ({"name": "Bakkerij Jansen B.V.", "postcode": "2011 AB"}, 409),
    ],  # the fixture employer's name and postcode
)
def test_refused_patch_leaves_the_record_unchanged_R07_R08a(adviser_client, adviser, employer, counts, body, status):
    other = EmployerFactory(name="Iets Anders", postcode="3000 AA", main_account_holder=adviser)
    before = counts()
    response = adviser_client.patch(f"{API}{other.pk}/", body, format="json")
    assert response.status_code == status
    other.refresh_from_db()
    assert (other.name, other.postcode, other.kvk_number) == ("Iets Anders", "3000 AA", "")
    assert counts() == before


def test_patch_unknown_employer_is_404(adviser_client):
    assert adviser_client.patch(f"{API}999999999/", {"city": "Haarlem"}, format="json").status_code == 404


# --- Duplicates (R-07) -----------------------------------------------------------------------------------------


def test_duplicates_lists_candidates_best_first_R07(adviser_client):
    exact = EmployerFactory(name="De Vries Bouw B.V.", postcode="1234 AB")
    similar = EmployerFactory(name="De Vries Bouwmaterialen", postcode="9999 ZZ")
    EmployerFactory(name="Zuiderzee Logistiek", postcode="8000 AA")

    response = adviser_client.get(f"{API}duplicates/", {"name": "DeVries-bouw", "postcode": "1234 AB"})

    assert response.status_code == 200
    rows = response.json()
    assert [row["id"] for row in rows] == [exact.pk, similar.pk]
    assert all({"id", "name", "postcode", "score"} <= set(row) for row in rows)
    assert rows[0]["score"] >= rows[1]["score"]


def test_duplicates_on_postcode_alone_R07(adviser_client, employer):
    rows = adviser_client.get(f"{API}duplicates/", {"postcode": "2011ab"}).json()
    assert [row["id"] for row in rows] == [employer.pk]


def test_duplicates_without_name_or_postcode_is_400_R07(adviser_client):
    response = adviser_client.get(f"{API}duplicates/")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


# --- Cease, merge, reassign ------------------------------------------------------------------------------------


def test_cease_marks_the_employer_ceased_R09(adviser_client, employer):
    response = adviser_client.post(f"{API}{employer.pk}/cease/", {"ceased_on": "2025-01-31"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["ceased_on"]) == ("ceased", "2025-01-31")
    again = adviser_client.post(f"{API}{employer.pk}/cease/", {"ceased_on": "2025-02-01"}, format="json")
    assert again.status_code == 409
    assert Employer.objects.get(pk=employer.pk).ceased_on == date(2025, 1, 31)


def test_manager_merges_a_duplicate_through_the_api_R07(manager_client, employer, other_adviser):
    duplicate = EmployerFactory(name="Bakkerij Jansen VOF", postcode="2011 AB", main_account_holder=other_adviser)
    response = manager_client.post(f"{API}{employer.pk}/merge/", {"merge": duplicate.pk}, format="json")
    assert response.status_code == 200
    assert other_adviser.pk in response.json()["account_holders"]
    assert Employer.objects.get(pk=duplicate.pk).merged_into_id == employer.pk


def test_adviser_cannot_merge_or_reassign_R01(adviser_client, adviser, colleague, employer, counts):
    duplicate = EmployerFactory()
    before = counts()
    merge = adviser_client.post(f"{API}{employer.pk}/merge/", {"merge": duplicate.pk}, format="json")
    reassign = adviser_client.post(
        f"{API}reassign/", {"from_user": adviser.pk, "to_users": [colleague.pk]}, format="json"
    )
    assert (merge.status_code, reassign.status_code) == (403, 403)
    assert counts() == before


def test_manager_reassigns_a_caseload_R03(manager_client, adviser, colleague, uwv):
    third = UserFactory(organisation=uwv)
    EmployerFactory.create_batch(4, main_account_holder=adviser)
    response = manager_client.post(
        f"{API}reassign/", {"from_user": adviser.pk, "to_users": [colleague.pk, third.pk]}, format="json"
    )
    assert response.json() == {"reassigned": 4}
    assert Employer.objects.filter(main_account_holder=colleague).count() == 2
    assert Employer.objects.filter(main_account_holder=third).count() == 2


# --- changing and ceasing the record is for those admitted -------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [("", {"city": "Zandvoort"}), ("cease/", {"ceased_on": "2025-01-31"}), ("reactivate/", {})],
)
def test_change_cease_or_reactivate_by_someone_not_admitted_is_403_R04(other_client, employer, counts, path, body):
    if path == "reactivate/":
        Employer.objects.filter(pk=employer.pk).update(status="ceased", ceased_on=date(2025, 1, 31))
    before_row = Employer.objects.filter(pk=employer.pk).values().get()
    before = counts()
    url = f"{API}{employer.pk}/{path}"
    response = other_client.post(url, body, format="json") if path else other_client.patch(url, body, format="json")
    assert response.status_code == 403
    assert (response.json()["code"], response.json()["rule"]) == ("admission_required", "R-04")
    assert response.json()["access_request"] == f"{API}{employer.pk}/access-requests/"
    assert Employer.objects.filter(pk=employer.pk).values().get() == before_row
    assert counts() == before


def test_a_manager_changes_any_record_R04(manager_client, employer):
    response = manager_client.patch(f"{API}{employer.pk}/", {"city": "Zandvoort"}, format="json")
    assert (response.status_code, response.json()["city"]) == (200, "Zandvoort")


# --- which entry set the last contact ----------------------------------------------------------------------


def test_the_representation_says_which_entry_set_the_last_contact_R05(adviser_client, adviser, employer, now):
    adviser_client.post(
        "/api/v1/contact-moments/",
        {"employer": employer.pk, "kind": "visit", "occurred_at": now.isoformat(), "reason": "Kennismaking",
         "company_activities": "Bakkerij", "agreements": "Bellen"},
        format="json",
    )  # fmt: skip
    body = adviser_client.get(f"{API}{employer.pk}/").json()
    assert (body["last_contact_source"], body["last_contact_by"]) == ("visit", adviser.pk)
    listed = adviser_client.get(API).json()["results"][0]
    assert (listed["last_contact_source"], listed["last_contact_by"], listed["purged_at"]) == (
        "visit",
        adviser.pk,
        None,
    )


# --- Security defect: a manager moves another organisation's caseload --------------------------------------------


@pytest.mark.parametrize("whose", ["from_user", "to_users"])
def test_a_manager_reassigns_within_their_own_organisation_only_R01_R03(
    manager_client, adviser, colleague, other_adviser, municipality, counts, whose
):
    """Security defect: "employers/reassign/ accepts any from_user and to_users"."""
    theirs = EmployerFactory.create_batch(2, main_account_holder=other_adviser)
    mine = EmployerFactory.create_batch(2, main_account_holder=adviser)
    if whose == "from_user":
        body = {"from_user": other_adviser.pk, "to_users": [colleague.pk]}
    else:
        body = {"from_user": adviser.pk, "to_users": [colleague.pk, other_adviser.pk]}
    before = counts()

    response = manager_client.post(f"{API}reassign/", body, format="json")

    assert response.status_code == 403
    assert (response.json()["code"], response.json()["rule"]) == ("other_organisation", "R-01")
    assert whose in response.json()["fields"]
    assert {e.main_account_holder_id for e in Employer.objects.filter(pk__in=[e.pk for e in theirs])} == {
        other_adviser.pk
    }
    assert {e.main_account_holder_id for e in Employer.objects.filter(pk__in=[e.pk for e in mine])} == {adviser.pk}
    assert counts() == before


def test_post_with_a_first_visit_records_its_instruments_R06_R33(adviser_client, payload):
    body = payload()
    body["first_visit"] |= {"instruments_advised": ["job_coaching", "lks"], "instruments_applied": ["lks"]}
    response = adviser_client.post(API, body, format="json")
    assert response.status_code == 201, response.content
    visit = ContactMoment.objects.get(employer_id=response.json()["id"])
    assert (visit.instruments_advised, visit.instruments_applied) == (["lks", "job_coaching"], ["lks"])


def test_post_with_an_unknown_instrument_on_the_first_visit_enters_nothing_R06_R33(adviser_client, payload, counts):
    body = payload()
    body["first_visit"]["instruments_applied"] = ["lks", "geld"]
    before = counts()
    response = adviser_client.post(API, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["first_visit.instruments_applied"]
    assert counts() == before


@pytest.mark.parametrize("pk", ["%C2%B2", "99999999999", "0"])
def test_an_odd_employer_number_in_an_action_is_a_404_in_the_error_format(adviser_client, pk):
    response = adviser_client.post(f"{API}{pk}/cease/", {"ceased_on": "2025-01-31"}, format="json",
                                   HTTP_ACCEPT_LANGUAGE="nl")  # fmt: skip
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_duplicates_check_without_name_or_postcode_is_400_in_dutch_R07(adviser_client):
    response = adviser_client.get(f"{API}duplicates/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    body = response.json()
    assert (body["detail"], body["fields"]["name"]) == ("Geef een naam, een postcode of allebei.",
                                                        ["Geef een naam of een postcode."])  # fmt: skip
