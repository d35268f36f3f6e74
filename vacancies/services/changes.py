"""Changes by the owner (R-15, R-16, R-17, R-20, R-22): the vacancy's fields, blocking, closing, reactivating and
extending."""

from datetime import date, datetime

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from accounts.rules import require_staff
from employers.normalize import normalise_postcode
from wsp import geo
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import MSG_CORRECT_FIELDS, clean_text

from ..choices import CloseReason, VacancyStatus, Visibility
from ..models import RecruitmentPlan, Vacancy, VacancyEvent
from .shared import (
    BOOKED,
    HIRED,
    MSG_BLOCKED_REASON,
    MSG_EXPIRED,
    MSG_EXPIRY_PAST,
    MSG_NOT_OPEN,
    MSG_PLACEMENT_OUTCOME,
    MSG_POSITIONS_ABOVE_BOOKED,
    MSG_POSITIONS_BELOW_BOOKED,
    _check_ages,
    _check_texts,
    _default_expiry,
    _field_errors,
    _flags,
    _lock,
    _require_owner,
    _resolve_skills,
    booked_placements,
    refuse_discriminating_requirements,
)

# Fields the owner may change through vacancy_update. Employer, owner and organisation move only by handover
# received_at and registered_at are the R-12 record and stay as registered; status has its own services.
EDITABLE_FIELDS = (
    "title", "description", "occupation", "skills", "requested_positions", "positions", "hours_per_week",
    "postcode", "municipality", "source", "recruitment_request", "visibility", "blocked_reason",
    "target_group_flags", "min_age", "max_age", "expires_on",
)  # fmt: skip

# requirements on sex or origin are refused. The vacancy has no such fields; a client that sends one of these

# --- Changes by the owner (R-15, R-16, R-17, R-20) -------------------------------------------------------------


def _check_positions(vacancy: Vacancy, positions: int) -> None:
    """R-20: positions move only while the vacancy is open, never above booked + 1 nor below the booked count."""
    if vacancy.status == VacancyStatus.EXPIRED:
        raise RuleRefused(MSG_EXPIRED, code="vacancy_expired_reactivate_first", rule="R-20")
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-20")
    if positions < 1:
        raise InvalidInput(MSG_CORRECT_FIELDS, fields={"positions": [_("At least one position.")]})
    booked = booked_placements(vacancy)
    # Never more than one position up front: one more than what the booked placements filled.
    if positions > booked + 1:
        raise RuleRefused(
            MSG_POSITIONS_ABOVE_BOOKED,
            code="positions_above_booked",
            rule="R-20",
            extra={"booked_placements": booked, "max_positions": booked + 1},
        )
    if positions < booked:
        raise RuleRefused(
            MSG_POSITIONS_BELOW_BOOKED, code="positions_below_booked", rule="R-20", extra={"booked_placements": booked}
        )


MSG_RECEIPT_NOT_EDITABLE = gettext_lazy(
    "The moment of receipt is not changed here: correct it with a reason (correct receipt), so the correction is in "
    "the audit trail (R-12, R-57)."
)
MSG_REGISTRATION_NOT_EDITABLE = gettext_lazy(
    "The moment of registration is recorded by the system and never changes (R-12)."
)

MSG_REQUESTED_FROZEN = gettext_lazy(
    "The positions the employer asked for no longer change once candidates were hired on the vacancy or a "
    "recruitment plan was made: the handover, duplicates and partners' vacancies follow from it (R-19, R-24, R-25)."
)
MSG_REQUESTED_BELOW_BOOKED = gettext_lazy(
    "The positions asked for cannot be fewer than the placements booked on the vacancy (R-20)."
)
MSG_RECRUITMENT_REQUEST_FROZEN = gettext_lazy(
    "Whether the employer asked us to recruit is fixed once candidates were proposed on the vacancy: reciprocity "
    "exists from the start or not at all (R-22)."
)


def _check_requested_positions(vacancy: Vacancy, requested_positions) -> None:
    """R-20: what the employer asks for changes only while the vacancy is open and never below the booked
    placements. R-19/R-24/R-25: not at all once a recruitment plan split it over partners, once it was split off an
    original (a partner's vacancy or duplicate), or once candidates were hired on it (a handover or duplicates may
    have followed from the number)."""
    if vacancy.status == VacancyStatus.EXPIRED:
        raise RuleRefused(MSG_EXPIRED, code="vacancy_expired_reactivate_first", rule="R-20")
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-20")
    booked = booked_placements(vacancy)
    if isinstance(requested_positions, int) and requested_positions < booked:
        raise RuleRefused(
            MSG_REQUESTED_BELOW_BOOKED,
            code="requested_positions_below_booked",
            rule="R-20",
            fields={"requested_positions": [MSG_REQUESTED_BELOW_BOOKED]},
            extra={"booked_placements": booked},
        )
    if vacancy.parent_id is not None or RecruitmentPlan.objects.filter(vacancy=vacancy).exists():
        rule = "R-19"
    elif vacancy.duplicated_from_id is not None:
        rule = "R-25"
    elif vacancy.referrals.filter(status=HIRED).exists():
        rule = "R-20"
    else:
        return
    raise RuleRefused(
        MSG_REQUESTED_FROZEN,
        code="requested_positions_frozen",
        rule=rule,
        fields={"requested_positions": [MSG_REQUESTED_FROZEN]},
    )


def _check_recruitment_request(vacancy: Vacancy) -> None:
    """R-22: the employer's recruitment request is part of the reciprocity a placement needs; once candidates are
    proposed it is fixed, so it can be neither added afterwards nor taken away from the referrals made."""
    if vacancy.referrals.exists():
        raise RuleRefused(
            MSG_RECRUITMENT_REQUEST_FROZEN,
            code="recruitment_request_frozen",
            rule="R-22",
            fields={"recruitment_request": [MSG_RECRUITMENT_REQUEST_FROZEN]},
        )


def _check_new_expiry(vacancy: Vacancy, expires_on: date, *, today: date) -> None:
    if vacancy.status == VacancyStatus.EXPIRED:
        raise RuleRefused(MSG_EXPIRED, code="vacancy_expired_reactivate_first", rule="R-20")
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-20")
    if expires_on <= today:
        raise InvalidInput(MSG_EXPIRY_PAST, code="expiry_in_past", fields={"expires_on": [MSG_EXPIRY_PAST]})


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy | int, by: User, now: datetime | None = None, **fields) -> Vacancy:
    """The owner changes the vacancy (R-17: the owner handles it). The rules of registration apply again (R-15,
    R-16; a changed title, description or target groups are screened for requirements on age, sex or origin);
    `received_at` and `registered_at` are not editable here (400 `not_editable`, R-12: see
    `vacancy_correct_receipt`); `positions` follows R-20 (see `_check_positions`); `requested_positions` changes
    only while the vacancy is open and nothing follows from it yet (see `_check_requested_positions`);
    `recruitment_request` is fixed once there are referrals (R-22); a new expiry date needs an open vacancy."""
    now = now or timezone.now()
    refuse_discriminating_requirements(fields)
    not_editable = sorted(set(fields) - set(EDITABLE_FIELDS))
    if not_editable:
        hints = {"received_at": MSG_RECEIPT_NOT_EDITABLE, "registered_at": MSG_REGISTRATION_NOT_EDITABLE}
        hint = _("Not editable here; ownership moves by handover (R-13).")
        raise InvalidInput(
            MSG_CORRECT_FIELDS,
            code="not_editable",
            rule="R-12" if set(not_editable) & set(hints) else None,
            fields={name: [hints.get(name, hint)] for name in not_editable},
        )
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    if "positions" in fields and fields["positions"] != vacancy.positions:
        _check_positions(vacancy, fields["positions"])
    if "requested_positions" in fields and fields["requested_positions"] != vacancy.requested_positions:
        _check_requested_positions(vacancy, fields["requested_positions"])
    if "recruitment_request" in fields and fields["recruitment_request"] != vacancy.recruitment_request:
        _check_recruitment_request(vacancy)
    if "expires_on" in fields and fields["expires_on"] != vacancy.expires_on:
        _check_new_expiry(vacancy, fields["expires_on"], today=timezone.localdate(now))
        vacancy.expiry_warned_at = None

    errors: dict[str, list] = {}
    if "skills" in fields or "occupation" in fields:
        occupation = fields.pop("occupation", vacancy.occupation_id)
        skills = fields.pop("skills", None)
        if skills is None:
            # Only the occupation changed: keep the other skills, swap the old occupation for the new one.
            skills = [s for s in vacancy.skills if s != vacancy.occupation_id]
        vacancy.skills, vacancy.occupation = _resolve_skills(skills, occupation, errors, kept=vacancy.skills)
    for name in ("title", "description", "municipality", "blocked_reason"):
        if name in fields:
            fields[name] = clean_text(fields[name])
    # An empty work location is the employer's, as at registration.
    if "postcode" in fields:
        fields["postcode"] = (
            normalise_postcode(fields["postcode"] or "") or clean_text(fields["postcode"]) or vacancy.employer.postcode
        )
    if "municipality" in fields:
        fields["municipality"] = fields["municipality"] or vacancy.employer.municipality
    if "target_group_flags" in fields:
        fields["target_group_flags"] = _flags(fields["target_group_flags"])
    for name, value in fields.items():
        setattr(vacancy, name, value)
    if vacancy.visibility != Visibility.BLOCKED:
        vacancy.blocked_reason = ""
    _check_ages(vacancy)
    if {"title", "description", "target_group_flags"} & set(fields):
        _check_texts(vacancy)
    _field_errors(vacancy, errors)
    # where the work is, for distances in km (wsp.geo, offline).
    vacancy.latitude, vacancy.longitude = geo.work_place(
        municipality=vacancy.municipality,
        employer_city=vacancy.employer.city,
        employer_municipality=vacancy.employer.municipality,
    )
    with pghistory.context(user=by.pk):
        vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_block(*, vacancy: Vacancy | int, by: User, reason: str) -> Vacancy:
    """R-16: the owner blocks the vacancy: no new referrals; a reason is mandatory."""
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(
            MSG_BLOCKED_REASON, code="blocked_reason_required", rule="R-16", fields={"reason": [MSG_BLOCKED_REASON]}
        )
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-16")
    if vacancy.visibility == Visibility.BLOCKED:
        raise Conflict(_("This vacancy is already blocked."), code="already_blocked", rule="R-16")
    vacancy.visibility, vacancy.blocked_reason = Visibility.BLOCKED, reason
    with pghistory.context(user=by.pk, action="block"):
        vacancy.save(update_fields=["visibility", "blocked_reason", "updated_at"])
    return vacancy


def _visibility_before_block(vacancy: Vacancy) -> str:
    """The visibility the vacancy had before it was blocked, from its history; internal when unknown, so an
    anonymous vacancy never shows the employer's contact details by accident (R-16)."""
    earlier = (
        VacancyEvent.objects.filter(pgh_obj_id=vacancy.pk)
        .exclude(visibility=Visibility.BLOCKED)
        .order_by("-pgh_id")
        .values_list("visibility", flat=True)
        .first()
    )
    return earlier or Visibility.INTERNAL


@transaction.atomic
def vacancy_unblock(*, vacancy: Vacancy | int, by: User, visibility: str | None = None) -> Vacancy:
    """R-16: the owner lifts the block; the vacancy returns to its earlier visibility unless another is given."""
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    if vacancy.visibility != Visibility.BLOCKED:
        raise Conflict(_("This vacancy is not blocked."), code="not_blocked", rule="R-16")
    if visibility is not None and visibility not in (Visibility.OPEN, Visibility.ANONYMOUS, Visibility.INTERNAL):
        message = _("Choose open, anonymous or internal.")
        raise InvalidInput(message, fields={"visibility": [message]})
    vacancy.visibility = visibility or _visibility_before_block(vacancy)
    vacancy.blocked_reason = ""
    with pghistory.context(user=by.pk, action="unblock"):
        vacancy.save(update_fields=["visibility", "blocked_reason", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_close(
    *, vacancy: Vacancy | int, by: User, reason: str, note: str = "", now: datetime | None = None
) -> Vacancy:
    """The owner closes the vacancy with an outcome. Outcome "placement" is refused here: it needs reciprocity and
    booked placements (R-22), so the matching app closes with it when it books.

    R-22: nor is it closed with another outcome while candidates are hired on it without a booked placement: those
    hires could never be booked afterwards (a placement needs the vacancy open). 409 `hires_unbooked` with their
    number: book the placements, or withdraw a hire that fell through, then close. Reverse lookups keep vacancies
    free of matching imports."""
    now = now or timezone.now()
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    if reason == CloseReason.PLACEMENT:
        raise RuleRefused(MSG_PLACEMENT_OUTCOME, code="placement_outcome_needs_booking", rule="R-22")
    if reason not in CloseReason.values:
        message = _("Choose an outcome.")
        raise InvalidInput(message, fields={"reason": [message]})
    note = clean_text(note)
    if reason == CloseReason.OTHER and not note:
        message = _("Describe the outcome in a note.")
        raise InvalidInput(message, fields={"note": [message]})
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise Conflict(_("This vacancy is already closed."), code="already_closed")
    unbooked = vacancy.referrals.filter(status=HIRED).exclude(placements__status=BOOKED).count()
    if unbooked:
        raise Conflict(
            ngettext(
                "%(count)s candidate is hired on this vacancy without a booked placement. Book the placement, or "
                "withdraw a hire that fell through, before closing the vacancy (R-22).",
                "%(count)s candidates are hired on this vacancy without a booked placement. Book the placements, or "
                "withdraw a hire that fell through, before closing the vacancy (R-22).",
                unbooked,
            )
            % {"count": unbooked},
            code="hires_unbooked",
            rule="R-22",
            extra={"hires_unbooked": unbooked},
        )
    vacancy.status, vacancy.close_reason, vacancy.close_note, vacancy.closed_at = (
        VacancyStatus.CLOSED, reason, note, now,
    )  # fmt: skip
    with pghistory.context(user=by.pk, action="close"):
        vacancy.save(update_fields=["status", "close_reason", "close_note", "closed_at", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_reactivate(
    *, vacancy: Vacancy | int, by: User, expires_on: date | None = None, now: datetime | None = None
) -> Vacancy:
    """R-20: an expired vacancy is reactivated (by its owner) before positions move or placements are booked."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    if vacancy.status != VacancyStatus.EXPIRED:
        raise Conflict(_("Only an expired vacancy can be reactivated."), code="vacancy_not_expired", rule="R-20")
    expires_on = expires_on or _default_expiry(now)
    if expires_on <= today:
        raise InvalidInput(MSG_EXPIRY_PAST, code="expiry_in_past", fields={"expires_on": [MSG_EXPIRY_PAST]})
    vacancy.status, vacancy.expires_on, vacancy.expiry_warned_at = VacancyStatus.OPEN, expires_on, None
    with pghistory.context(user=by.pk, action="reactivate"):
        vacancy.save(update_fields=["status", "expires_on", "expiry_warned_at", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_extend(*, vacancy: Vacancy | int, by: User, expires_on: date, now: datetime | None = None) -> Vacancy:
    """The owner moves the expiry date of an open vacancy; a new warning comes before the new date."""
    now = now or timezone.now()
    require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    _check_new_expiry(vacancy, expires_on, today=timezone.localdate(now))
    vacancy.expires_on, vacancy.expiry_warned_at = expires_on, None
    with pghistory.context(user=by.pk, action="extend"):
        vacancy.save(update_fields=["expires_on", "expiry_warned_at", "updated_at"])
    return vacancy
