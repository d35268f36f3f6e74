"""Targets and their changes (R-50, R-51) and the region's employer counts per sector for coverage (R-52)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Sector
from matching.choices import TargetGroup

from .choices import Measure, TargetKey

# exactly one key. A target group or a sector target belongs to a partner organisation; an adviser's
# (or account manager's) result agreement belongs to that person alone.
KEY_TARGET_GROUP = Q(organisation__isnull=False, sector__isnull=True, adviser__isnull=True) & ~Q(target_group="")
KEY_SECTOR = Q(organisation__isnull=False, sector__isnull=False, adviser__isnull=True, target_group="")
KEY_ADVISER = Q(organisation__isnull=True, sector__isnull=True, adviser__isnull=False, target_group="")


class TargetQuerySet(models.QuerySet):
    def for_list(self):
        """The columns a list shows: organisation, sector and adviser joined, the changes in one more query."""
        return self.select_related("organisation", "sector", "adviser").prefetch_related("changes")


class Target(models.Model):
    """A target for one year and measure, for one key (R-50, R-51): an organisation and target group (ZKIJ 2024:
    Wajong 35, WIA 35, WW 160, P-wet 175, Oekraine 75, other 50), an organisation and sector (the Haaglanden
    matrix), or an adviser / account manager (result agreements). One target per year x measure x key (a
    UniqueConstraint with NULLS NOT DISTINCT); the target is never negative. Every change is a `TargetChange`."""

    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    target_group = models.CharField(_("target group"), max_length=10, choices=TargetGroup.choices, blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sector")
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adviser or account manager"),
    )
    target = models.DecimalField(_("target"), max_digits=9, decimal_places=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "measure", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "measure", "organisation", "target_group", "sector", "adviser"],
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_r50_one_per_key",
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="%(app_label)s_%(class)s_r50_target_not_negative"),
            models.CheckConstraint(
                condition=KEY_TARGET_GROUP | KEY_SECTOR | KEY_ADVISER, name="%(app_label)s_%(class)s_r50_one_key"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="%(app_label)s_%(class)s_r50_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_measure_display()} {self.key_label}"

    @property
    def key(self) -> str:
        if self.adviser_id:
            return TargetKey.ADVISER
        if self.sector_id:
            return TargetKey.SECTOR
        return TargetKey.TARGET_GROUP

    @property
    def key_label(self) -> str:
        if self.adviser_id:
            return str(self.adviser)
        second = self.sector.name if self.sector_id else self.get_target_group_display()
        return f"{self.organisation} / {second}"


class TargetChange(models.Model):
    """A change of a target with its date, old and new value, reason and who made it (R-50: target changes are kept
    with date and reason; the reason is required, in the database too)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("date"), auto_now_add=True)
    old = models.DecimalField(_("old target"), max_digits=9, decimal_places=1)
    new = models.DecimalField(_("new target"), max_digits=9, decimal_places=1)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="%(app_label)s_%(class)s_r50_reason_required"),
            models.CheckConstraint(condition=Q(new__gte=0), name="%(app_label)s_%(class)s_r50_new_not_negative"),
        ]

    def __str__(self):
        return f"{self.old} -> {self.new}: {self.reason}"


class SectorEmployerCount(models.Model):
    """R-52: the number of employers with 10 or more staff in the region for one sector and year, entered by a
    manager with its source; the denominator of the coverage ratio. `ambition` is the coverage ratio the sector's
    lead partner aims at (seed 002: "De trekkers van de sectorgroepen formuleren ... een ambitie"), a share 0..1."""

    year = models.PositiveSmallIntegerField(_("year"))
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector"))
    employers_10_plus = models.PositiveIntegerField(_("employers with 10 or more staff"))
    source = models.TextField(_("source"), blank=True)
    ambition = models.DecimalField(_("coverage ambition"), max_digits=4, decimal_places=3, null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "sector__name"]
        verbose_name = _("employer count per sector")
        verbose_name_plural = _("employer counts per sector")
        constraints = [
            models.UniqueConstraint(fields=["year", "sector"], name="%(app_label)s_%(class)s_r52_one_per_year"),
            models.CheckConstraint(
                condition=Q(employers_10_plus__gte=0), name="%(app_label)s_%(class)s_r52_count_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(ambition__isnull=True) | Q(ambition__gte=0, ambition__lte=1),
                name="%(app_label)s_%(class)s_r52_ambition_share",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.sector}: {self.employers_10_plus}"
