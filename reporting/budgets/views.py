"""Browser page of reporting.budgets (R-53): the budget of a year for managers: income, costs and result, per line
planned, realised, burn, funding end and the amount still uncovered, the funding warnings first, and a form to
record the realised spend of a line in a month. Thin: reads through `selectors`, writes through `services`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import manager_required
from wsp.errors import DomainError

from . import selectors, services
from .choices import LineKind
from .forms import SpendForm, YearForm
from .models import Budget

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
                messages.error(request, str(refused.detail))
            else:
                messages.success(request, _("The realised spend has been saved."))
                return redirect(f"{reverse('budgets')}?year={year}")
    context = {
        "filters": filters,
        "year": year,
        "years": list(Budget.objects.order_by("-year").values_list("year", flat=True)),
        "budget": budget,
        "form": form,
    }
    if budget:
        context.update(
            figures=budget.figures,
            income=_groups(budget, INCOME),
            costs=_groups(budget, COSTS),
            months=[(month, amount) for month, amount in budget.figures.spend_per_month],
        )
    return render(request, "reporting/budgets/budget.html", context)
