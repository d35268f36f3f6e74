"""Writes for the referral register: proposing candidates and moving them through the funnel (R-16..R-18, R-21,
R-24, R-41, R-43).

Every service runs in one transaction, locks the vacancy row first (then the referral) and checks before it
writes, so a refusal leaves the data as it was and two advisers acting on one vacancy are serialised.
"""

from datetime import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import OrganisationKind, Role
from accounts.models import User
from matching.choices import ReferralStatus, RejectionReason
from matching.models import Candidate, Referral, ReferralStatusChange
from matching.selectors.ranking import requirement_failures
from vacancies import services as vacancy_services
from vacancies.choices import HandoverReason, VacancyStatus, Visibility
from vacancies.models import RecruitmentPlan, Vacancy
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused


def require_staff(user) -> None:
    """R-01: only staff members write; an organisation token (no role) only reads."""
    if getattr(user, "role", None) not in Role.values:
        raise RuleRefused(_("Your role does not allow this action."), code="role_not_allowed", rule="R-01")


def full_clean(instance, *, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(_("Please correct the marked fields."), code="invalid", fields=exc.message_dict) from exc


def lock_vacancy(vacancy_id: int) -> Vacancy:
    """The vacancy row, locked until the end of the transaction: bookings and status changes on one vacancy queue
    behind each other (R-20: two advisers booking the last position, exactly one wins)."""
    vacancy = (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("organisation", "employer")
        .filter(pk=vacancy_id)
        .first()
    )
    if vacancy is None:
        raise NotVisible(_("Vacancy not found."))
    return vacancy


def _record_change(referral: Referral, *, from_status: str, by: User, at: datetime, reason: str = "") -> None:
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=referral.status,
        changed_by=by,
        changed_at=at,
        reason=reason,
    )


def _check_candidate_fits(vacancy: Vacancy, candidate: Candidate, *, today) -> None:
    """R-41: only available, work-ready candidates are proposed; R-17: they meet the vacancy's requirements (the
    same predicate the ranking applies in SQL)."""
    failures = requirement_failures(vacancy, candidate, today=today)
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
    _check_candidate_fits(vacancy, candidate, today=timezone.localdate(now))
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
        note=(note or "").strip(),
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


def _may_set_status(referral: Referral, vacancy: Vacancy, by: User, status: str) -> bool:
    """The owner moves a referral through the funnel; the candidate's own organisation may withdraw it."""
    if vacancy.owner_id == by.pk:
        return True
    return status == ReferralStatus.WITHDRAWN and referral.candidate.organisation_id == by.organisation_id


@transaction.atomic
def referral_set_status(
    *,
    referral: Referral,
    by: User,
    status: str,
    reason: str = "",
    rejection_reason: str = "",
    now: datetime | None = None,
) -> Referral:
    """Move a referral to its next stage; each change is a timestamped register line (R-21, R-43).

    Rejected needs a rejection reason (the funnel analysis asks why). R-24: when a chain partner's candidate is
    hired on a single-position vacancy, the vacancy's ownership moves to the partner (`partner_adviser`: the
    candidate's adviser, or another active adviser of the partner), who books the placement (a `VacancyHandover`
    with reason "partner_hired"); a partner without an active adviser cannot take it over, so the hire is refused.
    """
    now = now or timezone.now()
    require_staff(by)
    vacancy = lock_vacancy(referral.vacancy_id)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("candidate__adviser__organisation")
        .get(pk=referral.pk)
    )
    if status not in ReferralStatus.values:
        raise InvalidInput(_("Unknown status."), code="invalid", fields={"status": [_("Choose a valid status.")]})
    if not _may_set_status(referral, vacancy, by, status):
        raise RuleRefused(
            _("Only the owner of the vacancy changes the status of a referral (R-17)."),
            code="not_vacancy_owner",
            rule="R-17",
        )
    if status not in ReferralStatus.transitions()[referral.status]:
        raise Conflict(
            _("A referral with status %(from)s cannot become %(to)s.")
            % {"from": ReferralStatus(referral.status).label, "to": ReferralStatus(status).label},
            code="status_transition_not_allowed",
            extra={"status": referral.status},
        )
    if status == ReferralStatus.REJECTED and rejection_reason not in RejectionReason.values:
        raise InvalidInput(
            _("Say why the employer rejected the candidate."),
            code="rejection_reason_required",
            rule="R-43",
            fields={"rejection_reason": [_("Choose a reason.")]},
        )
    if status != ReferralStatus.REJECTED and rejection_reason:
        raise InvalidInput(
            _("A reason for rejection belongs to a rejected referral only."),
            fields={"rejection_reason": [_("Leave this empty unless the candidate was rejected.")]},
        )
    if status == ReferralStatus.HIRED:
        if vacancy.status == VacancyStatus.EXPIRED:
            raise RuleRefused(
                _("This vacancy has expired; reactivate it first (R-20)."),
                code="vacancy_expired_reactivate_first",
                rule="R-20",
            )
        if vacancy.status != VacancyStatus.OPEN:
            raise Conflict(_("This vacancy is no longer open."), code="vacancy_not_open", rule="R-20")

    handover_to = None
    if status == ReferralStatus.HIRED and _partner_hired_on_single_position(vacancy, referral.candidate):
        handover_to = partner_adviser(referral.candidate)  # refused here, before anything is written

    previous = referral.status
    referral.status = status
    referral.status_changed_at = max(now, referral.referred_at)
    referral.rejection_reason = rejection_reason if status == ReferralStatus.REJECTED else ""
    with pghistory.context(user=by.pk):
        referral.save(update_fields=["status", "status_changed_at", "rejection_reason", "updated_at"])
        _record_change(referral, from_status=previous, by=by, at=referral.status_changed_at, reason=reason.strip())
        if handover_to is not None:
            # the partner whose candidate was hired takes the vacancy over and books the placement.
            vacancy_services.vacancy_hand_over(
                vacancy=vacancy,
                by=by,
                to_user=handover_to,
                reason=HandoverReason.PARTNER_HIRED,
                enforce_owner=False,
                note=_("Candidate %(id)s of a chain partner hired (R-24).") % {"id": referral.candidate_id},
            )
    return referral


def partner_adviser(candidate: Candidate) -> User:
    """R-24, R-25: who takes a vacancy (or a duplicate) over for the candidate's organisation: the candidate's
    adviser when that is an active adviser (a vacancy owner is an active adviser, R-17), else the first active
    adviser of the candidate's organisation. Refused when the organisation has none."""
    adviser = candidate.adviser
    if adviser.is_active and adviser.role == Role.ADVISER:
        return adviser
    adviser = (
        User.objects.filter(organisation_id=candidate.organisation_id, role=Role.ADVISER, is_active=True)
        .order_by("id")
        .first()
    )
    if adviser is None:
        raise RuleRefused(
            _(
                "The candidate's organisation has no active adviser to take the vacancy over and book the placement "
                "(R-24). Ask the partner to appoint one first."
            ),
            code="no_partner_adviser",
            rule="R-24",
        )
    return adviser


def _partner_hired_on_single_position(vacancy: Vacancy, candidate: Candidate) -> bool:
    return vacancy.requested_positions == 1 and candidate.organisation_id != vacancy.organisation_id
