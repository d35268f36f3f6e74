from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationKind


class TargetGroup(models.TextChoices):
    """The target groups a candidate belongs to (glossary "doelgroep"; R-23, R-50)."""

    WW = "ww", _("WW")
    WIA = "wia", _("WIA")
    WAJONG = "wajong", _("Wajong")
    PWET = "pwet", _("P-wet")
    OEKRAINE = "oekraine", _("Ukraine")
    NUG = "nug", _("NUG")
    OTHER = "other", _("Other / unknown")

    @classmethod
    def uwv_groups(cls) -> frozenset[str]:
        """R-23: UWV staff book these; municipal staff book the others."""
        return frozenset({cls.WW, cls.WIA, cls.WAJONG})

    @classmethod
    def may_book(cls, target_group: str, organisation_kind: str) -> bool:
        """R-23: UWV books UWV groups; municipalities (and their reintegration bodies) book municipal groups.

        "Other / unknown" belongs to no side, so either may book it.
        """
        if target_group == cls.OTHER:
            return True
        is_uwv_group = target_group in cls.uwv_groups()
        return is_uwv_group == (organisation_kind == OrganisationKind.UWV)


class CandidateStatus(models.TextChoices):
    AVAILABLE = "available", _("Available for mediation")
    PLACED = "placed", _("Placed")
    INACTIVE = "inactive", _("Inactive")


class ReferralStatus(models.TextChoices):
    """R-21, R-43: the stages of a referral; each change is timestamped in the register. A hire that fell through
    (the candidate never started) is withdrawn while no placement is booked for it
    (`matching.services.referrals.referral_set_status`)."""

    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def transitions(cls) -> dict[str, frozenset[str]]:
        return {
            cls.PROPOSED: frozenset({cls.INVITED, cls.HIRED, cls.REJECTED, cls.WITHDRAWN}),
            cls.INVITED: frozenset({cls.HIRED, cls.REJECTED, cls.WITHDRAWN}),
            cls.HIRED: frozenset({cls.WITHDRAWN}),
            cls.REJECTED: frozenset(),
            cls.WITHDRAWN: frozenset(),
        }

    @classmethod
    def active(cls) -> frozenset[str]:
        return frozenset({cls.PROPOSED, cls.INVITED})


class RejectionReason(models.TextChoices):
    """Why the employer said no; feeds the funnel analysis (R-43)."""

    SKILLS = "skills", _("Skills or experience do not fit")
    MOTIVATION = "motivation", _("Motivation")
    AVAILABILITY = "availability", _("Hours or availability")
    DISTANCE = "distance", _("Travel distance")
    OTHER_CANDIDATE = "other_candidate", _("Another candidate was chosen")
    NO_SHOW = "no_show", _("Did not show up")
    OTHER = "other", _("Other")


class PlacementType(models.TextChoices):
    """R-54: placements are typed."""

    PERMANENT = "permanent", _("Permanent contract")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    SECONDMENT = "secondment", _("Secondment")
    FLEX = "flex", _("Flex / temporary agency")
    SELF_EMPLOYED = "self_employed", _("Self-employed")


class PlacementStatus(models.TextChoices):
    """A booked placement is corrected or cancelled with a reason, never deleted."""

    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
