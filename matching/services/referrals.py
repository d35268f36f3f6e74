"""Writes for the referral register: proposing candidates and moving them through the funnel (R-16..R-18, R-21,
R-24, R-41, R-43).

Every service runs in one transaction, locks the vacancy row first (then the referral) and checks before it
writes, so a refusal leaves the data as it was and two advisers acting on one vacancy are serialised.
"""

from dataclasses import dataclass
from datetime import datetime

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind, OrganisationKind, Role
from accounts.models import User
from accounts.services import notify
from matching.choices import ReferralStatus, RejectionReason, TargetGroup
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


# --- Who books (R-19, R-23..R-25) ----------------------------------------------------------------------------------


def is_two_to_nine_original(vacancy: Vacancy) -> bool:
    """R-25: a vacancy of 2 to 9 positions that is neither a partner's duplicate nor part of a co-production."""
    return (
        2 <= vacancy.requested_positions < settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]
        and vacancy.duplicated_from_id is None
        and vacancy.parent_id is None
    )


def _in_co_production(vacancy: Vacancy) -> bool:
    return vacancy.parent_id is not None or vacancy.is_co_production


def co_production_vacancy_of(vacancy: Vacancy, organisation_id: int) -> Vacancy | None:
    """R-19: the open vacancy of an organisation in the co-production that `vacancy` is part of, if it has one."""
    root = vacancy.parent_id or vacancy.pk
    return (
        Vacancy.objects.filter(Q(pk=root) | Q(parent_id=root), organisation_id=organisation_id)
        .filter(status=VacancyStatus.OPEN)
        .order_by("id")
        .first()
    )


def refuse_outside_own_vacancy(vacancy: Vacancy, candidate: Candidate) -> None:
    """Where each partner refers and books on a vacancy of its own, another organisation's candidate is not entered
    on this one, so that no hire is left without anyone who can book it:

    R-25: a chain partner's duplicate holds that partner's own hired candidates. R-19: in a co-production each
    partner proposes and books its own candidates on its own vacancy; a candidate of an organisation without a
    vacancy in it is proposed only on a vacancy of one position, which then moves to that organisation (R-24).
    """
    if candidate.organisation_id == vacancy.organisation_id:
        return
    if vacancy.duplicated_from_id is not None:
        raise RuleRefused(
            _(
                "A chain partner's duplicate is for that partner's own hired candidates (R-25): propose this "
                "candidate on the original vacancy or on a vacancy of their own organisation."
            ),
            code="duplicate_own_candidates_only",
            rule="R-25",
        )
    if not _in_co_production(vacancy):
        return
    own = co_production_vacancy_of(vacancy, candidate.organisation_id)
    organisation = candidate.organisation.name
    if own is not None:
        raise RuleRefused(
            _(
                "In a co-production each partner proposes and books its own candidates on its own vacancy (R-19): "
                "propose this candidate on the vacancy of %(organisation)s."
            )
            % {"organisation": organisation},
            code="co_production_own_vacancy",
            rule="R-19",
            extra={"vacancy": own.pk},
        )
    if vacancy.requested_positions > 1:
        raise RuleRefused(
            _(
                "%(organisation)s has no vacancy in this co-production, so nobody could book this candidate's "
                "placement here (R-19): only the partners of its recruitment plan propose and book on it."
            )
            % {"organisation": organisation},
            code="co_production_partners_only",
            rule="R-19",
        )


@dataclass(frozen=True)
class BookingPlan:
    """Who books the placement of a hired candidate, decided at the moment of the hire (R-23..R-25)."""

    booker: User
    # a chain partner's candidate hired on one position: the vacancy moves to the booker.
    hands_over: bool = False
    # a chain partner's candidate hired on a 2-9 original: the partner books on its duplicate of the vacancy,
    # which it gets when the owner closes the vacancy (`vacancy_close_with_placements`).
    waits_for_close: bool = False


def booking_plan(vacancy: Vacancy, candidate: Candidate) -> BookingPlan:
    """R-23: the candidate's own organisation books, so exactly one adviser books each hired candidate:

    - the candidate is of the vacancy's organisation (also a co-production partner's own vacancy, R-19, or a
      partner's duplicate, R-25): the vacancy owner;
    - a chain partner's candidate on a vacancy of one position: the partner's adviser (`partner_adviser`), to whom
      the vacancy moves (R-24);
    - a chain partner's candidate on a 2-9 original: the partner's adviser, on the partner's duplicate after the
      owner closed the vacancy (R-25).

    Refused before anything is written when no one could book: a candidate outside the partners' own vacancies of a
    co-production or a duplicate (`refuse_outside_own_vacancy`), a partner without an active adviser (R-24), or a
    target group the booking organisation does not book (R-23: correct the candidate's target group first).
    """
    refuse_outside_own_vacancy(vacancy, candidate)
    if candidate.organisation_id == vacancy.organisation_id:
        plan = BookingPlan(booker=vacancy.owner)
    elif vacancy.requested_positions == 1:
        plan = BookingPlan(booker=partner_adviser(candidate), hands_over=True)
    else:
        plan = BookingPlan(booker=partner_adviser(candidate), waits_for_close=True)
    organisation = plan.booker.organisation
    if not TargetGroup.may_book(candidate.target_group, organisation.kind):
        raise RuleRefused(
            _(
                "%(organisation)s would book this placement, but it does not book the target group %(group)s (R-23). "
                "The candidate's organisation corrects the target group first."
            )
            % {"organisation": organisation.name, "group": TargetGroup(candidate.target_group).label},
            code="no_booker_for_target_group",
            rule="R-23",
        )
    return plan


def _tell_about_the_hire(referral: Referral, vacancy: Vacancy, plan: BookingPlan, *, owner: User, by: User) -> None:
    """R-23..R-25: the vacancy owner and the booking adviser hear at once who books (a notice on the home page, and
    an e-mail to whoever did not make the change themself); the booker also finds it under "Plaatsing boeken"."""
    booker = plan.booker
    names = {
        "candidate": referral.candidate.full_name or f"#{referral.candidate_id}",
        "vacancy": vacancy.title,
        "employer": vacancy.employer.name,
        "owner": owner.full_name,
        "booker": booker.full_name,
        "organisation": booker.organisation.name,
    }
    book_url = reverse("placement-book", args=[referral.pk])
    vacancy_url = reverse("vacancy-detail", args=[vacancy.pk])
    key = f"referral:{referral.pk}"
    if plan.hands_over:
        kind, url = NotificationKind.VACANCY_HANDED_OVER, book_url
        title = _("Vacancy %(vacancy)s is yours now: book the placement of %(candidate)s") % names
        body = _(
            "%(owner)s hired %(candidate)s of your organisation on this vacancy of one position at %(employer)s. "
            "The vacancy has moved to you and you book the placement (R-24)."
        )
    elif plan.waits_for_close:
        kind, url = NotificationKind.PLACEMENT_TO_BOOK, vacancy_url
        title = _("%(candidate)s hired on %(vacancy)s: book after %(owner)s closes the vacancy") % names
        body = _(
            "%(owner)s hired %(candidate)s of your organisation at %(employer)s. The owner books its own candidates "
            "first and closes the vacancy; you then get a duplicate of it to book the placement on (R-25)."
        )
    else:
        kind, url = NotificationKind.PLACEMENT_TO_BOOK, book_url
        title = _("Book the placement of %(candidate)s on %(vacancy)s") % names
        body = _("%(candidate)s was hired at %(employer)s. Book the placement with its start date and hours (R-22).")
    notify(users=[booker], kind=kind, key=key, title=title, body=body % names, url=url, email=booker.pk != by.pk)
    if owner.pk != booker.pk:
        notify(
            users=[owner],
            kind=NotificationKind.CANDIDATE_HIRED,
            key=key,
            title=_("%(candidate)s hired on %(vacancy)s: %(booker)s (%(organisation)s) books the placement") % names,
            body=(
                _("The candidate's own organisation books (R-23); the vacancy has moved to %(booker)s (R-24).")
                if plan.hands_over
                else _(
                    "The candidate's own organisation books (R-23): after you have booked your own candidates and "
                    "closed the vacancy, %(booker)s books on a duplicate of it (R-25)."
                )
            )
            % names,
            url=vacancy_url,
            email=owner.pk != by.pk,
        )


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

    Rejected needs a rejection reason (the funnel analysis asks why). A hire decides at once who books the
    placement (`booking_plan`, R-23..R-25) and records it on the referral (`booker`). R-24: when a chain partner's
    candidate is hired on a single-position vacancy, the vacancy's ownership moves to the partner
    (`partner_adviser`: the candidate's adviser, or another active adviser of the partner), who books the placement
    (a `VacancyHandover` with reason "partner_hired"); a partner without an active adviser cannot take it over, so
    the hire is refused. The vacancy owner and the booker are told (`accounts.services.notify`).
    """
    now = now or timezone.now()
    require_staff(by)
    vacancy = lock_vacancy(referral.vacancy_id)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("candidate__adviser__organisation", "candidate__organisation")
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

    # R-23..R-25: who books is decided now, and refused here, before anything is written, when nobody could.
    plan = booking_plan(vacancy, referral.candidate) if status == ReferralStatus.HIRED else None
    owner = vacancy.owner

    previous = referral.status
    referral.status = status
    referral.status_changed_at = max(now, referral.referred_at)
    referral.rejection_reason = rejection_reason if status == ReferralStatus.REJECTED else ""
    referral.booker = plan.booker if plan else None
    with pghistory.context(user=by.pk):
        referral.save(update_fields=["status", "status_changed_at", "rejection_reason", "booker", "updated_at"])
        _record_change(referral, from_status=previous, by=by, at=referral.status_changed_at, reason=reason.strip())
        if plan is not None and plan.hands_over:
            # the partner whose candidate was hired takes the vacancy over and books the placement.
            vacancy_services.vacancy_hand_over(
                vacancy=vacancy,
                by=by,
                to_user=plan.booker,
                reason=HandoverReason.PARTNER_HIRED,
                enforce_owner=False,
                note=_("Candidate %(id)s of a chain partner hired (R-24).") % {"id": referral.candidate_id},
            )
    if plan is not None:
        _tell_about_the_hire(referral, vacancy, plan, owner=owner, by=by)
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
