"""organisations/, users/, users/me/ and sectors/ (API.md minimum fields; R-01 roles, R-02 colleagues visible,
R-51 sectors)."""

import pytest

from accounts.choices import Role
from tests.factories import SectorFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def results(client, path) -> list[dict]:
    response = client.get(f"{API}{path}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_organisations_have_the_contract_fields_R01(adviser_client, uwv, municipality):
    rows = {row["code"]: row for row in results(adviser_client, "organisations/")}
    assert {key: rows["uwv"][key] for key in ("id", "code", "name", "kind")} == {
        "id": uwv.pk,
        "code": "uwv",
        "name": "UWV",
        "kind": "uwv",
    }
    assert rows["haarlem"]["kind"] == "municipality"
    assert rows["haarlem"]["id"] == municipality.pk


def test_organisations_filter_on_kind_R01(adviser_client, uwv, municipality):
    assert [row["code"] for row in results(adviser_client, "organisations/?kind=uwv")] == ["uwv"]


def test_organisation_detail(adviser_client, municipality):
    response = adviser_client.get(f"{API}organisations/{municipality.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "Gemeente Haarlem"


def test_users_show_staff_of_every_partner_with_role_R01_R02(adviser_client, adviser, other_adviser, manager):
    rows = {row["username"]: row for row in results(adviser_client, "users/")}
    assert set(rows) == {"anna", "chris", "mira"}
    assert set(rows["chris"]) >= {"id", "username", "full_name", "organisation", "role"}
    assert (rows["chris"]["full_name"], rows["chris"]["organisation"], rows["chris"]["role"]) == (
        "Chris Visser",
        other_adviser.organisation_id,
        "adviser",
    )
    assert rows["mira"]["role"] == "manager"
    assert "password" not in rows["anna"]


def test_users_filter_on_role_and_organisation_R01(adviser_client, adviser, other_adviser, manager, municipality):
    assert [r["username"] for r in results(adviser_client, "users/?role=manager")] == ["mira"]
    assert [r["username"] for r in results(adviser_client, f"users/?organisation={municipality.pk}")] == ["chris"]


def test_full_name_falls_back_to_username_R01(adviser_client, uwv):
    UserFactory(username="zonder", first_name="", last_name="", organisation=uwv, role=Role.ACCOUNT_MANAGER)
    row = next(r for r in results(adviser_client, "users/") if r["username"] == "zonder")
    assert (row["full_name"], row["role"]) == ("zonder", "account_manager")


def test_users_me_is_the_caller_R01(client_for, manager, adviser):
    body = client_for(manager).get(f"{API}users/me/").json()
    assert (body["id"], body["username"], body["full_name"], body["role"], body["organisation"]) == (
        manager.pk,
        "mira",
        "Mira Manager",
        "manager",
        manager.organisation_id,
    )


def test_sectors_have_the_contract_fields_R51(adviser_client, uwv):
    sector = SectorFactory(code="Q", name="Zorg en welzijn", weight_category=1, lead_organisation=uwv, is_focus=True)
    SectorFactory(code="G", name="Handel", is_focus=False)
    rows = {row["code"]: row for row in results(adviser_client, "sectors/")}
    assert {k: rows["Q"][k] for k in ("id", "name", "weight_category", "lead_organisation", "is_focus")} == {
        "id": sector.pk,
        "name": "Zorg en welzijn",
        "weight_category": 1,
        "lead_organisation": uwv.pk,
        "is_focus": True,
    }
    assert [row["code"] for row in results(adviser_client, "sectors/?is_focus=true")] == ["Q"]


def test_reference_data_is_read_only_R01(manager_client, uwv, counts):
    before = counts()
    for path in ("organisations/", "users/", "sectors/"):
        response = manager_client.post(f"{API}{path}", {"code": "x", "name": "x"}, format="json")
        assert response.status_code == 405
    response = manager_client.patch(f"{API}organisations/{uwv.pk}/", {"name": "Hacked"}, format="json")
    assert response.status_code == 405
    uwv.refresh_from_db()
    assert uwv.name == "UWV"
    assert counts() == before
