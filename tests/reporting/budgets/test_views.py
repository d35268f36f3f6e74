"""R-53: the manager page /sturing/begroting/ shows the budget of a year (income, costs, result, lines with planned,
realised, funded until, uncovered; the warnings first; burn as <progress>) and records monthly spend; managers only;
no inline style or script (CSP)."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.budgets import services
from reporting.budgets.choices import LineKind
from reporting.budgets.models import BudgetSpend

URL = reverse("budgets")


def test_r53_page_url_is_dutch():
    assert URL == "/sturing/begroting/"


def test_r53_manager_sees_zkij_2024(client, manager, zkij_2024):
    client.force_login(manager)
    response = client.get(URL, {"year": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Begroting WSP 2024" in html
    for label in ("Accountmanager", "Jobhunter(s)", "Adviseurs UWV", "Onvoorzien", "Verwacht saldo out of pocket"):
        assert label in html
    assert html.index('id="budget-warnings"') < html.index('id="budget-table"')
    assert "<progress" in html and 'id="spend-record"' in html
    assert "style=" not in html and "<style" not in html and "<script>" not in html
    figures = response.context["figures"]
    assert (figures.total_income, figures.total_cost, figures.result) == (Decimal("2384722"), Decimal("2384722"), 0)


def test_r53_no_budget_for_year(client, manager):
    client.force_login(manager)
    response = client.get(URL, {"year": 2031})
    assert response.status_code == 200 and response.context["budget"] is None


def test_r01_r53_adviser_is_sent_away(client, adviser, zkij_2024, budget_rows):
    client.force_login(adviser)
    before = budget_rows()
    line = zkij_2024.lines.get(label="Evenementen")
    response = client.post(f"{URL}?year=2024", {"line": line.pk, "month": "2024-03", "amount": "10"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(URL).status_code == 302
    assert budget_rows() == before


def test_r53_manager_records_spend(client, manager, zkij_2024):
    client.force_login(manager)
    line = zkij_2024.lines.get(label="Evenementen")
    response = client.post(f"{URL}?year=2024", {"line": line.pk, "month": "2024-03", "amount": "1250.50"})
    assert response.status_code == 302
    spend = BudgetSpend.objects.get()
    assert (spend.line, spend.month, spend.amount) == (line, date(2024, 3, 1), Decimal("1250.50"))


def test_r53_spend_refusal_shows_message_and_changes_nothing(client, manager, zkij_2024, budget_rows):
    client.force_login(manager)
    line = zkij_2024.lines.get(label="Evenementen")
    before = budget_rows()
    response = client.post(f"{URL}?year=2024", {"line": line.pk, "month": "2025-03", "amount": "10"})
    assert response.status_code == 200
    assert "outside the year" in response.content.decode() or "buiten het jaar" in response.content.decode()
    response = client.post(f"{URL}?year=2024", {"line": line.pk, "month": "2024-03", "amount": "-10"})
    assert response.status_code == 200
    assert budget_rows() == before


def test_r53_page_query_count_does_not_grow(client, manager, uwv):
    """Session, user, budget, its lines (organisation joined, spend summed), spend per month, placements, years:
    the same at 2 and at 20 lines with spend."""
    budget = services.budget_create(by=manager, year=2024)
    client.force_login(manager)

    def add_lines(n):
        for _ in range(n):
            line = services.budget_line_add(
                by=manager, budget=budget, kind=LineKind.PERSONNEL, label="Regel", organisation=uwv, planned="10"
            )
            services.budget_spend_record(by=manager, line=line, month=date(2024, 1, 1), amount_spent="5")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"year": 2024}).status_code == 200
        return len(captured)

    add_lines(2)
    at_two = queries()
    add_lines(18)
    assert queries() == at_two
