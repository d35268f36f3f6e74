"""Account holders next to the main account holder, and the admission requests that make them (R-04)."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from employers.choices import AccessRequestStatus, AccountHolderVia

from .employers import Employer


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), model_name="AccountHolderEvent")
class AccountHolder(models.Model):
    """An adviser admitted to an employer next to its main account holder (R-04)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="account_holders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="held_employers")
    via = models.CharField(max_length=20, choices=AccountHolderVia.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("account holder")
        verbose_name_plural = _("account holders")
        constraints = [
            models.UniqueConstraint(fields=["employer", "user"], name="%(app_label)s_%(class)s_once_per_employer"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.employer}"


class AccessRequest(models.Model):
    """A request by an adviser to be admitted to an employer, answered by its main account holder (R-04)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests")
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("admission request")
        verbose_name_plural = _("admission requests")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "requester"],
                condition=Q(status=AccessRequestStatus.PENDING),
                name="%(app_label)s_%(class)s_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status=AccessRequestStatus.PENDING, decided_at__isnull=True)
                | ~Q(status=AccessRequestStatus.PENDING) & Q(decided_at__isnull=False, decided_by__isnull=False),
                name="%(app_label)s_%(class)s_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.requester} -> {self.employer}"
