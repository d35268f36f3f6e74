"""Budgets in the admin for looking up only (R-53): managers enter them in the browser and the API, through the
services, so the rules on amounts, funding periods and spend hold on every path."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Budget, BudgetLine, BudgetSpend


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["position", "kind", "label", "organisation", "planned", "funded_from", "funded_until", "uncovered"]
    readonly_fields = fields


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["year", "title"]
    inlines = [BudgetLineInline]


@admin.register(BudgetSpend)
class BudgetSpendAdmin(ReadOnlyAdmin):
    list_display = ["line", "month", "amount"]
    list_filter = ["line__budget__year"]
    list_select_related = ["line"]
