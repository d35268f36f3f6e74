"""R-53: the totals of the ZKIJ 2024 budget (seed 000 chapter 4), cost per placement, spend per month, burn and the
warnings for funding that ends without cover."""

from datetime import date
from decimal import Decimal

from reporting.budgets import selectors, services
from reporting.budgets.choices import LineKind
from reporting.budgets.selectors import cost_per_placement, funding_warning, year_elapsed
from tests.reporting.targets.conftest import make_placement


def test_r53_zkij_2024_totals_as_in_the_seed(zkij_2024):
    budget = selectors.budget_for_year(2024, today=date(2024, 3, 15))
    figures = budget.figures
    assert figures.contributions == Decimal("2175121")  # "Subtotaal" of the partner contributions
    assert figures.balance == Decimal("50000")
    assert figures.incidental_income == Decimal("159601")
    assert figures.total_income == Decimal("2384722")  # "Totaal"
    assert figures.personnel == Decimal("2259722")  # "Totaal personeelskosten"
    assert figures.other_cost == Decimal("125000")  # "Totaal overige kosten"
    assert figures.total_cost == Decimal("2384722")
    assert figures.result == Decimal("0")  # "Resultaat"
    assert figures.uncovered == Decimal("75460")  # 24,000 + 14,460 + 37,000
    assert len(budget.lines.all()) == 21


def test_r53_zkij_2024_temporary_posts_funded_until_september(zkij_2024):
    lines = {line.label: line for line in zkij_2024.lines.all()}
    for label, uncovered in (("Accountmanager", 24000), ("Medewerker Oekraïne-balie", 14460), ("Jobhunter(s)", 37000)):
        assert lines[label].kind == LineKind.PERSONNEL
        assert lines[label].funded_until == date(2024, 9, 1)
        assert lines[label].uncovered == Decimal(uncovered)
    assert lines["UWV"].organisation.code == "uwv"
    assert lines["Adviseurs Umond Werkt!"].organisation.code == "ijmond-werkt"


def test_r53_cost_per_placement_haarlem_example():
    assert cost_per_placement(Decimal("350000"), 100) == Decimal("3500.00")
    assert cost_per_placement(Decimal("350000"), 0) is None
    assert cost_per_placement(Decimal("100"), 3) == Decimal("33.33")


def test_r53_cost_per_placement_counts_booked_placements_of_the_year(zkij_2024, manager):
    make_placement(start=date(2024, 2, 1))
    make_placement(start=date(2024, 11, 30))
    make_placement(start=date(2023, 12, 31))  # another year
    budget = selectors.budget_for_year(2024, today=date(2024, 12, 31))
    assert budget.figures.placements == 2
    # No spend recorded yet: the planned cost of the year.
    assert budget.figures.cost_per_placement_basis == "planned"
    assert budget.figures.cost_per_placement == Decimal("1192361.00")
    line = zkij_2024.lines.get(label="Evenementen")
    services.budget_spend_record(by=manager, line=line, month=date(2024, 5, 1), amount_spent=Decimal("7000"))
    budget = selectors.budget_for_year(2024, today=date(2024, 12, 31))
    assert budget.figures.cost_per_placement_basis == "realised"
    assert budget.figures.cost_per_placement == Decimal("3500.00")


def test_r53_spend_per_month_and_burn(zkij_2024, manager):
    lines = {line.label: line for line in zkij_2024.lines.all()}
    services.budget_spend_record(by=manager, line=lines["Evenementen"], month=date(2024, 1, 20), amount_spent="5000")
    services.budget_spend_record(by=manager, line=lines["Evenementen"], month=date(2024, 2, 1), amount_spent="5000")
    services.budget_spend_record(by=manager, line=lines["Bureaukosten"], month=date(2024, 2, 1), amount_spent="2500,50")
    # Income received is realised on its line, but is not spend.
    services.budget_spend_record(by=manager, line=lines["UWV"], month=date(2024, 2, 1), amount_spent="90000")
    budget = selectors.budget_for_year(2024, today=date(2024, 7, 1))
    figures = budget.figures
    months = dict(figures.spend_per_month)
    assert len(months) == 12
    assert months[date(2024, 1, 1)] == Decimal("5000.00")
    assert months[date(2024, 2, 1)] == Decimal("7500.50")
    assert months[date(2024, 3, 1)] == Decimal("0")
    assert figures.realised_cost == Decimal("12500.50")
    assert figures.realised_income == Decimal("90000.00")
    assert figures.burn == (Decimal("12500.50") / Decimal("2384722")).quantize(Decimal("0.001"))
    assert figures.year_elapsed == Decimal("0.500")  # 1 July 2024 is day 183 of 366
    assert not figures.burn_ahead
    by_label = {line.label: line for line in budget.lines.all()}
    assert by_label["Evenementen"].realised == Decimal("10000.00")
    assert by_label["Evenementen"].burn == Decimal("0.500")


def test_r53_year_elapsed_bounds():
    assert year_elapsed(2024, date(2023, 12, 31)) == 0
    assert year_elapsed(2024, date(2025, 1, 1)) == 1
    assert year_elapsed(2025, date(2025, 12, 31)) == 1


def test_r53_warning_when_funding_ends_within_three_months_without_cover(zkij_2024):
    # 1 May 2024: the funding until 1 September is more than three months off.
    assert selectors.budget_for_year(2024, today=date(2024, 5, 1)).figures.warnings == []
    # 1 June 2024: exactly three months before the end: the three temporary posts.
    warnings = selectors.budget_for_year(2024, today=date(2024, 6, 1)).figures.warnings
    assert sorted(w.line.label for w in warnings) == ["Accountmanager", "Jobhunter(s)", "Medewerker Oekraïne-balie"]
    assert {w.uncovered for w in warnings} == {Decimal("24000"), Decimal("14460"), Decimal("37000")}
    assert not any(w.ended for w in warnings)
    # After 1 September the funding has ended and the amount is still uncovered: still a warning, marked ended.
    warnings = selectors.budget_for_year(2024, today=date(2024, 10, 1)).figures.warnings
    assert len(warnings) == 3 and all(w.ended for w in warnings)


def test_r53_no_warning_when_covered(zkij_2024, manager):
    line = zkij_2024.lines.get(label="Accountmanager")
    services.budget_line_change(by=manager, line=line, uncovered="0")
    line.refresh_from_db()
    assert not funding_warning(line, date(2024, 8, 1))
    assert funding_warning(zkij_2024.lines.get(label="Jobhunter(s)"), date(2024, 8, 1))
