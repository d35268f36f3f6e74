"""The quarterly factsheet (R-55, R-56) and its figures, frozen at publication (R-57)."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import FactsheetStatus


class RecordIdsField(ArrayField):
    """The ids of the records a figure counted (R-57), written as one array literal that PostgreSQL's array input
    parses, instead of psycopg2's ARRAY[...] expression with one element per id: a factsheet's 800,000 ids take
    0.9 s to write instead of 2.1 s."""

    def __init__(self, **kwargs):
        kwargs["base_field"] = models.BigIntegerField()
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("base_field", None)
        return name, path, args, kwargs

    def get_db_prep_save(self, value, connection):
        if isinstance(value, list | tuple):
            return "{" + ",".join(str(int(record_id)) for record_id in value) + "}"
        return super().get_db_prep_save(value, connection)

    def get_placeholder(self, value, compiler, connection):
        return "%s::bigint[]"


# a published factsheet and its figures are never changed or deleted, on any path (also a bulk update or the
# shell): the database refuses it.
_PUBLISHED_IS_FINAL = """
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'R-57: a published factsheet is never changed; publish a new version'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'factsheets_factsheet_published_is_final';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
"""
_PART_OF_PUBLISHED_IS_FINAL = """
    IF EXISTS (SELECT 1 FROM factsheets_factsheet f
                WHERE f.id IN (OLD.factsheet_id, NEW.factsheet_id) AND f.status = 'published') THEN
        RAISE EXCEPTION 'R-57: the figures and texts of a published factsheet are never changed'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'factsheets_{part}_published_is_final';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
"""


class Factsheet(models.Model):
    """One version of a quarter's factsheet (R-55). Built by a Celery task from the measures; published once, then
    immutable (R-57): a correction is a new version with a change note."""

    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    version = models.PositiveIntegerField(_("version"), default=1)
    is_draft = models.BooleanField(_("draft"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=FactsheetStatus.choices, default="queued")
    change_note = models.TextField(_("change note"), blank=True)
    error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    built_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-year", "-quarter", "-version"]
        verbose_name = _("factsheet")
        verbose_name_plural = _("factsheets")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "version"], name="%(app_label)s_%(class)s_one_version"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="%(app_label)s_%(class)s_quarter"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="%(app_label)s_%(class)s_year"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, is_draft=False),
                name="%(app_label)s_%(class)s_published_has_a_moment",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="published_is_final",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=_PUBLISHED_IS_FINAL,
            )
        ]

    def __str__(self):
        return f"{self.year}-Q{self.quarter} v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"


class FactsheetFigure(models.Model):
    """A figure of a factsheet with the ids of the records it counted and how it was computed (R-57): a measure of
    `reporting.measures.registry` over the quarter (or the year to date), as one number or one cell of a grouping
    (`group_by`, `group_key`), with the target or base it was held against as they stood when it was built."""

    factsheet = models.ForeignKey(Factsheet, on_delete=models.PROTECT, related_name="figures")
    key = models.SlugField(_("figure"), max_length=120)
    section = models.CharField(_("section"), max_length=60)
    measure = models.SlugField(_("measure"), max_length=60, blank=True)
    year_to_date = models.BooleanField(_("year to date"), default=False)
    group_by = models.CharField(_("grouped by"), max_length=30, blank=True)
    group_key = models.CharField(_("group"), max_length=100, blank=True)
    group_label = models.CharField(_("group"), max_length=200, blank=True)
    label = models.CharField(_("label"), max_length=200)
    rule = models.CharField(max_length=10, blank=True)
    unit = models.CharField(max_length=10, default="count")
    private = models.BooleanField(default=False)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3, null=True, blank=True)
    base = models.DecimalField(_("out of"), max_digits=14, decimal_places=3, null=True, blank=True)
    record_ids = RecordIdsField(default=list, blank=True)
    computed_as = models.TextField(_("computed as"), blank=True)

    class Meta:
        ordering = ["factsheet", "id"]
        constraints = [
            models.UniqueConstraint(fields=["factsheet", "key"], name="%(app_label)s_%(class)s_one_per_key"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="figure_of_published_is_final",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=_PART_OF_PUBLISHED_IS_FINAL.replace("{part}", "figure"),
            )
        ]

    def __str__(self):
        return f"{self.factsheet} {self.key} = {self.value}"

    @property
    def share(self):
        """The value as a share of its base (coverage: in contact / employers with 10+ staff), or None."""
        return self.value / self.base if self.base else None

    @property
    def listable(self) -> bool:
        """R-11: a private figure's records are never listed; a ratio has no records of its own."""
        return bool(self.measure) and not self.private


class FactsheetSection(models.Model):
    """A section's explanation, written by a manager before publishing (R-55: figures with explanation); frozen with
    the factsheet (R-57)."""

    factsheet = models.ForeignKey(Factsheet, on_delete=models.PROTECT, related_name="sections")
    key = models.SlugField(_("section"), max_length=60)
    explanation = models.TextField(_("explanation"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["factsheet", "id"]
        verbose_name = _("factsheet section")
        constraints = [
            models.UniqueConstraint(fields=["factsheet", "key"], name="%(app_label)s_%(class)s_one_per_key"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="section_of_published_is_final",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=_PART_OF_PUBLISHED_IS_FINAL.replace("{part}", "section"),
            )
        ]

    def __str__(self):
        return f"{self.factsheet} {self.key}"
