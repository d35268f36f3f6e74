"""Writes of reporting.budgets (R-53): only managers create budgets, add, change and remove lines and record the
realised spend per line and month.

Every input is validated before the first write inside the transaction, so a refusal leaves the data as it was.
Refusals carry a stable code and rule "R-53" (or "R-01" for a role that may not write).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.rules import require_manager
from wsp.errors import Conflict, InvalidInput
from wsp.inputs import clean_text, full_clean

from .choices import LineKind
from .models import Budget, BudgetLine, BudgetSpend

RULE = "R-53"
MAX_AMOUNT = Decimal("9999999999.99")

MSG_DUPLICATE_YEAR = _("There is already a budget for this year; change that one instead.")
MSG_YEAR = _("Enter a year, such as 2025.")
MSG_TITLE = _("Give the budget a title.")
MSG_KIND = _("Choose the kind of line: contribution, incidental income, balance, personnel or other costs.")
MSG_LABEL = _("Give the line a label.")
MSG_AMOUNT = _("Enter an amount in euros, such as 1250.00.")
MSG_NEGATIVE = _("An amount cannot be negative.")
MSG_FUNDING_PERIOD = _("The funding cannot end before it starts.")
MSG_DATE = _("Enter a date, such as 2024-09-01.")
MSG_ORGANISATION = _("Choose an organisation of the region.")
MSG_LINE_OTHER_BUDGET = _("This line belongs to another budget.")
MSG_LINE_HAS_SPEND = _("This line has realised spend; it cannot be removed.")
MSG_MONTH_OUTSIDE_YEAR = _("The month lies outside the year of the budget.")
MSG_LINES = _("Give the lines as a list.")

LINE_FIELDS = ("kind", "label", "organisation", "planned", "funded_from", "funded_until", "uncovered", "note")


def _invalid(field: str, message, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, rule=RULE, fields={field: [message]})


def amount(value, field: str = "amount") -> Decimal:
    """R-53: an amount in euros, 0 or more, at most two decimals (a comma as decimal separator is fine)."""
    if isinstance(value, bool):
        raise _invalid(field, MSG_AMOUNT)
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or abs(number) > MAX_AMOUNT:
        raise _invalid(field, MSG_AMOUNT)
    if number != number.quantize(Decimal("0.01")):
        raise _invalid(field, MSG_AMOUNT)
    if number < 0:
        raise _invalid(field, MSG_NEGATIVE, code="negative")
    return number.quantize(Decimal("0.01"))


def _date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(field, MSG_DATE) from None


def _year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise _invalid("year", MSG_YEAR)
    return year


@dataclass
class LineInput:
    """One validated line: what `_line_values` returns and the services write."""

    kind: str
    label: str
    organisation: Organisation | None
    planned: Decimal
    funded_from: date | None
    funded_until: date | None
    uncovered: Decimal
    note: str

    def apply(self, line: BudgetLine) -> BudgetLine:
        for name in LINE_FIELDS:
            setattr(line, name, getattr(self, name))
        return line


def _line_values(data: dict, *, current: BudgetLine | None = None) -> LineInput:
    """R-53: validate one line (all fields; on a change the missing ones keep their current value)."""
    values = {name: getattr(current, name) for name in LINE_FIELDS} if current else {}
    values.update({name: data[name] for name in LINE_FIELDS if name in data})
    kind = values.get("kind") or ""
    if kind not in LineKind.values:
        raise _invalid("kind", MSG_KIND)
    label = clean_text(values.get("label"))
    if not label:
        raise _invalid("label", MSG_LABEL, code="label_required")
    organisation = values.get("organisation")
    if organisation is not None and not isinstance(organisation, Organisation):
        organisation = Organisation.objects.filter(pk=organisation).first() if isinstance(organisation, int) else None
        if organisation is None:
            raise _invalid("organisation", MSG_ORGANISATION)
    planned = amount(values.get("planned"), "planned")
    uncovered = amount(values.get("uncovered") if values.get("uncovered") not in (None, "") else 0, "uncovered")
    funded_from = _date(values.get("funded_from"), "funded_from")
    funded_until = _date(values.get("funded_until"), "funded_until")
    if funded_from and funded_until and funded_until < funded_from:
        raise _invalid("funded_until", MSG_FUNDING_PERIOD, code="funding_ends_before_start")
    return LineInput(
        kind=kind,
        label=label,
        organisation=organisation,
        planned=planned,
        funded_from=funded_from,
        funded_until=funded_until,
        uncovered=uncovered,
        note=clean_text(values.get("note")),
    )


def _lines_values(lines) -> list[LineInput]:
    if not isinstance(lines, list | tuple):
        raise _invalid("lines", MSG_LINES)
    result = []
    for index, data in enumerate(lines):
        try:
            result.append(_line_values(data))
        except InvalidInput as refused:
            refused.fields = {f"lines[{index}].{name}": msgs for name, msgs in (refused.fields or {}).items()}
            raise
    return result


def _save(instance) -> None:
    full_clean(instance)
    instance.save()


@transaction.atomic
def budget_create(*, by, year: int, title: str = "", lines=()) -> Budget:
    """R-53: a manager creates the budget of a year, with its lines; all lines are validated before any write.
    A second budget for the same year is a 409 `duplicate_year`."""
    require_manager(by)
    year = _year(year)
    title = clean_text(title) or str(_("Budget %(year)s") % {"year": year})
    values = _lines_values(list(lines))
    if Budget.objects.filter(year=year).exists():
        raise Conflict(MSG_DUPLICATE_YEAR, code="duplicate_year", rule=RULE, fields={"year": [MSG_DUPLICATE_YEAR]})
    budget = Budget(year=year, title=title)
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError:  # a concurrent create of the same year
        raise Conflict(MSG_DUPLICATE_YEAR, code="duplicate_year", rule=RULE) from None
    for position, line in enumerate(values, start=1):
        _save(line.apply(BudgetLine(budget=budget, position=position)))
    return budget


@transaction.atomic
def budget_update(*, by, budget: Budget, title: str | None = None, lines=None) -> Budget:
    """R-53: a manager changes the title and, when `lines` is given, the lines as a whole: a line with an `id` of
    this budget is changed, one without is added, and a line of the budget that is not listed is removed (refused
    when it has realised spend). Everything is validated first; then all is written in this one transaction."""
    require_manager(by)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if title is not None:
        budget.title = clean_text(title)
        if not budget.title:
            raise _invalid("title", MSG_TITLE, code="title_required")
    plan = None
    if lines is not None:
        if not isinstance(lines, list | tuple):
            raise _invalid("lines", MSG_LINES)
        existing = {line.pk: line for line in budget.lines.all()}
        plan = []
        for index, data in enumerate(lines):
            line_id = data.get("id")
            current = existing.get(line_id) if line_id is not None else None
            if line_id is not None and current is None:
                raise InvalidInput(
                    MSG_LINE_OTHER_BUDGET,
                    code="line_not_in_budget",
                    rule=RULE,
                    fields={f"lines[{index}].id": [MSG_LINE_OTHER_BUDGET]},
                )
            try:
                plan.append((current, _line_values(data, current=current)))
            except InvalidInput as refused:
                refused.fields = {f"lines[{index}].{name}": msgs for name, msgs in (refused.fields or {}).items()}
                raise
        kept = {current.pk for current, _values in plan if current is not None}
        removed = [line for pk, line in existing.items() if pk not in kept]
        if BudgetSpend.objects.filter(line__in=removed).exists():
            raise InvalidInput(
                MSG_LINE_HAS_SPEND, code="line_has_spend", rule=RULE, fields={"lines": [MSG_LINE_HAS_SPEND]}
            )
    _save(budget)
    if plan is not None:
        BudgetLine.objects.filter(pk__in=[line.pk for line in removed]).delete()
        for position, (current, values) in enumerate(plan, start=1):
            line = values.apply(current or BudgetLine(budget=budget))
            line.position = position
            _save(line)
    return budget


@transaction.atomic
def budget_line_add(*, by, budget: Budget, **data) -> BudgetLine:
    """R-53: a manager adds a line at the end of the budget."""
    require_manager(by)
    values = _line_values(data)
    last = budget.lines.order_by("-position").values_list("position", flat=True).first() or 0
    line = values.apply(BudgetLine(budget=budget, position=last + 1))
    _save(line)
    return line


@transaction.atomic
def budget_line_change(*, by, line: BudgetLine, **data) -> BudgetLine:
    """R-53: a manager changes a line; the fields not given keep their value."""
    require_manager(by)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    _line_values(data, current=line).apply(line)
    _save(line)
    return line


@transaction.atomic
def budget_line_remove(*, by, line: BudgetLine) -> None:
    """R-53: a manager removes a line without realised spend (with spend it is refused: the figures would lie)."""
    require_manager(by)
    if line.spend.exists():
        raise InvalidInput(MSG_LINE_HAS_SPEND, code="line_has_spend", rule=RULE)
    line.delete()


def first_of_month(value) -> date:
    day = _date(value, "month")
    if day is None:
        raise _invalid("month", MSG_DATE)
    return day.replace(day=1)


@transaction.atomic
def budget_spend_record(*, by, line: BudgetLine, month, amount_spent) -> BudgetSpend:
    """R-53: a manager records the realised spend of a line in a month (any day stands for its month); recording
    the same month again replaces the amount."""
    require_manager(by)
    month = first_of_month(month)
    value = amount(amount_spent, "amount")
    if month.year != line.budget.year:
        raise _invalid("month", MSG_MONTH_OUTSIDE_YEAR, code="month_outside_year")
    spend, created = BudgetSpend.objects.select_for_update().get_or_create(
        line=line, month=month, defaults={"amount": value, "recorded_by": by}
    )
    if not created:
        spend.amount = value
        spend.recorded_by = by
        _save(spend)
    return spend
