"""An employer's feedback on an adviser (R-11)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employers.choices import FeedbackSource

from .employers import Employer


class EmployerFeedback(models.Model):
    """Feedback of an employer on an adviser ("Direct-Feedback"), scored 0-10.

    R-11: visible only to the adviser it concerns; managers see aggregates of 5 or more responses from 3 or more
    advisers only. Deliberately not in the employer's audit trail, which every staff member can read. It comes in
    from the survey tool (API) or a file; `external_id` (the survey tool's answer id) makes a re-sent answer count
    once. `registered_by` is who brought it in (empty for rows from before it was recorded and for the demo);
    `registered_by_manager` says, as it was at that moment, whether a manager brought it in by hand: those rows
    never count in the managers' aggregates, or a manager could add answers of their own and read a single
    adviser's hidden score from the difference.
    """

    SCORE_MIN, SCORE_MAX = 0, 10

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="feedback")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=FeedbackSource.choices, default=FeedbackSource.DIRECT_FEEDBACK
    )
    received_at = models.DateTimeField(_("received at"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="", db_default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    registered_by_manager = models.BooleanField(default=False, db_default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("employer feedback")
        verbose_name_plural = _("employer feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=10), name="%(app_label)s_%(class)s_score_range"
            ),
            # a re-sent survey answer is stored once.
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="%(app_label)s_%(class)s_external_id_once",
            ),
        ]
        indexes = [models.Index(name="feedback_adviser", fields=["adviser", "-received_at"])]

    def __str__(self):
        return f"{self.score}/10 {self.employer}"
