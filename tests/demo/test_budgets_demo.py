"""The demo holds the ZKIJ 2024 budget exactly as seed 000 chapter 4 has it (R-53: contributions 2,175,121; total
income 2,384,722; personnel 2,259,722; other costs 125,000; result 0) and a budget for the demo year with realised
spend per month up to the current month."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.seed.budgets import ZKIJ_2024_LINES, ZKIJ_2024_TITLE
from reporting.budgets import selectors
from reporting.budgets.models import BudgetSpend

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded():
    call_command("seed_demo", employers=120, contacts_per_employer=4, verbosity=0)


def test_demo_zkij_2024_budget_totals_R53(seeded):
    budget = selectors.budget_for_year(2024, today=date(2024, 1, 15))
    assert budget.title == ZKIJ_2024_TITLE
    figures = budget.figures
    assert figures.contributions == Decimal("2175121")
    assert figures.total_income == Decimal("2384722")
    assert figures.personnel == Decimal("2259722")
    assert figures.other_cost == Decimal("125000")
    assert figures.total_cost == Decimal("2384722")
    assert figures.result == 0
    lines = budget.lines.all()
    assert [line.label for line in lines] == [spec[1] for spec in ZKIJ_2024_LINES]
    uncovered = {line.label: (line.funded_until, line.uncovered) for line in lines if line.uncovered}
    assert uncovered == {
        "Accountmanager": (date(2024, 9, 1), Decimal("24000")),
        "Medewerker Oekraïne-balie": (date(2024, 9, 1), Decimal("14460")),
        "Jobhunter(s)": (date(2024, 9, 1), Decimal("37000")),
    }
    assert {line.organisation.code for line in lines if line.organisation} == {"uwv", "ijmond-werkt", "spaarne-werkt"}


def test_demo_current_year_budget_with_monthly_spend_R53(seeded):
    today = timezone.localdate()
    budget = selectors.budget_for_year(today.year, today=today)
    assert budget is not None
    figures = budget.figures
    assert figures.result == 0
    assert figures.total_cost > Decimal("2384722")  # modest raises on the partner lines
    months = {month for month, amount in figures.spend_per_month if amount}
    assert months == {date(today.year, m, 1) for m in range(1, today.month + 1)}
    assert not BudgetSpend.objects.filter(month__gt=today).exists()
    assert figures.burn is not None and figures.burn > 0
