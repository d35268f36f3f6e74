"""Reads of reporting.budgets (R-53): budgets with their lines and realised spend, the totals (income, cost,
result and the named subtotals of the ZKIJ budget), spend per month, budget burn, cost per placement and warnings for
funding that ends without cover.

`budgets_list()` states its prefetches; `with_figures(budgets)` adds everything computed for a page of budgets in
a fixed number of queries (lines, spend per month, placements per year), the same at 2 and at 200 budgets.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from reporting.measures.placements import placement_figures

from .choices import COST_KINDS, LineKind
from .models import Budget, BudgetLine, BudgetSpend

ZERO = Decimal("0.00")
WARNING_MONTHS = 3


def budgets_list() -> QuerySet[Budget]:
    """Budgets, newest year first, with their lines (organisation joined) and each line's realised spend summed."""
    lines = (
        BudgetLine.objects.select_related("organisation")
        .annotate(realised=Coalesce(Sum("spend__amount"), Value(ZERO), output_field=DecimalField()))
        .order_by("position", "id")
    )
    return Budget.objects.prefetch_related(Prefetch("lines", queryset=lines)).order_by("-year")


def cost_per_placement(spend: Decimal, placements: int) -> Decimal | None:
    """R-53: spend / placements, to the cent (Haarlem note: EUR 350,000 / 100 = EUR 3,500); None without
    placements."""
    if not placements:
        return None
    return (Decimal(spend) / placements).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def year_elapsed(year: int, today: date) -> Decimal:
    """The share of the year elapsed on `today` (days up to and including today / days in the year), 0 to 1."""
    if today.year < year:
        return Decimal("0.000")
    if today.year > year:
        return Decimal("1.000")
    days = 366 if calendar.isleap(year) else 365
    return (Decimal(today.timetuple().tm_yday) / days).quantize(Decimal("0.001"))


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return (Decimal(part) / whole).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if whole else None


def funding_warning(line: BudgetLine, today: date) -> bool:
    """R-53: the funding of a line ends within three months of today (or has already ended) while an amount is
    still not covered."""
    return bool(
        line.uncovered
        and line.uncovered > 0
        and line.funded_until is not None
        and line.funded_until <= today + relativedelta(months=WARNING_MONTHS)
    )


@dataclass
class FundingWarning:
    line: BudgetLine
    funded_until: date
    uncovered: Decimal
    ended: bool


@dataclass
class Figures:
    """R-53: the computed figures of one budget. Income = contributions + expected balance + incidental income;
    cost = personnel + other costs; result = income - cost. ZKIJ 2024: contributions 2,175,121; total income
    2,384,722; personnel 2,259,722; other costs 125,000; total cost 2,384,722; result 0."""

    contributions: Decimal = ZERO
    balance: Decimal = ZERO
    incidental_income: Decimal = ZERO
    personnel: Decimal = ZERO
    other_cost: Decimal = ZERO
    realised_cost: Decimal = ZERO
    realised_income: Decimal = ZERO
    uncovered: Decimal = ZERO
    placements: int = 0
    year_elapsed: Decimal = Decimal("0.000")
    spend_per_month: list[tuple[date, Decimal]] = field(default_factory=list)
    warnings: list[FundingWarning] = field(default_factory=list)

    @property
    def total_income(self) -> Decimal:
        return self.contributions + self.balance + self.incidental_income

    @property
    def total_cost(self) -> Decimal:
        return self.personnel + self.other_cost

    @property
    def result(self) -> Decimal:
        return self.total_income - self.total_cost

    @property
    def burn(self) -> Decimal | None:
        """Realised cost / planned cost (0 to 1 and beyond when overspent); None without planned cost."""
        return _share(self.realised_cost, self.total_cost)

    @property
    def burn_ahead(self) -> bool:
        """More of the budget burnt than of the year elapsed."""
        return self.burn is not None and self.burn > self.year_elapsed

    @property
    def cost_per_placement_basis(self) -> str:
        """`realised` spend once any is recorded; before that the `planned` cost of the year."""
        return "realised" if self.realised_cost else "planned"

    @property
    def cost_per_placement(self) -> Decimal | None:
        spend = self.realised_cost if self.realised_cost else self.total_cost
        return cost_per_placement(spend, self.placements)

    @property
    def subtotals(self) -> dict[str, Decimal]:
        return {
            "contributions": self.contributions,
            "balance": self.balance,
            "incidental_income": self.incidental_income,
            "personnel": self.personnel,
            "other_cost": self.other_cost,
        }


_KIND_TOTAL = {
    LineKind.CONTRIBUTION: "contributions",
    LineKind.BALANCE: "balance",
    LineKind.INCIDENTAL_INCOME: "incidental_income",
    LineKind.PERSONNEL: "personnel",
    LineKind.OTHER_COST: "other_cost",
}


def placements_per_year(years) -> dict[int, int]:
    """R-53: booked placements by start date per year (`reporting.measures.placements.booked_placements`), one
    query for all years (from the months the database keeps: `placement_figures`)."""
    years = sorted(set(years))
    if not years:
        return {}
    figures = placement_figures(first=date(years[0], 1, 1), last=date(years[-1], 12, 31), by=("year",))
    return {year: row["placements"] for (year,), row in figures.items() if year in years}


def spend_per_month(budgets) -> dict[int, dict[date, Decimal]]:
    """R-53: realised spend of the cost lines per budget and month, one query for all budgets."""
    rows = (
        BudgetSpend.objects.filter(line__budget__in=[b.pk for b in budgets], line__kind__in=COST_KINDS)
        .values("line__budget_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    result: dict[int, dict[date, Decimal]] = {}
    for row in rows:
        result.setdefault(row["line__budget_id"], {})[row["month"]] = row["total"]
    return result


def with_figures(budgets, *, today: date | None = None):
    """Attach `figures` (a `Figures`) to each budget of `budgets` (from `budgets_list()`, lines prefetched) and
    `burn`/`warning` to each line: two queries for any number of budgets."""
    today = today or timezone.localdate()
    budgets = list(budgets)
    placements = placements_per_year(b.year for b in budgets)
    months = spend_per_month(budgets)
    for budget in budgets:
        figures = Figures(placements=placements.get(budget.year, 0), year_elapsed=year_elapsed(budget.year, today))
        for line in budget.lines.all():
            realised = getattr(line, "realised", ZERO) or ZERO
            name = _KIND_TOTAL[line.kind]
            setattr(figures, name, getattr(figures, name) + line.planned)
            if line.kind in COST_KINDS:
                figures.realised_cost += realised
            else:
                figures.realised_income += realised
            figures.uncovered += line.uncovered
            line.burn = _share(realised, line.planned)
            line.warning = funding_warning(line, today)
            if line.warning:
                figures.warnings.append(
                    FundingWarning(
                        line=line,
                        funded_until=line.funded_until,
                        uncovered=line.uncovered,
                        ended=line.funded_until < today,
                    )
                )
        by_month = months.get(budget.pk, {})
        figures.spend_per_month = [
            (date(budget.year, month, 1), by_month.get(date(budget.year, month, 1), ZERO)) for month in range(1, 13)
        ]
        budget.figures = figures
    return budgets


def budget_for_year(year: int, *, today: date | None = None) -> Budget | None:
    """The budget of `year` with its figures, or None."""
    found = with_figures(budgets_list().filter(year=year), today=today)
    return found[0] if found else None
