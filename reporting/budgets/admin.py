"""Admin of reporting.budgets (R-53): read-mostly views for administrators; writes belong in the services."""

from django.contrib import admin

from .models import Budget, BudgetLine, BudgetSpend


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["position", "kind", "label", "organisation", "planned", "funded_from", "funded_until", "uncovered"]
    readonly_fields = fields
    can_delete = False


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "title"]
    inlines = [BudgetLineInline]


@admin.register(BudgetSpend)
class BudgetSpendAdmin(admin.ModelAdmin):
    list_display = ["line", "month", "amount"]
    list_filter = ["line__budget__year"]
    list_select_related = ["line"]
