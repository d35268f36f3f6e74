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
