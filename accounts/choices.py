from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """R-01: the kinds of partner organisation in a WSP."""

    UWV = "uwv", _("UWV")
    MUNICIPALITY = "municipality", _("Municipality")
    REINTEGRATION = "reintegration", _("Reintegration body")


class Role(models.TextChoices):
    """R-01: staff roles."""

    ADVISER = "adviser", _("Adviser")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class WeightCategory(models.IntegerChoices):
    """R-51: 1 is the heaviest sector."""

    HEAVY = 1, _("1 (heaviest)")
    MEDIUM = 2, _("2")
    LIGHT = 3, _("3")


class NotificationKind(models.TextChoices):
    """What a notice on a staff member's home page is about; each can also go out by e-mail."""

    PLACEMENT_TO_BOOK = "placement_to_book", _("Placement to book")
    VACANCY_HANDED_OVER = "vacancy_handed_over", _("Vacancy handed over")
    VACANCY_OFFERED = "vacancy_offered", _("Vacancy offered to chain partners")
    CANDIDATE_HIRED = "candidate_hired", _("Candidate hired")
    AFTERCARE_DUE = "aftercare_due", _("Aftercare due")
    WEEKLY_OVERVIEW = "weekly_overview", _("Weekly overview of work-ready candidates")
    EMPLOYER_TAKEN_OVER = "employer_taken_over", _("Employer taken over")
    VACANCY_EXPIRING = "vacancy_expiring", _("Vacancies expiring soon")
    WORKLIST = "worklist", _("Worklist for the day")
    OTHER = "other", _("Notice")
