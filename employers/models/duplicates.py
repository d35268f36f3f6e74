"""Likely duplicates among the current employers (R-07), kept so the managers' ownership health can count them.

Kept by `employers.services.duplicates.likely_duplicates_refresh`: for one employer whenever its name, postcode,
KvK number, merge or purge changes (a post_save receiver), and for all employers every night (Celery beat).
"""

from django.db import models
from django.db.models import F, Q

from .employers import Employer


class LikelyDuplicate(models.Model):
    """`other` is very likely the same employer as `employer` (R-07); stored both ways."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="likely_duplicates")
    other = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=4, decimal_places=3, help_text="the R-07 score, at most 1")
    found_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employer", "other"], name="%(app_label)s_%(class)s_once"),
            models.CheckConstraint(condition=~Q(employer=F("other")), name="%(app_label)s_%(class)s_not_itself"),
        ]

    def __str__(self):
        return f"{self.employer_id} ~ {self.other_id} ({self.score})"
