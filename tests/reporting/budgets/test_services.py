"""R-53: the writes of budgets: managers only; negative amounts, funding that ends before it starts, a second budget
for a year and removing a line with spend are refused with a code and the rule, and leave the data unchanged."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from reporting.budgets import services
from reporting.budgets.choices import LineKind
from reporting.budgets.models import BudgetLine, BudgetSpend
from wsp.errors import Conflict, InvalidInput, RuleRefused

LINE = {"kind": LineKind.OTHER_COST, "label": "Evenementen", "planned": Decimal("20000")}


def test_r53_manager_creates_budget_with_lines(manager):
    budget = services.budget_create(by=manager, year=2025, lines=[LINE, {**LINE, "label": "Bureaukosten"}])
    assert budget.title in ("Budget 2025", "Begroting 2025")  # the default title, in the language in effect
    assert [line.label for line in budget.lines.all()] == ["Evenementen", "Bureaukosten"]
    assert [line.position for line in budget.lines.all()] == [1, 2]


@pytest.mark.parametrize(
    "line, code, field",
    [
        ({**LINE, "planned": Decimal("-1")}, "negative", "lines[1].planned"),
        ({**LINE, "uncovered": "-0.01"}, "negative", "lines[1].uncovered"),
        ({**LINE, "planned": "twee"}, "invalid", "lines[1].planned"),
        ({**LINE, "planned": "1.005"}, "invalid", "lines[1].planned"),
        (
            {**LINE, "funded_from": date(2025, 9, 1), "funded_until": date(2025, 8, 31)},
            "funding_ends_before_start",
            "lines[1].funded_until",
        ),
        ({**LINE, "kind": "gift"}, "invalid", "lines[1].kind"),
        ({**LINE, "label": "  "}, "label_required", "lines[1].label"),
    ],
)
def test_r53_create_refuses_bad_line_and_writes_nothing(manager, budget_rows, line, code, field):
    before = budget_rows()
    with pytest.raises(InvalidInput) as refused:
        services.budget_create(by=manager, year=2025, lines=[LINE, line])
    assert refused.value.code == code and refused.value.rule == "R-53"
    assert field in refused.value.fields
    assert budget_rows() == before


def test_r53_duplicate_year_refused(zkij_2024, manager, budget_rows):
    before = budget_rows()
    with pytest.raises(Conflict) as refused:
        services.budget_create(by=manager, year=2024, lines=[LINE])
    assert refused.value.code == "duplicate_year" and refused.value.rule == "R-53"
    assert budget_rows() == before


def test_r01_r53_non_manager_refused_everywhere(zkij_2024, adviser, budget_rows):
    line = zkij_2024.lines.first()
    before = budget_rows()
    for write in (
        lambda: services.budget_create(by=adviser, year=2030, lines=[LINE]),
        lambda: services.budget_update(by=adviser, budget=zkij_2024, title="X"),
        lambda: services.budget_line_add(by=adviser, budget=zkij_2024, **LINE),
        lambda: services.budget_line_change(by=adviser, line=line, planned="1"),
        lambda: services.budget_line_remove(by=adviser, line=line),
        lambda: services.budget_spend_record(by=adviser, line=line, month=date(2024, 1, 1), amount_spent="1"),
    ):
        with pytest.raises(RuleRefused) as refused:
            write()
        assert refused.value.code == "manager_only"
    assert budget_rows() == before


def test_r53_line_add_change_remove(zkij_2024, manager):
    line = services.budget_line_add(by=manager, budget=zkij_2024, **{**LINE, "label": "Nieuw"})
    assert line.position == 22
    services.budget_line_change(by=manager, line=line, planned="100", funded_until=date(2024, 6, 1), uncovered="50")
    line.refresh_from_db()
    assert (line.planned, line.funded_until, line.uncovered, line.label) == (
        Decimal("100.00"),
        date(2024, 6, 1),
        Decimal("50.00"),
        "Nieuw",
    )
    services.budget_line_remove(by=manager, line=line)
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_r53_line_change_refusals_leave_data_unchanged(zkij_2024, manager, budget_rows):
    line = zkij_2024.lines.get(label="Accountmanager")
    before = budget_rows()
    with pytest.raises(InvalidInput) as refused:
        services.budget_line_change(by=manager, line=line, funded_from=date(2024, 10, 1))  # until 1 September
    assert refused.value.code == "funding_ends_before_start"
    with pytest.raises(InvalidInput) as refused:
        services.budget_line_change(by=manager, line=line, planned="-5")
    assert refused.value.code == "negative"
    assert budget_rows() == before


def test_r53_spend_record_first_of_month_and_replace(zkij_2024, manager):
    line = zkij_2024.lines.get(label="Evenementen")
    services.budget_spend_record(by=manager, line=line, month=date(2024, 3, 17), amount_spent="100")
    services.budget_spend_record(by=manager, line=line, month="2024-03-01", amount_spent="250.50")
    assert list(BudgetSpend.objects.values_list("month", "amount")) == [(date(2024, 3, 1), Decimal("250.50"))]


def test_r53_spend_refusals_leave_data_unchanged(zkij_2024, manager, budget_rows):
    line = zkij_2024.lines.get(label="Evenementen")
    services.budget_spend_record(by=manager, line=line, month=date(2024, 3, 1), amount_spent="100")
    before = budget_rows()
    for month, amount, code in ((date(2024, 3, 1), "-1", "negative"), (date(2025, 1, 1), "1", "month_outside_year")):
        with pytest.raises(InvalidInput) as refused:
            services.budget_spend_record(by=manager, line=line, month=month, amount_spent=amount)
        assert refused.value.code == code and refused.value.rule == "R-53"
    with pytest.raises(InvalidInput) as refused:
        services.budget_line_remove(by=manager, line=line)
    assert refused.value.code == "line_has_spend"
    assert budget_rows() == before


def test_r53_update_lines_as_a_whole(zkij_2024, manager):
    keep, change, *_rest = list(zkij_2024.lines.all())
    services.budget_update(
        by=manager,
        budget=zkij_2024,
        title="Begroting 2024 (herzien)",
        lines=[{"id": keep.pk}, {"id": change.pk, "planned": "1"}, {**LINE, "label": "Nieuw"}],
    )
    zkij_2024.refresh_from_db()
    assert zkij_2024.title == "Begroting 2024 (herzien)"
    assert [(line.pk, line.label, line.planned) for line in zkij_2024.lines.all()][:2] == [
        (keep.pk, keep.label, keep.planned),
        (change.pk, change.label, Decimal("1.00")),
    ]
    assert zkij_2024.lines.count() == 3


def test_r53_update_refusals_leave_data_unchanged(zkij_2024, manager, other_adviser, budget_rows):
    lines = list(zkij_2024.lines.all())
    services.budget_spend_record(by=manager, line=lines[-1], month=date(2024, 1, 1), amount_spent="1")
    other = services.budget_create(by=manager, year=2025, lines=[LINE])
    before = budget_rows()
    cases = [
        ([{"id": line.pk} for line in lines[:-1]], "line_has_spend"),  # drops the line with spend
        ([{"id": line.pk} for line in lines] + [{**LINE, "planned": "-1"}], "negative"),
        ([{"id": other.lines.get().pk}], "line_not_in_budget"),
    ]
    for new_lines, code in cases:
        with pytest.raises(InvalidInput) as refused:
            services.budget_update(by=manager, budget=zkij_2024, title="Changed", lines=new_lines)
        assert refused.value.code == code
    assert budget_rows() == before


def test_r53_database_refuses_negative_and_inverted_period(zkij_2024):
    line = zkij_2024.lines.first()
    for change in ({"planned": -1}, {"uncovered": -1}, {"funded_from": date(2024, 9, 2)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            BudgetLine.objects.filter(pk=line.pk).update(
                **change, **({"funded_until": date(2024, 9, 1)} if "funded_from" in change else {})
            )
