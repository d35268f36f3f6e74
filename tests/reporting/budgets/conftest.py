"""Fixtures of the budget tests (R-53): the ZKIJ 2024 budget of seed 000 chapter 4, and a snapshot of every budget
row to compare before and after a refusal."""

from collections.abc import Callable

import pytest

from accounts.choices import OrganisationKind
from demo.seed.budgets import ZKIJ_2024_TITLE, zkij_2024_lines
from reporting.budgets import services
from reporting.budgets.models import Budget, BudgetLine, BudgetSpend
from tests.factories import OrganisationFactory


@pytest.fixture
def partners(uwv) -> dict:
    return {
        "uwv": uwv,
        "ijmond-werkt": OrganisationFactory(
            code="ijmond-werkt", name="IJmond Werkt!", kind=OrganisationKind.REINTEGRATION
        ),
        "spaarne-werkt": OrganisationFactory(
            code="spaarne-werkt", name="Spaarne Werkt", kind=OrganisationKind.REINTEGRATION
        ),
    }


@pytest.fixture
def zkij_2024(manager, partners) -> Budget:
    return services.budget_create(by=manager, year=2024, title=ZKIJ_2024_TITLE, lines=zkij_2024_lines(partners))


@pytest.fixture
def budget_rows(counts) -> Callable[[], dict]:
    """Row counts plus every stored budget value: equal before and after a refusal."""

    def snapshot():
        rows = counts()
        rows["budgets"] = sorted(Budget.objects.values_list("id", "year", "title"))
        rows["lines"] = sorted(
            BudgetLine.objects.values_list(
                "id", "kind", "label", "organisation", "planned", "funded_from", "funded_until", "uncovered", "note"
            )
        )
        rows["spend"] = sorted(BudgetSpend.objects.values_list("id", "line", "month", "amount"))
        return rows

    return snapshot
