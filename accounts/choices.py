from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """R-01: the kinds of partner organisation in a WSP."""

    UWV = "uwv", _("UWV")
    MUNICIPALITY = "municipality", _("Municipality")
    REINTEGRATION = "reintegration", _("Reintegration body")


class Role(models.TextChoices):
    """R-01: staff roles."""

    ADVISER = "adviser", _("Adviser")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class WeightCategory(models.IntegerChoices):
    """R-51: 1 is the heaviest sector."""

    HEAVY = 1, _("1 (heaviest)")
    MEDIUM = 2, _("2")
    LIGHT = 3, _("3")
