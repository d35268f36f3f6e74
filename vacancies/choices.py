from django.db import models
from django.utils.translation import gettext_lazy as _


class SkillKind(models.TextChoices):
    """R-42: the shared vocabulary holds occupations, concrete skills and competences."""

    OCCUPATION = "occupation", _("Occupation")
    SKILL = "skill", _("Skill")
    COMPETENCE = "competence", _("Competence")


class Visibility(models.TextChoices):
    """R-16: who sees a vacancy and whether candidates may still be referred to it."""

    OPEN = "open", _("Open (public, employer's contact details)")
    ANONYMOUS = "anonymous", _("Anonymous (public, owner's contact details)")
    INTERNAL = "internal", _("Internal (staff only)")
    BLOCKED = "blocked", _("Blocked (no new referrals)")


class VacancyStatus(models.TextChoices):
    """The lifecycle of a vacancy: open until filled with placements, closed otherwise, or expired when stale."""

    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class CloseReason(models.TextChoices):
    """Why a vacancy was closed without (or after part of) its placements; "placement" needs reciprocity (R-22)."""

    PLACEMENT = "placement", _("Filled through our placements")
    FILLED_ELSEWHERE = "filled_elsewhere", _("Filled by the employer elsewhere")
    WITHDRAWN = "withdrawn", _("Withdrawn by the employer")
    NO_CANDIDATES = "no_candidates", _("No suitable candidates")
    OTHER = "other", _("Other")


class TargetGroupFlag(models.TextChoices):
    """R-14: the target-group ticks of a vacancy. R-15: only such vacancies may set age requirements."""

    JOB_AGREEMENT = "job_agreement", _("Job agreement (banenafspraak)")
    WAJONG = "wajong", _("Wajong")
    WELFARE_SUBSIDY = "welfare_subsidy", _("Welfare / wage subsidy (P-wet)")
    YOUTH = "youth", _("Youth")
    OVER_50 = "over_50", _("50+")
    STATUS_HOLDER = "status_holder", _("Status holders / Ukraine")


class VacancySource(models.TextChoices):
    """How the employer's recruitment request came in (R-22: the request half of reciprocity)."""

    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("Company visit")
    WEBSITE = "website", _("Website / werk.nl")
    EVENT = "event", _("Event")


class HandoverReason(models.TextChoices):
    """Why the ownership of a vacancy moved (R-13, R-24)."""

    CHAIN_PARTNER = "chain_partner", _("Handed to a chain partner (R-13)")
    PARTNER_HIRED = "partner_hired", _("Chain partner's candidate hired on a single position (R-24)")
    TAKEOVER = "takeover", _("Taken over by a colleague")


class RecruitmentActivity(models.TextChoices):
    """R-19: how a co-production recruits."""

    SPEED_MEET = "speed_meet", _("Speed meet")
    JOB_FAIR = "job_fair", _("Job fair")
    INFORMATION_MEETING = "information_meeting", _("Information meeting")
    PRE_SELECTION = "pre_selection", _("Pre-selection by the partners")
    TRAINING = "training", _("Training programme")
