"""Proposing a candidate to the employer: the entry in the vacancy's referral register (R-16..R-18, R-21, R-41)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import OrganisationKind
from accounts.models import User
from accounts.rules import require_staff
from matching.choices import ReferralStatus
from matching.models import Candidate, Referral
from matching.selectors.ranking import requirement_failures
from vacancies.choices import VacancyStatus, Visibility
from vacancies.models import RecruitmentPlan, Vacancy
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import clean_text, full_clean

from .common import _record_change, lock_vacancy
from .who_books import refuse_outside_own_vacancy


def _check_candidate_fits(vacancy: Vacancy, candidate: Candidate, *, today, by: User) -> None:
    """R-41: only available, work-ready candidates are proposed; R-17: they meet the vacancy's requirements (the
    same predicate the ranking applies in SQL for `by`: R-40, another organisation's candidate's age on their age
    group, so the `requirements_not_met` codes tell no more than the matches do)."""
    failures = requirement_failures(vacancy, candidate, user=by, today=today)
    if "candidate_not_available" in failures:
        raise RuleRefused(
            _("This candidate is not available for mediation."), code="candidate_not_available", rule="R-41"
        )
    if "candidate_not_work_ready" in failures:
        raise RuleRefused(
            _("This candidate is not work-ready yet; the reintegration partner hands them over first (R-41)."),
            code="candidate_not_work_ready",
            rule="R-41",
        )
    if failures:
        raise RuleRefused(
            _("This candidate does not meet the requirements of the vacancy (R-17)."),
            code="requirements_not_met",
            rule="R-17",
            extra={"failures": failures},
        )


def has_recruitment_plan(vacancy: Vacancy) -> bool:
    """R-19: a co-production refers only once the owner made the recruitment plan with the chain partners."""
    return RecruitmentPlan.objects.filter(vacancy=vacancy).exists()


@transaction.atomic
def referral_propose(
    *,
    by: User,
    vacancy: Vacancy,
    candidate: Candidate,
    pawa: bool = False,
    note: str = "",
    now: datetime | None = None,
) -> Referral:
    """Propose a candidate to the employer and enter the proposal in the vacancy's referral register (R-21).

    R-17: only the vacancy owner proposes; R-16: not on a blocked or closed vacancy; R-21: PAWA is for UWV staff;
    R-41/R-17: the candidate is available, work-ready and meets the requirements; R-18: the candidate may come from
    any partner's caseload. The first register line ("" -> proposed) is written at the same moment.
    """
    now = now or timezone.now()
    require_staff(by)
    vacancy = lock_vacancy(vacancy.pk)
    if vacancy.owner_id != by.pk:
        raise RuleRefused(
            _("Only the owner of the vacancy proposes candidates to the employer (R-17)."),
            code="not_vacancy_owner",
            rule="R-17",
        )
    if vacancy.visibility == Visibility.BLOCKED:
        raise RuleRefused(
            _("This vacancy is blocked: no new referrals (R-16)."),
            code="vacancy_blocked",
            rule="R-16",
            extra={"blocked_reason": vacancy.blocked_reason},
        )
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(
            _("Candidates are only proposed on an open vacancy (R-16)."), code="vacancy_not_open", rule="R-16"
        )
    if pawa and by.organisation.kind != OrganisationKind.UWV:
        raise RuleRefused(_("The PAWA option is for UWV staff only (R-21)."), code="pawa_uwv_only", rule="R-21")
    if vacancy.is_co_production and vacancy.parent_id is None and not has_recruitment_plan(vacancy):
        raise RuleRefused(
            _(
                "A vacancy of 10 or more positions is a co-production: make the recruitment plan with the chain "
                "partners first (R-19)."
            ),
            code="co_production_plan_first",
            rule="R-19",
        )
    candidate = Candidate.objects.filter(pk=candidate.pk).first()
    if candidate is None:
        raise InvalidInput(
            _("Unknown candidate."), code="unknown_candidate", fields={"candidate": [_("Unknown candidate.")]}
        )
    _check_candidate_fits(vacancy, candidate, today=timezone.localdate(now), by=by)
    refuse_outside_own_vacancy(vacancy, candidate)
    if Referral.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        raise Conflict(
            _("This candidate is already in the referral register of this vacancy."), code="already_referred"
        )

    referral = Referral(
        vacancy=vacancy,
        candidate=candidate,
        referred_by=by,
        organisation_id=by.organisation_id,
        referred_at=now,
        status=ReferralStatus.PROPOSED,
        status_changed_at=now,
        pawa=pawa,
        note=clean_text(note),
    )
    full_clean(referral, exclude=["vacancy", "candidate", "referred_by", "organisation"])
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:  # a proposal of the same candidate on another connection got in first
        raise Conflict(
            _("This candidate is already in the referral register of this vacancy."), code="already_referred"
        ) from exc
    _record_change(referral, from_status="", by=by, at=now)
    return referral
