"""Situations the referral and placement tests start from (helper PLACE's tests share them).

The vacancy and candidate are made by the factories (past the services); what the tests *do* — proposing, hiring,
booking — goes through the services, so the rules are exercised where they live.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from matching.choices import PlacementType, ReferralStatus
from matching.models import Candidate, Placement, Referral
from matching.services import placements as placement_services
from matching.services import referrals as referral_services
from tests.factories import CandidateFactory, EmployerFactory, SkillFactory, VacancyFactory
from vacancies.models import Vacancy


def make_vacancy(owner, **fields) -> Vacancy:
    """An open vacancy of `owner` under an employer of its own, with one skill (matching needs a shared one)."""
    fields.setdefault("skills", [SkillFactory().pk])
    fields.setdefault("employer", EmployerFactory(main_account_holder=owner))
    return VacancyFactory(owner=owner, organisation=owner.organisation, **fields)


def make_candidate(adviser, vacancy: Vacancy, **fields) -> Candidate:
    """A work-ready candidate in `adviser`'s caseload who fits `vacancy` (shares its skills)."""
    fields.setdefault("skills", list(vacancy.skills))
    return CandidateFactory(adviser=adviser, organisation=adviser.organisation, **fields)


def at(day: date, hour: int = 9) -> datetime:
    """A moment on a day, local time."""
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def propose(vacancy: Vacancy, candidate: Candidate, **fields) -> Referral:
    return referral_services.referral_propose(by=vacancy.owner, vacancy=vacancy, candidate=candidate, **fields)


def hire(vacancy: Vacancy, candidate: Candidate, *, now: datetime | None = None) -> Referral:
    """Proposed and hired by the vacancy's owner (R-21: two register lines), at `now` (default: now)."""
    referral = propose(vacancy, candidate, now=now)
    return referral_services.referral_set_status(
        referral=referral, by=vacancy.owner, status=ReferralStatus.HIRED, now=now
    )


def book(by, referral: Referral, **fields) -> Placement:
    fields.setdefault("start_date", timezone.localdate())
    fields.setdefault("hours_per_week", Decimal("32"))
    fields.setdefault("placement_type", PlacementType.PERMANENT)
    return placement_services.placement_book(by=by, referral=referral, **fields)
