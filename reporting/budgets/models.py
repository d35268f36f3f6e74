"""Models of reporting.budgets (R-53): a region's budget of a year, its income and cost lines with their funding
periods and the amount still uncovered, and the realised spend per line and month. Amounts in euros."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import COST_KINDS, LineKind

AMOUNT = {"max_digits": 12, "decimal_places": 2}


class Budget(models.Model):
    """R-53: the budget of one year (one per year), e.g. "Begroting WSP 2024" of ZKIJ (seed 000, chapter 4)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["year"], name="%(app_label)s_%(class)s_r53_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="%(app_label)s_%(class)s_r53_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.year)


class BudgetLine(models.Model):
    """R-53: one line of a budget: income (partner contribution, incidental income, expected balance) or cost
    (personnel per partner, other costs), with its planned amount, the funding period where the funding ends
    ("covered until 1 September 2024") and the amount still not covered."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("budget"))
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    label = models.CharField(_("label"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("organisation"),
    )
    planned = models.DecimalField(_("planned"), **AMOUNT)
    funded_from = models.DateField(_("funded from"), null=True, blank=True)
    funded_until = models.DateField(_("funded until"), null=True, blank=True)
    uncovered = models.DecimalField(_("still uncovered"), default=0, **AMOUNT)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["budget", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned__gte=0), name="%(app_label)s_%(class)s_r53_planned_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(uncovered__gte=0), name="%(app_label)s_%(class)s_r53_uncovered_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(funded_from__isnull=True)
                | Q(funded_until__isnull=True)
                | Q(funded_until__gte=F("funded_from")),
                name="%(app_label)s_%(class)s_r53_funding_period",
            ),
            models.CheckConstraint(condition=Q(kind__in=LineKind.values), name="%(app_label)s_%(class)s_r53_kind"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_cost(self) -> bool:
        return self.kind in COST_KINDS


class BudgetSpend(models.Model):
    """R-53: the realised spend of a budget line in one month (the first day of the month), one row per line and
    month."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="spend", verbose_name=_("line"))
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["line", "month"]
        verbose_name = _("realised spend")
        verbose_name_plural = _("realised spend")
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="%(app_label)s_%(class)s_r53_one_per_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="%(app_label)s_%(class)s_r53_amount_not_negative"),
            models.CheckConstraint(condition=Q(month__day=1), name="%(app_label)s_%(class)s_r53_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month:%Y-%m}"
