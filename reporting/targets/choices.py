"""Choices of reporting.targets (R-50, R-51)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """R-50: what a target counts; each measure is one queryset function in `reporting.targets.measures`."""

    PLACEMENTS = "placements", _("Placements")
    DURABLE = "durable", _("Durable placements")
    JOB_AGREEMENT_JOBS = "job_agreement_jobs", _("Job-agreement jobs")
    NEW_EMPLOYERS = "new_employers", _("New employers")
    VISITS = "visits", _("Company visits")


class TargetStatus(models.TextChoices):
    """R-50: forecast against target: on track (forecast >= target), at risk (>= 90%), behind (otherwise)."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BEHIND = "behind", _("Behind")


class TargetKey(models.TextChoices):
    """R-50, R-51: what a target is set for."""

    TARGET_GROUP = "target_group", _("Organisation and target group")
    SECTOR = "sector", _("Organisation and sector")
    ADVISER = "adviser", _("Adviser or account manager")
