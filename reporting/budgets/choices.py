"""Choices of reporting.budgets (R-53)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LineKind(models.TextChoices):
    """R-53: a budget line is income (contribution, incidental income, the expected out-of-pocket balance carried
    over) or cost (personnel, other costs)."""

    CONTRIBUTION = "contribution", _("Partner contribution")
    INCIDENTAL_INCOME = "incidental_income", _("Incidental income")
    BALANCE = "balance", _("Expected out-of-pocket balance")
    PERSONNEL = "personnel", _("Personnel costs")
    OTHER_COST = "other_cost", _("Other costs")


INCOME_KINDS = (LineKind.CONTRIBUTION, LineKind.BALANCE, LineKind.INCIDENTAL_INCOME)
COST_KINDS = (LineKind.PERSONNEL, LineKind.OTHER_COST)
