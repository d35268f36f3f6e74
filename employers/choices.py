from django.db import models
from django.utils.translation import gettext_lazy as _


class EmployerType(models.TextChoices):
    """R-08a, R-31: market and government employers are counted apart."""

    MARKET = "market", _("Market")
    GOVERNMENT = "government", _("Government")


class EmployerStatus(models.TextChoices):
    """R-09: an employer that stops trading is ceased."""

    ACTIVE = "active", _("Active")
    CEASED = "ceased", _("Ceased")


class SizeClass(models.TextChoices):
    """R-08a, R-52: size class by staff count; coverage counts employers with 10 or more staff."""

    UNKNOWN = "unknown", _("Unknown")
    MICRO = "1-9", _("1-9 staff")
    SMALL = "10-49", _("10-49 staff")
    MEDIUM = "50-249", _("50-249 staff")
    LARGE = "250+", _("250 or more staff")

    @classmethod
    def for_staff_count(cls, staff_count: int | None) -> "SizeClass":
        if staff_count is None:
            return cls.UNKNOWN
        if staff_count < 10:
            return cls.MICRO
        if staff_count < 50:
            return cls.SMALL
        if staff_count < 250:
            return cls.MEDIUM
        return cls.LARGE


class ContactKind(models.TextChoices):
    """R-08: kinds of contact moment; a visit carries a report."""

    VISIT = "visit", _("Company visit")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class AccessRequestStatus(models.TextChoices):
    """R-04: admission requests to the main account holder."""

    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class AccountHolderVia(models.TextChoices):
    ACCESS_REQUEST = "access_request", _("Admission request")
    OWNERSHIP_CHANGE = "ownership_change", _("Former main account holder")
    MERGE = "merge", _("Merge of employer records")
    HANDOVER = "handover", _("Handover by a chain partner")
    MANUAL = "manual", _("Added by a manager")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEBSITE = "website", _("Website form")
    OTHER = "other", _("Other")


class FeedbackSource(models.TextChoices):
    DIRECT_FEEDBACK = "direct_feedback", _("Direct-Feedback")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")


class LastContactSource(models.TextChoices):
    """R-05: which entry set an employer's `last_contact_at`, so the employer page can say why the 12 months run.

    Contact is what the main account holder or an admitted account holder registered or changed; entering the
    employer, a takeover, a reassignment and an agreed ownership move start the new main account holder's 12 months.
    """

    ENTERED = "entered", _("Employer entered")
    VISIT = "visit", _("Company visit")
    CONTACT_MOMENT = "contact_moment", _("Contact moment")
    VACANCY = "vacancy", _("Vacancy reported")
    RECORD_CHANGE = "record_change", _("Employer record changed")
    CONTACT_RESPONSE = "contact_response", _("Contact request answered")
    TAKEOVER = "takeover", _("Taken over as main account holder")
    REASSIGNMENT = "reassignment", _("Reassigned by a manager")
    OWNERSHIP_CHANGE = "ownership_change", _("Ownership moved by agreement")


class Instrument(models.TextChoices):
    """R-33: the instruments and subsidies the WSP advises on with a placement or in a contact, and may apply
    (ZKIJ plan 3.2 and Bijlage 1). One list for contact moments and placements; counted in the factsheet."""

    WAGE_COST_SUBSIDY = "lks", _("Wage cost subsidy and wage dispensation (LKS)")
    FLAT_RATE_LKS = "lks_flat_rate", _("Flat-rate LKS / practical route")
    NO_RISK_POLICY = "no_risk_policy", _("No-risk policy")
    LIV = "liv", _("LIV (low-income benefit)")
    LKV = "lkv", _("LKV (wage cost benefit)")
    TRIAL_PLACEMENT = "trial_placement", _("Trial placement")
    JOB_COACHING = "job_coaching", _("Job coaching")
    WORKPLACE_ADAPTATION = "workplace_adaptation", _("Workplace adaptation (technological inclusion)")
    SROI = "sroi", _("SROI (social return)")
    TRAINING = "training", _("Training on the job")
    JOB_CARVING = "job_carving", _("Job carving / job creation")
    PRACTICAL_LEARNING = "practical_learning", _("Practical learning")
    OPEN_HIRING = "open_hiring", _("Open Hiring")
