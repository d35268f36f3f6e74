"""Nightly monitoring (issue 8 point 10): each person's worklist for the day, as a notice on their home page and, for
who asked for it, an e-mail digest.

What is on it, counted for everyone in one grouped query per item (never a query per person):
- employers of their caseload nearing 12 months without contact (R-05: takeover is allowed after that);
- contact requests of their employers not answered within 24 hours (R-10);
- admission requests to their employers waiting for an answer (R-04);
- their open vacancies near or past expiry, and vacancies waiting for registration (R-12);
- candidate profiles of their caseload not reviewed for CANDIDATE_STALE_DAYS (R-41);
- their placements due for a durability check (R-30);
- for managers: the budget lines whose funding ends within three months without cover (R-53).

Idempotent: the notice is keyed per person and day (`accounts.services.notify`, unique in the database), so a re-run
or a retried task adds nothing and e-mails nobody twice.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import NotificationKind, Role
from accounts.models import User
from accounts.services import notify
from employers.choices import AccessRequestStatus
from employers.models import AccessRequest, ContactRequest, Employer
from employers.selectors import takeover_cutoff
from matching.choices import CandidateStatus, PlacementStatus
from matching.models import Candidate, Placement
from matching.selectors.candidates import stale_cutoff
from reporting.budgets.selectors import budget_for_year
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy, VacancyIntake


def _per_user(qs, user_field: str) -> dict[int, int]:
    return {row[user_field]: row["n"] for row in qs.values(user_field).annotate(n=Count("pk")).order_by()}


def worklist_counts(*, today: date) -> dict[int, dict[str, int]]:
    """Per user id, how many of each item are on their worklist today (items with none left out)."""
    now = timezone.now()
    cutoff = takeover_cutoff(now)
    warn_from = cutoff + timedelta(days=settings.WSP["TAKEOVER_WARNING_DAYS"])
    answer_by = now - timedelta(hours=ContactRequest.RESPONSE_HOURS)
    expiry_horizon = today + timedelta(days=settings.WSP["VACANCY_EXPIRY_WARNING_DAYS"])
    durability_horizon = today + timedelta(days=settings.WSP["DURABILITY_CHECK_WARNING_DAYS"])
    items = {
        "nearing_takeover": _per_user(
            Employer.objects.current().filter(last_contact_at__lt=warn_from), "main_account_holder"
        ),
        "overdue_contact_requests": _per_user(
            ContactRequest.objects.filter(responded_at__isnull=True, received_at__lt=answer_by),
            "employer__main_account_holder",
        ),
        "admission_requests": _per_user(
            AccessRequest.objects.filter(status=AccessRequestStatus.PENDING), "employer__main_account_holder"
        ),
        "vacancies_expiring": _per_user(
            Vacancy.objects.filter(
                Q(status=VacancyStatus.OPEN, expires_on__lte=expiry_horizon) | Q(status=VacancyStatus.EXPIRED)
            ),
            "owner",
        ),
        "intakes_waiting": _per_user(VacancyIntake.objects.waiting(), "assigned_to"),
        "stale_profiles": _per_user(
            Candidate.objects.filter(status=CandidateStatus.AVAILABLE, profile_reviewed_at__lt=stale_cutoff(now)),
            "adviser",
        ),
        "durability_due": _per_user(
            Placement.objects.filter(
                status=PlacementStatus.BOOKED, is_durable__isnull=True, durable_after__lte=durability_horizon
            ),
            "booked_by",
        ),
    }
    budget = budget_for_year(today.year, today=today)
    warnings = len(budget.figures.warnings) if budget else 0
    if warnings:
        items["budget_warnings"] = {
            pk: warnings for pk in User.objects.filter(role=Role.MANAGER, is_active=True).values_list("pk", flat=True)
        }
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for item, per_user in items.items():
        for user_id, n in per_user.items():
            if user_id is not None and n:
                counts[user_id][item] = n
    return dict(counts)


def _lines(items: dict[str, int]) -> list[str]:
    texts = {
        "nearing_takeover": lambda n: ngettext(
            "%(n)d employer nearing 12 months without contact (R-05)",
            "%(n)d employers nearing 12 months without contact (R-05)",
            n,
        ),
        "overdue_contact_requests": lambda n: ngettext(
            "%(n)d contact request not answered within 24 hours (R-10)",
            "%(n)d contact requests not answered within 24 hours (R-10)",
            n,
        ),
        "admission_requests": lambda n: ngettext(
            "%(n)d admission request to answer (R-04)", "%(n)d admission requests to answer (R-04)", n
        ),
        "vacancies_expiring": lambda n: ngettext(
            "%(n)d vacancy near or past expiry", "%(n)d vacancies near or past expiry", n
        ),
        "intakes_waiting": lambda n: ngettext(
            "%(n)d vacancy waiting for registration (R-12)", "%(n)d vacancies waiting for registration (R-12)", n
        ),
        "stale_profiles": lambda n: ngettext(
            "%(n)d candidate profile to review", "%(n)d candidate profiles to review", n
        ),
        "budget_warnings": lambda n: ngettext(
            "%(n)d budget line whose funding ends without cover (R-53)",
            "%(n)d budget lines whose funding ends without cover (R-53)",
            n,
        ),
        "durability_due": lambda n: ngettext(
            "%(n)d placement due for a durability check (R-30)",
            "%(n)d placements due for a durability check (R-30)",
            n,
        ),
    }
    return [texts[item](n) % {"n": n} for item, n in items.items()]


def worklists_send(*, today: date) -> int:
    """Puts today's worklist on the home page of everyone who has something on it; e-mails it to those who chose the
    digest (`User.daily_digest_email`). Returns the number of notices created now (0 on a re-run)."""
    counts = worklist_counts(today=today)
    users = User.objects.filter(pk__in=counts, is_active=True, role__in=[r for r in Role.values if r != Role.ADMIN])
    created = 0
    for user in users:
        items = counts[user.pk]
        created += len(
            notify(
                users=[user],
                kind=NotificationKind.WORKLIST,
                key=f"worklist:{today.isoformat()}",
                title=_("Your worklist for %(day)s: %(count)d item(s)")
                % {"day": today.strftime("%d-%m-%Y"), "count": sum(items.values())},
                body="\n".join(_lines(items)),
                url=reverse("adviser-home"),
                email=user.daily_digest_email,
            )
        )
    return created
