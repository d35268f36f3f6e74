"""Registering a vacancy (R-04 admission, R-12, R-14, R-15, R-16, R-20), noting one on receipt (R-12) and an
employer's first vacancy (R-06)."""

from collections.abc import Iterable
from datetime import datetime

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.rules import require_staff
from employers.models import Employer
from employers.normalize import normalise_postcode
from employers.selectors import may_act_for_employer
from employers.services import require_admission
from wsp import geo
from wsp.errors import Conflict, DomainError, InvalidInput, RuleRefused
from wsp.inputs import CLOCK_SLACK, MSG_CORRECT_FIELDS, clean_text

from ..choices import VacancySource, Visibility
from ..models import Skill, Vacancy, VacancyIntake
from .shared import (
    MSG_ASSIGNEE_NOT_ADMITTED,
    MSG_FIRST_VACANCY_OWNER,
    MSG_OWNER_NOT_ADMITTED,
    MSG_POSITIONS_ABOVE_ONE,
    MSG_RECEIPT_TOO_EARLY,
    MSG_RECEIVED_FUTURE,
    MSG_REGISTERED_BEFORE,
    RECEIPT_WINDOW,
    _check_ages,
    _check_texts,
    _default_expiry,
    _employer_for_vacancy,
    _field_errors,
    _flags,
    _local,
    _owner_from_input,
    _resolve_skills,
    is_organisation_manager,
    refuse_discriminating_requirements,
)

# --- Registration (R-12, R-14, R-15, R-16, R-20) ---------------------------------------------------------------


@transaction.atomic
def vacancy_register(
    *,
    by: User,
    employer: Employer | int,
    title: str,
    hours_per_week: int,
    received_at: datetime,
    requested_positions: int = 1,
    positions: int = 1,
    description: str = "",
    occupation: Skill | int | None = None,
    skills: Iterable[int] = (),
    postcode: str = "",
    municipality: str = "",
    source: str = VacancySource.PHONE,
    recruitment_request: bool = True,
    visibility: str = Visibility.OPEN,
    blocked_reason: str = "",
    target_group_flags: Iterable[str] = (),
    min_age: int | None = None,
    max_age: int | None = None,
    registered_at: datetime | None = None,
    owner: User | int | None = None,
    intake: VacancyIntake | int | None = None,
    now: datetime | None = None,
    _new_employer: bool = False,
) -> Vacancy:
    """Register a vacancy an employer reported.

    With `intake` (a vacancy noted on receipt, see `vacancy_intake_register`), the employer and the moment of
    receipt come from the intake, so the 24-hour clock is the one that started then; the intake is closed.

    R-12: when it was received and when registered are recorded; more than 24 hours between them is flagged late by
    the database (`registered_late`). R-20: one position is registered, whatever the employer asks for
    (`requested_positions`). R-15: age only on target-group vacancies. R-16: blocking needs a reason. The owner
    (default: the caller) gives the vacancy its organisation. Registering counts as contact with the employer
    (R-05, by database trigger); it does not make anyone account holder (only a handover does, R-13).

    R-04: registering a vacancy is acting towards the employer, so two people are checked. The caller must be its
    main account holder, an admitted account holder or a manager (`require_admission`: 403 `admission_required`
    with whom to ask and where the one-click admission request goes); anyone else notes the vacancy as an intake
    for the main account holder (`vacancy_intake_register`). The owner, when another adviser than the caller (a
    manager registering for an adviser, an account holder for a colleague), must be the main account holder or an
    admitted account holder too: the owner proposes candidates to the employer (R-17), which is acting towards it;
    otherwise 403 `admission_required` on the field `owner`. Registering never admits anyone.
    `_new_employer` is set only by `vacancy_register_for_new_employer` (R-06): the creator of a new employer is its
    main account holder or named one, and needs no admission for the vacancy that brought the employer in.
    The system's own vacancies (R-19 partners' vacancies, R-25 duplicates) are made by their services, not here.
    """
    now = now or timezone.now()
    require_staff(by)
    if intake is not None:
        intake = _waiting_intake(intake)
        employer, received_at, source = intake.employer_id, intake.received_at, intake.source
    employer = _employer_for_vacancy(employer)
    if _new_employer:
        owner = _owner_from_input(owner if owner is not None else employer.main_account_holder)
        if owner.pk not in (employer.main_account_holder_id, by.pk):
            raise RuleRefused(
                MSG_FIRST_VACANCY_OWNER,
                code="admission_required",
                rule="R-04",
                fields={"owner": [MSG_FIRST_VACANCY_OWNER]},
            )
    else:
        require_admission(employer, by)
        owner = _owner_from_input(owner if owner is not None else by)
        if owner.pk != by.pk and not may_act_for_employer(employer=employer, user=owner):
            message = MSG_OWNER_NOT_ADMITTED % {
                "owner": owner.full_name,
                "holder": employer.main_account_holder.full_name,
            }
            raise RuleRefused(
                message,
                code="admission_required",
                rule="R-04",
                fields={"owner": [message]},
                extra={"main_account_holder": employer.main_account_holder_id},
            )
    if positions > 1:
        raise RuleRefused(
            MSG_POSITIONS_ABOVE_ONE,
            code="positions_above_one",
            rule="R-20",
            fields={"positions": [MSG_POSITIONS_ABOVE_ONE]},
        )
    registered_at = registered_at or now
    errors: dict[str, list] = {}
    if positions < 1:
        errors["positions"] = [MSG_POSITIONS_ABOVE_ONE]
    if received_at > now + CLOCK_SLACK:
        errors["received_at"] = [MSG_RECEIVED_FUTURE]
    elif registered_at < received_at:
        errors["registered_at"] = [MSG_REGISTERED_BEFORE]
    elif received_at < registered_at - RECEIPT_WINDOW:
        errors["received_at"] = [MSG_RECEIPT_TOO_EARLY % {"moment": _local(registered_at - RECEIPT_WINDOW)}]
    if registered_at > now + CLOCK_SLACK:
        errors["registered_at"] = [_("A vacancy cannot be registered in the future.")]
    skill_ids, occupation_skill = _resolve_skills(skills, occupation, errors)
    vacancy = Vacancy(
        employer=employer,
        owner=owner,
        organisation_id=owner.organisation_id,
        title=clean_text(title),
        description=clean_text(description),
        occupation=occupation_skill,
        skills=skill_ids,
        requested_positions=requested_positions,
        positions=positions,
        hours_per_week=hours_per_week,
        postcode=normalise_postcode(postcode or "") or clean_text(postcode) or employer.postcode,
        municipality=clean_text(municipality) or employer.municipality,
        received_at=received_at,
        registered_at=registered_at,
        source=source,
        recruitment_request=recruitment_request,
        visibility=visibility,
        blocked_reason=clean_text(blocked_reason) if visibility == Visibility.BLOCKED else "",
        target_group_flags=_flags(target_group_flags),
        min_age=min_age,
        max_age=max_age,
        expires_on=_default_expiry(registered_at),
        created_by=by,
    )
    _check_ages(vacancy)
    _check_texts(vacancy)
    _field_errors(vacancy, errors)
    # where the work is, for distances in km (wsp.geo, offline).
    vacancy.latitude, vacancy.longitude = geo.work_place(
        municipality=vacancy.municipality, employer_city=employer.city, employer_municipality=employer.municipality
    )
    with pghistory.context(user=by.pk):
        vacancy.save()
    if intake is not None:
        VacancyIntake.objects.filter(pk=intake.pk).update(vacancy=vacancy)
    return vacancy


# --- Vacancies noted on receipt (R-12) ---------------------------------------------------------------------------

MSG_INTAKE_DONE = gettext_lazy("This vacancy was already registered or set aside.")


def _waiting_intake(intake: VacancyIntake | int) -> VacancyIntake:
    pk = intake.pk if isinstance(intake, VacancyIntake) else intake
    found = VacancyIntake.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise InvalidInput(MSG_CORRECT_FIELDS, fields={"intake": [_("Unknown vacancy to register.")]})
    if found.vacancy_id or found.dismissed_at:
        raise Conflict(MSG_INTAKE_DONE, code="intake_done", rule="R-12")
    return found


@transaction.atomic
def vacancy_intake_register(
    *,
    by: User,
    employer: Employer | int,
    title: str,
    received_at: datetime,
    source: str = VacancySource.PHONE,
    note: str = "",
    assigned_to: User | int | None = None,
    now: datetime | None = None,
) -> VacancyIntake:
    """Note a vacancy the moment it comes in, to register it in full within 24 hours (R-12).

    Takes seconds: employer, job title and when it came in. Open to every staff member (R-04): an employer may
    report a vacancy to anyone, and whoever may not register it at that employer notes it here. By default the
    employer's main account holder registers it, so the 24-hour clock runs there; another assignee must be an
    adviser the employer admitted as account holder (403 `admission_required`, R-04), who may register it. The home
    page shows the intake with the time left; the registered vacancy keeps the moment of receipt. The title is not
    screened for R-15 here: the intake is the employer's words as received, never published, and whether it is a
    target-group vacancy is decided when it is registered, where the text is screened.
    """
    now = now or timezone.now()
    require_staff(by)
    employer = _employer_for_vacancy(employer)
    errors: dict[str, list] = {}
    if not clean_text(title):
        errors["title"] = [_("This field is required.")]
    if received_at > now + CLOCK_SLACK:
        errors["received_at"] = [MSG_RECEIVED_FUTURE]
    elif received_at < now - RECEIPT_WINDOW:
        errors["received_at"] = [MSG_RECEIPT_TOO_EARLY % {"moment": _local(now - RECEIPT_WINDOW)}]
    if source not in VacancySource.values:
        errors["source"] = [_("Choose how the vacancy came in.")]
    if assigned_to is None:
        assignee = employer.main_account_holder
    else:
        assignee = _owner_from_input(assigned_to, field="assigned_to")
        if not may_act_for_employer(employer=employer, user=assignee):
            message = MSG_ASSIGNEE_NOT_ADMITTED % {"holder": employer.main_account_holder.full_name}
            raise RuleRefused(
                message,
                code="admission_required",
                rule="R-04",
                fields={"assigned_to": [message]},
                extra={"main_account_holder": employer.main_account_holder_id},
            )
    if errors:
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-12" if "received_at" in errors else None, fields=errors)
    return VacancyIntake.objects.create(
        employer=employer,
        title=clean_text(title),
        received_at=received_at,
        source=source,
        note=clean_text(note),
        received_by=by,
        assigned_to=assignee,
    )


@transaction.atomic
def vacancy_intake_dismiss(*, intake: VacancyIntake | int, by: User, reason: str, now: datetime | None = None):
    """Set aside a noted vacancy that will not be registered (the employer withdrew it, it was a duplicate).

    R-12: a noted vacancy is on someone's clock; only the adviser who is to register it, the one who noted it, or a
    manager of the organisation whose clock runs (the assignee's; R-04: `is_organisation_manager`, role manager, not
    an administrator nor another organisation's manager) sets it aside (403 `not_your_intake`), so nobody else's
    late registration disappears unseen.
    """
    require_staff(by)
    intake = _waiting_intake(intake)
    own = by.pk in (intake.assigned_to_id, intake.received_by_id)
    if not own and not is_organisation_manager(by, intake.assigned_to.organisation_id):
        raise RuleRefused(
            _(
                "Only the adviser who is to register it, the one who noted it, or a manager of their organisation sets "
                "it aside (R-12)."
            ),
            code="not_your_intake",
            rule="R-12",
        )
    if not clean_text(reason):
        raise InvalidInput(MSG_CORRECT_FIELDS, fields={"reason": [_("Give the reason.")]})
    VacancyIntake.objects.filter(pk=intake.pk).update(
        dismissed_at=now or timezone.now(), dismiss_reason=clean_text(reason)
    )


def vacancy_register_for_new_employer(*, employer: Employer, by: User, **fields) -> Vacancy:
    """R-06: the vacancy that brings a new employer in (`employers/` POST with `first_vacancy`).

    Called by employers.services.employer_create inside its transaction, so an invalid vacancy leaves neither the
    employer nor the vacancy. Field errors are reported under `first_vacancy.<field>`. R-04: the creator needs no
    admission here (R-03: they are its main account holder or named one); the vacancy is owned by the main account
    holder unless another owner is given, which must be the main account holder or the creator.
    """
    refuse_discriminating_requirements(fields)
    fields.pop("_new_employer", None)
    try:
        return vacancy_register(by=by, employer=employer, _new_employer=True, **fields)
    except DomainError as exc:
        if exc.fields:
            exc.fields = {f"first_vacancy.{name}": messages for name, messages in exc.fields.items()}
        raise
