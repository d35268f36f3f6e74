"""Choices of reporting.projects: the kinds of events (issue 8 point 6, R-19) and the channels of reach."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """R-19: recruitment plans use job fairs, speed meets and meet & match; API.md `events/` kind."""

    JOB_FAIR = "job_fair", _("Job fair")
    SPEED_MEET = "speed_meet", _("Speed meet")
    MEET_AND_MATCH = "meet_and_match", _("Meet & match")
    INFORMATION = "information", _("Information session")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    """ZKIJ plan 3.4 and 5.3: the communication channels whose reach managers enter per quarter."""

    WEBSITE = "website", _("Website")
    NEWSLETTER = "newsletter", _("Newsletter")
    LINKEDIN = "linkedin", _("LinkedIn")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    PRESS = "press", _("Press and media")
    EVENTS = "events", _("Events")
    OTHER = "other", _("Other")
