"""Browser pages of reporting.budgets (R-53), for managers: the budget of a year (income, costs and result, per line
planned, realised, burn, funding end and the amount still uncovered, the funding warnings first) with a form to
record the realised spend of a line in a month; a new budget for a year; adding, changing and removing a line.
Thin: reads through `selectors`, writes through `services`; a refusal shows the service's message on the form and
changes nothing."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import manager_required
from wsp.errors import DomainError

from . import selectors, services
from .choices import LineKind
from .forms import BudgetCreateForm, BudgetLineForm, SpendForm, YearForm
from .models import Budget, BudgetLine

INCOME = (LineKind.CONTRIBUTION, LineKind.BALANCE, LineKind.INCIDENTAL_INCOME)
COSTS = (LineKind.PERSONNEL, LineKind.OTHER_COST)


def _groups(budget, kinds):
    labels = dict(LineKind.choices)
    lines = list(budget.lines.all())
    groups = []
    for kind in kinds:
        items = [line for line in lines if line.kind == kind]
        if items:
            groups.append({"label": labels[kind], "lines": items, "total": sum(line.planned for line in items)})
    return groups


def _refused(form, refused: DomainError) -> None:
    """Put the service's messages on the form fields they concern; anything else above the form."""
    placed = False
    for name, problems in (refused.fields or {}).items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, str(problem))
            placed = True
    if not placed:
        form.add_error(None, str(refused.detail))


def _budget_url(year: int) -> str:
    return f"{reverse('budgets')}?year={year}"


@manager_required
@require_http_methods(["GET", "POST"])
def budgets(request):
    """R-53: the budget of a year (`?year=`, default this year) with its figures; POST records monthly spend."""
    filters = YearForm(request.GET or None)
    year = filters.year_or_now()
    today = timezone.localdate()
    budget = selectors.budget_for_year(year, today=today)
    form = SpendForm(budget=budget) if budget else None
    if budget and request.method == "POST":
        form = SpendForm(request.POST, budget=budget)
        if form.is_valid():
            try:
                services.budget_spend_record(
                    by=request.user,
                    line=form.cleaned_data["line"],
                    month=form.cleaned_data["month"],
                    amount_spent=form.cleaned_data["amount"],
                )
            except DomainError as refused:
                _refused(form, refused)
            else:
                messages.success(request, _("The realised spend has been saved."))
                return redirect(_budget_url(year))
    context = {
        "filters": filters,
        "year": year,
        "years": list(Budget.objects.order_by("-year").values_list("year", flat=True)),
        "budget": budget,
        "form": form,
        "new_budget_url": f"{reverse('budget-create')}?year={year}",
    }
    if budget:
        context.update(
            figures=budget.figures,
            income=_groups(budget, INCOME),
            costs=_groups(budget, COSTS),
            months=[(month, amount) for month, amount in budget.figures.spend_per_month],
        )
    return render(request, "reporting/budgets/budget.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def budget_create(request):
    """R-53: a manager creates the budget of a year (one per year: a second one is refused)."""
    year = YearForm(request.GET or None).year_or_now()
    form = BudgetCreateForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_create(by=request.user, **form.cleaned_data)
        except DomainError as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The budget has been created; add its lines now."))
            return redirect(_budget_url(budget.year))
    return render(request, "reporting/budgets/budget_form.html", {"form": form, "years": _years()})


def _years() -> list[int]:
    return list(Budget.objects.order_by("-year").values_list("year", flat=True))


@manager_required
@require_http_methods(["GET", "POST"])
def line_add(request, pk: int):
    """R-53: a manager adds a line at the end of a budget."""
    budget = get_object_or_404(Budget, pk=pk)
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_add(by=request.user, budget=budget, **form.service_data())
        except DomainError as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The budget line has been added."))
            return redirect(_budget_url(budget.year))
    return render(request, "reporting/budgets/line_form.html", {"form": form, "budget": budget, "line": None})


def _line(pk: int) -> BudgetLine:
    return get_object_or_404(BudgetLine.objects.select_related("budget", "organisation"), pk=pk)


@manager_required
@require_http_methods(["GET", "POST"])
def line_change(request, pk: int):
    """R-53: a manager changes a line (every field of the form is written)."""
    line = _line(pk)
    initial = {name: getattr(line, name) for name in services.LINE_FIELDS}
    form = BudgetLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_change(by=request.user, line=line, **form.service_data())
        except DomainError as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The budget line has been changed."))
            return redirect(_budget_url(line.budget.year))
    return render(request, "reporting/budgets/line_form.html", {"form": form, "budget": line.budget, "line": line})


@manager_required
@require_http_methods(["GET", "POST"])
def line_remove(request, pk: int):
    """R-53: a manager removes a line after confirming (GET asks, POST removes); a line with realised spend stays."""
    line = _line(pk)
    has_spend = line.spend.exists()
    refusal = None
    if request.method == "POST":
        try:
            services.budget_line_remove(by=request.user, line=line)
        except DomainError as refused:
            refusal = str(refused.detail)
        else:
            messages.success(request, _("The budget line has been removed."))
            return redirect(_budget_url(line.budget.year))
    return render(
        request,
        "reporting/budgets/line_confirm_remove.html",
        {"line": line, "budget": line.budget, "has_spend": has_spend, "refusal": refusal},
    )
