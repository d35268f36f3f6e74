"""Merges of duplicate records (R-07) and what purged employers still count (R-09, R-57)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from accounts.models import Sector
from employers.choices import EmployerType, SizeClass

from .employers import Employer


class EmployerMerge(models.Model):
    """A merge of a duplicate employer record into the record that is kept; keeps a snapshot (R-07)."""

    kept = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="merges")
    merged = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="the merged record's fields at the time of the merge"
    )
    moved = models.JSONField(default=dict, help_text="how many related rows moved, per kind")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at"]
        constraints = [
            models.UniqueConstraint(fields=["merged"], name="%(app_label)s_%(class)s_merged_once"),
        ]

    def __str__(self):
        return f"{self.merged_id} -> {self.kept_id}"


class PurgedEmployerTally(models.Model):
    """What deleted ceased employers contributed to the figures (R-09, R-57): counts survive, records do not.

    Employers with vacancies are not deleted but anonymised (`Employer.purged_at`): their records still count.
    """

    year_ceased = models.PositiveSmallIntegerField()
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    municipality = models.CharField(max_length=100, blank=True)
    employer_type = models.CharField(max_length=12, choices=EmployerType.choices)
    size_class = models.CharField(max_length=10, choices=SizeClass.choices)
    employers = models.PositiveIntegerField(default=0)
    contact_moments = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    # contact requests (and how many were answered within 24 hours) and feedback (count and the sum of
    # the scores, so an average over tallies and records stays exact).
    contact_requests = models.PositiveIntegerField(default=0, db_default=0)
    contact_requests_within_24h = models.PositiveIntegerField(default=0, db_default=0)
    feedback = models.PositiveIntegerField(default=0, db_default=0)
    feedback_score_sum = models.PositiveIntegerField(default=0, db_default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year_ceased", "sector", "municipality", "employer_type", "size_class"],
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_one_row_per_group",
            ),
        ]

    def __str__(self):
        return f"{self.year_ceased} {self.municipality} {self.size_class}: {self.employers}"
