"""A manager in a real browser enters what the REST API already took (issue 8): a budget with a line and its realised
spend (R-53), and an activity of a project with its realisation (R-54). The pages pass the Content-Security-Policy
(checked by the `page` fixture)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from reporting.budgets.models import Budget, BudgetLine, BudgetSpend
from reporting.projects import services as project_services

from ..reporting.projects.conftest import project_fields
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.click(f"{form_selector} button[type=submit]")


def test_a_manager_creates_a_budget_adds_a_line_and_records_spend_R53(page, login, manager):
    year = timezone.localdate().year
    login(manager)
    page.goto(f"{page.base_url}/sturing/begroting/?year={year}")
    page.click(f'#main a[href="/sturing/begroting/nieuw/?year={year}"]')
    page.wait_for_url("**/sturing/begroting/nieuw/**")
    assert page.input_value("#id_year") == str(year)
    page.fill("#id_title", f"Begroting WSP {year}")
    _submit(page, "#main form.card")
    assert page.locator(".messages .alert.success").count() == 1
    budget = Budget.objects.get(year=year)
    assert page.locator("h1").inner_text() == f"Begroting WSP {year}"

    page.click(f'#budget-table a[href="/sturing/begroting/{budget.pk}/regels/nieuw/"]')
    page.wait_for_url("**/regels/nieuw/")
    page.select_option("#id_kind", "personnel")
    page.fill("#id_label", "Jobcoach")
    page.fill("#id_planned", "-100")
    _submit(page, "#main form.card")
    assert "negatief" in page.locator(".field.has-error").inner_text()  # refused, nothing saved
    assert not BudgetLine.objects.exists()
    page.fill("#id_planned", "12000")
    page.fill("#id_funded_from", f"{year}-01-01")
    page.fill("#id_funded_until", f"{year}-09-01")
    page.fill("#id_uncovered", "4000")
    _submit(page, "#main form.card")
    line = BudgetLine.objects.get()
    assert (line.label, line.planned, line.funded_until) == ("Jobcoach", Decimal("12000"), date(year, 9, 1))
    row = page.locator(f'#budget-table tr[data-line="{line.pk}"]')
    assert "Jobcoach" in row.inner_text()

    page.select_option("#id_line", str(line.pk))
    page.fill("#id_month", f"{year}-03")
    page.fill("#id_amount", "950.50")
    _submit(page, "#spend-record form")
    spend = BudgetSpend.objects.get()
    assert (spend.line, spend.month, spend.amount) == (line, date(year, 3, 1), Decimal("950.50"))
    assert "950,50" in page.locator(f'#budget-table tr[data-line="{line.pk}"]').inner_text()
    screenshot(page, "manager-budget-with-line")


def test_a_manager_adds_an_activity_and_records_its_realisation_R54(page, login, manager):
    project = project_services.project_create(by=manager, **project_fields())
    login(manager)
    page.goto(f"{page.base_url}/sturing/projecten/{project.pk}/")
    page.click(f'#main a[href="/sturing/projecten/{project.pk}/activiteiten/nieuw/"]')
    page.wait_for_url("**/activiteiten/nieuw/")
    page.fill("#id_code", "7")
    page.fill("#id_description", "Banenmarkt corporaties")
    page.fill("#id_target", "3")
    _submit(page, "#main form.card")
    activity = project.activities.get(code="7")
    assert "Banenmarkt corporaties" in page.locator("#main").inner_text()

    page.click(f'#main a[href="/sturing/projecten/{project.pk}/activiteiten/{activity.pk}/"]')
    page.wait_for_url(f"**/activiteiten/{activity.pk}/")
    page.fill("#id_realisation-realised", "1850-1800")
    _submit(page, "#realisation")
    assert page.locator("#realisation .field.has-error").count() == 1  # the lower number first
    page.fill("#id_realisation-realised", "1800-1850")
    _submit(page, "#realisation")
    activity.refresh_from_db()
    assert (activity.realised_low, activity.realised_high) == (1800, 1850)
    assert "1800-1850" in page.locator("#main").inner_text()
    screenshot(page, "manager-project-activity-realised")
