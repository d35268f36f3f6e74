from django.db import models
from django.utils.translation import gettext_lazy as _


class FactsheetStatus(models.TextChoices):
    """R-55, R-57: a factsheet is requested, built by a worker, and once published it never changes."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")
