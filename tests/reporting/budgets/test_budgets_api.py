"""R-53: `budgets/` (API.md): GET with id, year, lines, total_income, total_cost, result, cost_per_placement (and
the extensions subtotals, burn, spend per month, warnings); POST and PATCH for managers with nested lines, all
validated first and written in one transaction; `budgets/{id}/spend/` records monthly spend."""

from datetime import date
from decimal import Decimal

import pytest

from reporting.budgets import services
from reporting.budgets.choices import LineKind

API = "/api/v1/budgets/"
LINE = {"kind": "other_cost", "label": "Evenementen", "planned": "20000.00"}


def test_r53_get_zkij_2024_totals(manager_client, zkij_2024):
    response = manager_client.get(f"{API}?year=2024")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == zkij_2024.pk and row["year"] == 2024
    assert row["total_income"] == 2384722
    assert row["total_cost"] == 2384722
    assert row["result"] == 0
    assert row["subtotals"] == {
        "contributions": 2175121,
        "balance": 50000,
        "incidental_income": 159601,
        "personnel": 2259722,
        "other_cost": 125000,
    }
    assert row["cost_per_placement"] is None and row["placements"] == 0
    jobhunters = next(line for line in row["lines"] if line["label"] == "Jobhunter(s)")
    assert jobhunters["kind"] == "personnel"
    assert jobhunters["funded_until"] == "2024-09-01"
    assert jobhunters["uncovered"] == 37000
    assert jobhunters["planned"] == 72143 and jobhunters["realised"] == 0
    assert {"kind", "label", "organisation", "planned", "realised", "funded_until", "uncovered"} <= set(jobhunters)
    assert len(row["spend_per_month"]) == 12
    assert {w["label"] for w in row["warnings"]} == {"Accountmanager", "Medewerker Oekraïne-balie", "Jobhunter(s)"}
    assert set(row["burn"]) == {"realised_cost", "burn", "year_elapsed", "ahead"}


def test_r53_retrieve(manager_client, zkij_2024):
    response = manager_client.get(f"{API}{zkij_2024.pk}/")
    assert response.status_code == 200 and response.json()["result"] == 0


def test_r53_organisation_token_reads_but_cannot_write(token_client, zkij_2024, uwv, budget_rows):
    client, _token = token_client(organisation=uwv)
    assert client.get(API).status_code == 200
    before = budget_rows()
    assert client.post(API, {"year": 2030}, format="json").status_code == 403
    assert client.patch(f"{API}{zkij_2024.pk}/", {"title": "x"}, format="json").status_code == 403
    assert budget_rows() == before


def test_r53_post_creates_budget_with_lines(manager_client, uwv):
    payload = {
        "year": 2025,
        "title": "Begroting WSP 2025",
        "lines": [
            {"kind": "contribution", "label": "UWV", "organisation": uwv.pk, "planned": "20000.00"},
            {**LINE, "funded_from": "2025-01-01", "funded_until": "2025-09-01", "uncovered": "5000"},
        ],
    }
    response = manager_client.post(API, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total_income"] == 20000 and body["total_cost"] == 20000 and body["result"] == 0
    assert body["lines"][0]["organisation"] == uwv.pk
    assert body["lines"][1]["funded_until"] == "2025-09-01" and body["lines"][1]["uncovered"] == 5000


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"year": 2025, "lines": [LINE, {**LINE, "planned": "-1"}]}, 400, "negative"),
        (
            {"year": 2025, "lines": [{**LINE, "funded_from": "2025-09-01", "funded_until": "2025-01-01"}]},
            400,
            "funding_ends_before_start",
        ),
        ({"year": 2024, "lines": [LINE]}, 409, "duplicate_year"),
    ],
)
def test_r53_post_refusals_leave_data_unchanged(manager_client, zkij_2024, budget_rows, payload, status, code):
    before = budget_rows()
    response = manager_client.post(API, payload, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["rule"] == "R-53"
    assert budget_rows() == before


def test_r01_r53_adviser_cannot_write(adviser_client, zkij_2024, budget_rows):
    before = budget_rows()
    response = adviser_client.post(API, {"year": 2030, "lines": [LINE]}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "manager_only"
    response = adviser_client.patch(f"{API}{zkij_2024.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403
    line = zkij_2024.lines.first()
    response = adviser_client.post(
        f"{API}{zkij_2024.pk}/spend/", {"line": line.pk, "month": "2024-01-01", "amount": "1"}, format="json"
    )
    assert response.status_code == 403
    assert budget_rows() == before


def test_r53_patch_lines_as_a_whole(manager_client, zkij_2024):
    lines = list(zkij_2024.lines.all())
    payload = {"lines": [{"id": line.pk} for line in lines] + [{**LINE, "label": "Nieuw evenement"}]}
    payload["lines"][-2] = {"id": lines[-1].pk, "planned": "6000"}  # Onvoorzien 5,000 -> 6,000
    response = manager_client.patch(f"{API}{zkij_2024.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["subtotals"]["other_cost"] == 125000 + 1000 + 20000
    assert body["result"] == -21000
    assert body["lines"][-1]["label"] == "Nieuw evenement"


def test_r53_patch_refusal_leaves_data_unchanged(manager_client, zkij_2024, budget_rows):
    line = zkij_2024.lines.get(label="Accountmanager")
    before = budget_rows()
    payload = {"title": "Changed", "lines": [{"id": line.pk, "funded_from": "2024-10-01"}]}
    response = manager_client.patch(f"{API}{zkij_2024.pk}/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "funding_ends_before_start" and response.json()["rule"] == "R-53"
    assert budget_rows() == before


def test_r53_spend_endpoint(manager_client, zkij_2024, budget_rows):
    line = zkij_2024.lines.get(label="Evenementen")
    url = f"{API}{zkij_2024.pk}/spend/"
    response = manager_client.post(url, {"line": line.pk, "month": "2024-02-14", "amount": "7000"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["spend_per_month"][1] == {"month": "2024-02-01", "amount": 7000}
    assert next(li for li in body["lines"] if li["id"] == line.pk)["realised"] == 7000
    before = budget_rows()
    response = manager_client.post(url, {"line": line.pk, "month": "2024-02-01", "amount": "-1"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "negative"
    response = manager_client.post(url, {"line": 10**6, "month": "2024-02-01", "amount": "1"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "line_not_in_budget"
    assert budget_rows() == before


@pytest.mark.parametrize("rows", [2, 20])
def test_r53_list_query_count_does_not_grow(manager_client, manager, uwv, django_assert_num_queries, rows):
    for n in range(rows):
        budget = services.budget_create(
            by=manager,
            year=2001 + n,
            lines=[
                {"kind": LineKind.CONTRIBUTION, "label": "UWV", "organisation": uwv, "planned": Decimal("10")},
                {"kind": LineKind.PERSONNEL, "label": "Adviseurs", "organisation": uwv, "planned": Decimal("10")},
            ],
        )
        line = budget.lines.get(kind=LineKind.PERSONNEL)
        services.budget_spend_record(by=manager, line=line, month=date(2001 + n, 1, 1), amount_spent="5")
    # budgets page, their lines (organisation joined, spend summed), spend per budget and month, placements per year
    with django_assert_num_queries(4):
        response = manager_client.get(f"{API}?page_size=100")
    assert response.status_code == 200 and len(response.json()["results"]) == rows
