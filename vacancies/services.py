"""Writes for vacancies (STYLE habit 2): registration and its rules R-04 (admission), R-12..R-20, the
correction of a moment of receipt (R-12, R-57), the offer to and takeover by a chain partner and the handover R-13,
co-production R-19, the chain partner's duplicate R-25 and expiry.

Every service runs in one transaction and checks before it writes, so a refusal leaves the data as it was. The
database backs the main invariants with check constraints (vacancies/models.py); the services refuse first, with
a stable code and the rule id, so the adviser and the integrator learn which rule it was.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import NotificationKind, Role
from accounts.models import Organisation, User
from accounts.services import notify
from employers.choices import AccountHolderVia, LastContactSource
from employers.models import AccountHolder, Employer
from employers.normalize import normalise_postcode
from employers.selectors import may_act_for_employer
from employers.services import employer_clock_start, require_admission
from wsp import geo
from wsp.errors import Conflict, DomainError, InvalidInput, NotVisible, RuleRefused

from .choices import (
    CloseReason,
    HandoverReason,
    RecruitmentActivity,
    VacancySource,
    VacancyStatus,
    Visibility,
)
from .models import (
    AGE_BAND_YEARS,
    AGE_CEILING,
    AGE_FLOOR,
    CORRECT_RECEIPT_ACTION,
    RecruitmentPlan,
    Skill,
    Vacancy,
    VacancyEvent,
    VacancyHandover,
    VacancyIntake,
)
from .texts import discriminating_phrases

# Fields the owner may change through vacancy_update. Employer, owner and organisation move only by handover
# received_at and registered_at are the R-12 record and stay as registered; status has its own services.
EDITABLE_FIELDS = (
    "title", "description", "occupation", "skills", "requested_positions", "positions", "hours_per_week",
    "postcode", "municipality", "source", "recruitment_request", "visibility", "blocked_reason",
    "target_group_flags", "min_age", "max_age", "expires_on",
)  # fmt: skip

# requirements on sex or origin are refused. The vacancy has no such fields; a client that sends one of these
# keys believes it sets such a requirement, so it is refused loudly instead of being ignored in silence.
DISCRIMINATING_KEYS = frozenset({"sex", "gender", "origin", "nationality", "ethnicity"})

# A clock a few minutes fast on the client's side is no reason to refuse a receipt "in the future".
CLOCK_SLACK = timedelta(minutes=5)

# The placement status that counts for R-20 and the referral status of a hired candidate, named here
# so vacancies does not import matching.
BOOKED = "booked"
HIRED = "hired"

MSG_CORRECT_FIELDS = gettext_lazy("Please correct the marked fields.")
MSG_ROLE = gettext_lazy("Your role does not allow this action.")
MSG_NOT_OWNER = gettext_lazy("Only the owner of the vacancy may do this (R-17).")
MSG_DISCRIMINATING = gettext_lazy(
    "A vacancy may not set requirements on sex or origin (R-15). Remove these fields; describe the job instead."
)
MSG_POSITIONS_ABOVE_ONE = gettext_lazy(
    "Register one position; keep the number the employer asks for in 'positions asked for'. Each booked placement "
    "raises the registered positions (R-20)."
)
MSG_AGE_NOT_ALLOWED = gettext_lazy(
    "Only a target-group vacancy (e.g. youth or 50+) may set requirements on age (R-15). Tick the target group or "
    "remove the age."
)
MSG_BLOCKED_REASON = gettext_lazy("A blocked vacancy needs a reason (R-16).")
MSG_NOT_OPEN = gettext_lazy("This vacancy is no longer open.")
MSG_EXPIRED = gettext_lazy("This vacancy has expired; reactivate it first (R-20).")
MSG_POSITIONS_ABOVE_BOOKED = gettext_lazy(
    "The registered positions may be at most one more than the booked placements (R-20)."
)
MSG_POSITIONS_BELOW_BOOKED = gettext_lazy("The registered positions cannot be fewer than the booked placements (R-20).")
MSG_RECEIVED_FUTURE = gettext_lazy("A vacancy cannot be received in the future (R-12).")
MSG_REGISTERED_BEFORE = gettext_lazy("A vacancy is registered after it was received, never before (R-12).")
MSG_UNKNOWN_EMPLOYER = gettext_lazy("Unknown employer.")
MSG_UNKNOWN_USER = gettext_lazy("Unknown staff member.")
MSG_INVALID_OWNER = gettext_lazy("The owner of a vacancy must be an active adviser.")
MSG_UNKNOWN_SKILL = gettext_lazy("Unknown skill: %(ids)s.")
MSG_NOT_OCCUPATION = gettext_lazy("Choose an occupation from the vocabulary.")
MSG_EXPIRY_PAST = gettext_lazy("Choose a date after today.")
MSG_PLACEMENT_OUTCOME = gettext_lazy(
    "A vacancy is closed with outcome 'placement' by booking the placements (R-22); choose another outcome here."
)
MSG_NOT_A_CHAIN_PARTNER = gettext_lazy("Choose an adviser of another partner organisation (R-13).")
MSG_OWNER_NOT_ADMITTED = gettext_lazy(
    "%(owner)s is not an account holder of this employer. The owner of a vacancy acts towards the employer, so it is "
    "the main account holder (%(holder)s) or an admitted account holder (R-04)."
)
MSG_FIRST_VACANCY_OWNER = gettext_lazy(
    "The first vacancy of a new employer is owned by its main account holder or by the adviser who entered it (R-03, "
    "R-04)."
)
MSG_ASSIGNEE_NOT_ADMITTED = gettext_lazy(
    "A noted vacancy goes to the main account holder (%(holder)s) or an admitted account holder, who registers it "
    "(R-04, R-12)."
)
MSG_DISCRIMINATING_TEXT = gettext_lazy(
    "The vacancy sets a requirement on age, sex or origin (%(phrases)s). Only a target-group vacancy may name its "
    "group (R-15): describe the work, not the person."
)
MSG_DISCRIMINATING_TEXT_FIELD = gettext_lazy(
    "Contains %(phrases)s: an ordinary vacancy sets no requirement on age, sex or origin (R-15)."
)
MSG_AGE_BAND = gettext_lazy(
    "An age requirement is a band of at least %(years)s years, such as 50+ or 18-27 (R-15): a narrower one would "
    "reveal the age of the candidates it matches."
)
MSG_AGE_BAND_MAX_ONLY = gettext_lazy(
    "A maximum age without a minimum is at least %(age)s: a band of %(years)s years from %(floor)s (R-15)."
)
MSG_AGE_BAND_MIN_ONLY = gettext_lazy(
    "A minimum age without a maximum is at most %(age)s: a band of %(years)s years up to %(ceiling)s (R-15)."
)


# --- Shared checks ---------------------------------------------------------------------------------------------


def refuse_discriminating_requirements(data: Mapping | Iterable | None) -> None:
    """R-15: refuse input that tries to set a requirement on sex or origin (403 `discriminating_requirement`)."""
    keys = sorted(DISCRIMINATING_KEYS & set(data or ()))
    if keys:
        raise RuleRefused(
            MSG_DISCRIMINATING,
            code="discriminating_requirement",
            rule="R-15",
            fields={key: [_("Not allowed (R-15).")] for key in keys},
        )


def _require_staff(user) -> None:
    if getattr(user, "role", None) not in Role.values:
        raise RuleRefused(MSG_ROLE, code="role_not_allowed", rule="R-01")


def _require_owner(vacancy: Vacancy, user, *, rule: str = "R-17") -> None:
    if vacancy.owner_id != getattr(user, "pk", None):
        raise RuleRefused(MSG_NOT_OWNER, code="not_vacancy_owner", rule=rule)


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _lock(vacancy: Vacancy | int) -> Vacancy:
    """The vacancy's row, locked for the rest of the transaction, so two changes never interleave."""
    pk = vacancy.pk if isinstance(vacancy, Vacancy) else vacancy
    locked = Vacancy.objects.select_for_update().filter(pk=pk).first() if pk is not None else None
    if locked is None:
        raise NotVisible(_("Vacancy not found."))
    return locked


def _employer_for_vacancy(employer: Employer | int, *, field: str = "employer") -> Employer:
    """The employer a vacancy is registered under: it must exist, be the current record and be trading."""
    pk = employer.pk if isinstance(employer, Employer) else employer
    found = Employer.objects.select_for_update().filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise InvalidInput(MSG_UNKNOWN_EMPLOYER, code="unknown_employer", fields={field: [MSG_UNKNOWN_EMPLOYER]})
    if found.merged_into_id is not None:
        raise Conflict(
            _("This employer record was merged into another one; register the vacancy there (R-07)."),
            code="employer_merged",
            rule="R-07",
            extra={"merged_into": found.merged_into_id},
        )
    if found.is_ceased:
        raise Conflict(
            _("This employer has ceased trading; a vacancy cannot be registered under it (R-09)."),
            code="employer_ceased",
            rule="R-09",
        )
    return found


def _user_from_input(user: User | int, *, field: str) -> User:
    if isinstance(user, User):
        return user
    found = User.objects.filter(pk=user).first() if isinstance(user, int) else None
    if found is None:
        raise InvalidInput(MSG_UNKNOWN_USER, code="unknown_user", fields={field: [MSG_UNKNOWN_USER]})
    return found


def _owner_from_input(user: User | int, *, field: str = "owner") -> User:
    """A vacancy owner is an active adviser: the one who proposes candidates and books placements (R-17)."""
    owner = _user_from_input(user, field=field)
    if owner.role != Role.ADVISER or not owner.is_active:
        raise InvalidInput(MSG_INVALID_OWNER, code="invalid_owner", fields={field: [MSG_INVALID_OWNER]})
    return owner


def _organisation_from_input(organisation: Organisation | int, *, field: str) -> Organisation:
    if isinstance(organisation, Organisation):
        return organisation
    found = Organisation.objects.filter(pk=organisation).first() if isinstance(organisation, int) else None
    if found is None:
        message = _("Unknown partner organisation.")
        raise InvalidInput(message, code="unknown_organisation", fields={field: [message]})
    return found


def _resolve_skills(
    skills: Iterable[int], occupation: Skill | int | None, errors: dict, *, kept: Iterable[int] = ()
) -> tuple[list[int], Skill | None]:
    """R-42: skills are ids of the shared vocabulary; the occupation is one of them and joins the skills.

    New skills must be active entries; skills the vacancy already had (`kept`) stay valid when an entry was
    switched off later, so an edit never fails on what was picked before.
    """
    occupation_skill = None
    if occupation is not None:
        pk = occupation.pk if isinstance(occupation, Skill) else occupation
        occupation_skill = Skill.objects.occupations().filter(pk=pk).first() if isinstance(pk, int) else None
        if occupation_skill is None:
            errors["occupation"] = [MSG_NOT_OCCUPATION]
    ids: list[int] = []
    for skill in skills or ():
        if not isinstance(skill, int) or isinstance(skill, bool):
            errors["skills"] = [MSG_UNKNOWN_SKILL % {"ids": skill}]
            return [], occupation_skill
        if skill not in ids:
            ids.append(skill)
    kept = set(kept)
    known = (
        set(Skill.objects.filter(Q(is_active=True) | Q(pk__in=kept), pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    unknown = [skill for skill in ids if skill not in known]
    if unknown:
        errors["skills"] = [MSG_UNKNOWN_SKILL % {"ids": ", ".join(map(str, unknown))}]
    if occupation_skill is not None and occupation_skill.pk not in ids:
        ids.insert(0, occupation_skill.pk)
    return ids, occupation_skill


def _check_ages(vacancy: Vacancy) -> None:
    """R-15: only target-group vacancies may set requirements on age, and such a requirement is a band of at least
    AGE_BAND_YEARS years (R-40: a match then tells no more of a candidate's age than the band; the database holds
    the same rule, `vacancies_vacancy_age_band`). A band upside down (minimum above maximum) is a field error of
    `_field_errors`, not a rule refusal."""
    low, high = vacancy.min_age, vacancy.max_age
    if (low is not None or high is not None) and not vacancy.target_group_flags:
        raise RuleRefused(
            MSG_AGE_NOT_ALLOWED,
            code="age_requirement_not_allowed",
            rule="R-15",
            fields={"min_age" if low is not None else "max_age": [MSG_AGE_NOT_ALLOWED]},
        )
    span = AGE_BAND_YEARS - 1
    if low is not None and high is not None:
        if low <= high < low + span:
            message = MSG_AGE_BAND % {"years": AGE_BAND_YEARS}
            raise RuleRefused(message, code="age_band_too_narrow", rule="R-15", fields={"max_age": [message]})
    elif high is not None and high < AGE_FLOOR + span:
        message = MSG_AGE_BAND_MAX_ONLY % {"age": AGE_FLOOR + span, "years": AGE_BAND_YEARS, "floor": AGE_FLOOR}
        raise RuleRefused(message, code="age_band_too_narrow", rule="R-15", fields={"max_age": [message]})
    elif low is not None and low > AGE_CEILING - span:
        message = MSG_AGE_BAND_MIN_ONLY % {"age": AGE_CEILING - span, "years": AGE_BAND_YEARS, "ceiling": AGE_CEILING}
        raise RuleRefused(message, code="age_band_too_narrow", rule="R-15", fields={"min_age": [message]})


def check_texts(*, title: str, description: str, target_group_flags: Iterable[str] = ()) -> None:
    """R-15: the title and description of an ordinary vacancy set no requirement on age, sex or origin. They are
    screened against the maintained phrase list (vacancies/data/discriminating_phrases.txt, see vacancies.texts); a
    hit is refused with 403 `discriminating_text`, naming the phrases found, per field. Target-group vacancies
    (R-14) are exempt: "jongeren" or "50+" is what they are for."""
    if target_group_flags:
        return
    fields: dict[str, list] = {}
    found_all: list[str] = []
    for name, text in (("title", title), ("description", description)):
        found = discriminating_phrases(text or "")
        if found:
            quoted = ", ".join(f"\u201c{phrase}\u201d" for phrase in found)
            fields[name] = [MSG_DISCRIMINATING_TEXT_FIELD % {"phrases": quoted}]
            found_all += [phrase for phrase in found if phrase not in found_all]
    if fields:
        quoted = ", ".join(f"\u201c{phrase}\u201d" for phrase in found_all)
        raise RuleRefused(
            MSG_DISCRIMINATING_TEXT % {"phrases": quoted},
            code="discriminating_text",
            rule="R-15",
            fields=fields,
            extra={"phrases": found_all},
        )


def _check_texts(vacancy: Vacancy) -> None:
    check_texts(title=vacancy.title, description=vacancy.description, target_group_flags=vacancy.target_group_flags)


def _field_errors(vacancy: Vacancy, errors: dict) -> None:
    """Collect what the adviser must correct: R-16 blocked reason, age range, the model's own validation."""
    rule = None
    if vacancy.visibility == Visibility.BLOCKED and not vacancy.blocked_reason:
        errors["blocked_reason"] = [MSG_BLOCKED_REASON]
        rule = "R-16"
    if vacancy.min_age is not None and vacancy.max_age is not None and vacancy.min_age > vacancy.max_age:
        errors["max_age"] = [_("The maximum age cannot be below the minimum age.")]
    if "received_at" in errors:
        rule = rule or "R-12"
    try:
        # The check constraints are the rules checked above (and before, R-15, R-20); not validating them again
        # saves a query per constraint and keeps one message per rule.
        vacancy.full_clean(
            exclude=["employer", "owner", "organisation", "occupation", "parent", "duplicated_from"],
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        code = "blocked_reason_required" if list(errors) == ["blocked_reason"] else "invalid"
        raise InvalidInput(MSG_CORRECT_FIELDS, code=code, rule=rule, fields=errors)


def _flags(flags: Iterable[str] | None) -> list[str]:
    ordered: list[str] = []
    for flag in flags or ():
        if flag not in ordered:
            ordered.append(flag)
    return ordered


def _default_expiry(moment: datetime) -> date:
    return timezone.localdate(moment) + timedelta(days=settings.WSP["VACANCY_VALID_DAYS"])


def booked_placements(vacancy: Vacancy) -> int:
    """Booked placements on the vacancy (R-20); the reverse accessor keeps vacancies free of matching imports."""
    return vacancy.placements.filter(status=BOOKED).count()


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
    _require_staff(by)
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
    if registered_at > now + CLOCK_SLACK:
        errors["registered_at"] = [_("A vacancy cannot be registered in the future.")]
    skill_ids, occupation_skill = _resolve_skills(skills, occupation, errors)
    vacancy = Vacancy(
        employer=employer,
        owner=owner,
        organisation_id=owner.organisation_id,
        title=_clean_text(title),
        description=_clean_text(description),
        occupation=occupation_skill,
        skills=skill_ids,
        requested_positions=requested_positions,
        positions=positions,
        hours_per_week=hours_per_week,
        postcode=normalise_postcode(postcode or "") or _clean_text(postcode) or employer.postcode,
        municipality=_clean_text(municipality) or employer.municipality,
        received_at=received_at,
        registered_at=registered_at,
        source=source,
        recruitment_request=recruitment_request,
        visibility=visibility,
        blocked_reason=_clean_text(blocked_reason) if visibility == Visibility.BLOCKED else "",
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
    _require_staff(by)
    employer = _employer_for_vacancy(employer)
    errors: dict[str, list] = {}
    if not _clean_text(title):
        errors["title"] = [_("This field is required.")]
    if received_at > now + CLOCK_SLACK:
        errors["received_at"] = [MSG_RECEIVED_FUTURE]
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
        title=_clean_text(title),
        received_at=received_at,
        source=source,
        note=_clean_text(note),
        received_by=by,
        assigned_to=assignee,
    )


@transaction.atomic
def vacancy_intake_dismiss(*, intake: VacancyIntake | int, by: User, reason: str, now: datetime | None = None):
    """Set aside a noted vacancy that will not be registered (the employer withdrew it, it was a duplicate).

    R-12: a noted vacancy is on someone's clock; only the adviser who is to register it, the one who noted it, or a
    manager sets it aside (403 `not_your_intake`), so nobody else's late registration disappears unseen.
    """
    _require_staff(by)
    intake = _waiting_intake(intake)
    if by.role != Role.MANAGER and by.pk not in (intake.assigned_to_id, intake.received_by_id):
        raise RuleRefused(
            _("Only the adviser who is to register it, the one who noted it, or a manager sets it aside (R-12)."),
            code="not_your_intake",
            rule="R-12",
        )
    if not _clean_text(reason):
        raise InvalidInput(MSG_CORRECT_FIELDS, fields={"reason": [_("Give the reason.")]})
    VacancyIntake.objects.filter(pk=intake.pk).update(
        dismissed_at=now or timezone.now(), dismiss_reason=_clean_text(reason)
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
    _require_staff(by)
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
            fields[name] = _clean_text(fields[name])
    # An empty work location is the employer's, as at registration.
    if "postcode" in fields:
        fields["postcode"] = (
            normalise_postcode(fields["postcode"] or "") or _clean_text(fields["postcode"]) or vacancy.employer.postcode
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
    _require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    reason = _clean_text(reason)
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
    _require_staff(by)
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
    booked placements (R-22), so the matching app closes with it when it books."""
    now = now or timezone.now()
    _require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    if reason == CloseReason.PLACEMENT:
        raise RuleRefused(MSG_PLACEMENT_OUTCOME, code="placement_outcome_needs_booking", rule="R-22")
    if reason not in CloseReason.values:
        message = _("Choose an outcome.")
        raise InvalidInput(message, fields={"reason": [message]})
    note = _clean_text(note)
    if reason == CloseReason.OTHER and not note:
        message = _("Describe the outcome in a note.")
        raise InvalidInput(message, fields={"note": [message]})
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise Conflict(_("This vacancy is already closed."), code="already_closed")
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
    _require_staff(by)
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
    _require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by)
    _check_new_expiry(vacancy, expires_on, today=timezone.localdate(now))
    vacancy.expires_on, vacancy.expiry_warned_at = expires_on, None
    with pghistory.context(user=by.pk, action="extend"):
        vacancy.save(update_fields=["expires_on", "expiry_warned_at", "updated_at"])
    return vacancy


# --- Correcting the moment of receipt (R-12, R-57) -----------------------------------------------------------------

MSG_RECEIPT_BY_OWNER = gettext_lazy("Only the owner of the vacancy or a manager corrects its moment of receipt (R-12).")
MSG_RECEIPT_REASON = gettext_lazy("Give the reason for the correction; it is kept in the vacancy's history (R-57).")
MSG_RECEIPT_AFTER_REGISTRATION = gettext_lazy(
    "A vacancy is received before it is registered (%(registered)s), never after (R-12)."
)
MSG_RECEIPT_AFTER_REFERRAL = gettext_lazy(
    "The vacancy was received before the first candidate was proposed on it (%(moment)s) (R-21)."
)
MSG_RECEIPT_AFTER_PLACEMENT = gettext_lazy(
    "The vacancy was received before the first placement on it started (%(day)s) (R-22)."
)
MSG_RECEIPT_UNCHANGED = gettext_lazy("This already is the moment of receipt.")


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


@transaction.atomic
def vacancy_correct_receipt(
    *, vacancy: Vacancy | int, by: User, received_at: datetime, reason: str, now: datetime | None = None
) -> Vacancy:
    """R-12, R-57: correct when a vacancy was received, with a reason, by its owner or a manager.

    The moment of receipt decides the late-registration figure (R-12), so it never moves without a trace: the
    correction is an update event of the vacancy's audit trail under the named action `correct_receipt`, whose
    context keeps the reason, the previous moment and who corrected it (the vacancy page and
    `vacancies/{id}/receipt-corrections/` show them), and `registered_late` follows by itself (a generated column).
    It is never in the future (nor does the database accept that, `received_not_in_future`), never after the
    registration, never after the first proposal on the vacancy (R-21) and never after the first placement on it or
    its partners' duplicates started (R-22). Registration itself is never corrected. The employer's takeover clock
    is not moved: receipt was contact when it was registered (R-05), and a correction is nobody's new contact.
    Refusals change nothing: 403 `not_vacancy_owner`, 400 with field errors, 409 `receipt_unchanged`.
    """
    now = now or timezone.now()
    _require_staff(by)
    vacancy = _lock(vacancy)
    if vacancy.owner_id != by.pk and by.role != Role.MANAGER:
        raise RuleRefused(MSG_RECEIPT_BY_OWNER, code="not_vacancy_owner", rule="R-12")
    errors: dict[str, list] = {}
    reason = _clean_text(reason)
    if not reason:
        errors["reason"] = [MSG_RECEIPT_REASON]
    if not isinstance(received_at, datetime):
        errors["received_at"] = [_("Give a date and time.")]
    else:
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        if received_at > now + CLOCK_SLACK:
            errors["received_at"] = [MSG_RECEIVED_FUTURE]
        elif received_at > vacancy.registered_at:
            errors["received_at"] = [MSG_RECEIPT_AFTER_REGISTRATION % {"registered": _local(vacancy.registered_at)}]
        else:
            first_referral = vacancy.referrals.aggregate(first=Min("referred_at"))["first"]
            first_start = Vacancy.objects.filter(Q(pk=vacancy.pk) | Q(duplicated_from=vacancy.pk)).aggregate(
                first=Min("placements__start_date")
            )["first"]
            if first_referral is not None and received_at > first_referral:
                errors["received_at"] = [MSG_RECEIPT_AFTER_REFERRAL % {"moment": _local(first_referral)}]
            elif first_start is not None and timezone.localdate(received_at) > first_start:
                errors["received_at"] = [MSG_RECEIPT_AFTER_PLACEMENT % {"day": first_start.strftime("%d-%m-%Y")}]
    if errors:
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-12", fields=errors)
    if received_at == vacancy.received_at:
        raise Conflict(MSG_RECEIPT_UNCHANGED, code="receipt_unchanged", rule="R-12")
    previous = vacancy.received_at
    vacancy.received_at = received_at
    with pghistory.context(
        user=by.pk,
        action=CORRECT_RECEIPT_ACTION,
        reason=reason,
        previous_received_at=previous.isoformat(),
        corrected_by=by.full_name,
    ):
        vacancy.save(update_fields=["received_at", "updated_at"])
    vacancy.refresh_from_db(fields=["registered_late"])
    return vacancy


# --- Offering a vacancy to the chain partners (R-13) -------------------------------------------------------------

MSG_OFFER_BLOCKED = gettext_lazy("A blocked vacancy takes no referrals; unblock it before offering it (R-16).")


def _require_open_for_partners(vacancy: Vacancy) -> None:
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-13")
    if vacancy.visibility == Visibility.BLOCKED:
        raise RuleRefused(MSG_OFFER_BLOCKED, code="vacancy_blocked", rule="R-16")


@transaction.atomic
def vacancy_offer_to_partners(
    *, vacancy: Vacancy | int, by: User, note: str = "", now: datetime | None = None
) -> Vacancy:
    """R-13: the owner marks the vacancy as not fillable from the own organisation's target groups ("at once": it
    then shows on the home page of every adviser of the other partner organisations, see
    `selectors.vacancies_offered_to_partners`), with an optional note for them. One of them takes it
    (`vacancy_take_from_partner`); the owner may withdraw the offer or still hand the vacancy over directly.
    Only an open, unblocked vacancy (R-16: a blocked one takes no referrals); 409 `already_offered` when it is."""
    now = now or timezone.now()
    _require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by, rule="R-13")
    _require_open_for_partners(vacancy)
    if vacancy.partner_offer_at is not None:
        raise Conflict(_("This vacancy is already offered to the chain partners."), code="already_offered", rule="R-13")
    vacancy.partner_offer_at, vacancy.partner_offer_note = now, _clean_text(note)
    with pghistory.context(user=by.pk, action="offer_to_partners"):
        vacancy.save(update_fields=["partner_offer_at", "partner_offer_note", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_withdraw_partner_offer(*, vacancy: Vacancy | int, by: User) -> Vacancy:
    """R-13: the owner takes the offer back (the vacancy turned out fillable after all); 409 `not_offered`."""
    _require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by, rule="R-13")
    if vacancy.partner_offer_at is None:
        raise Conflict(_("This vacancy is not offered to the chain partners."), code="not_offered", rule="R-13")
    vacancy.partner_offer_at, vacancy.partner_offer_note = None, ""
    with pghistory.context(user=by.pk, action="withdraw_partner_offer"):
        vacancy.save(update_fields=["partner_offer_at", "partner_offer_note", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_take_from_partner(
    *, vacancy: Vacancy | int, by: User, note: str = "", now: datetime | None = None
) -> Vacancy:
    """R-13: an adviser of a chain partner takes a vacancy its owner offered: they become its owner (the vacancy's
    organisation moves along) and account holder of the employer (the R-13 exception to R-04's admission request);
    a `VacancyHandover` with reason `chain_partner`, handed over by the partner, records it. By default only the
    vacancy moves: the employer's main account holder stays. The offer ends and the former owner is notified.

    Refused, with the data unchanged: not an active adviser (403 `not_an_adviser`), the vacancy not open (403
    `vacancy_not_open`) or blocked (403 `vacancy_blocked`, R-16), not offered (409 `not_offered`) or already taken
    by another partner (409 `already_taken`), an adviser of the owner's own organisation (403 `own_organisation`).
    """
    if getattr(by, "role", None) != Role.ADVISER or not by.is_active:
        raise RuleRefused(
            _("Only an adviser of a chain partner takes a vacancy (R-13)."), code="not_an_adviser", rule="R-13"
        )
    vacancy = _lock(vacancy)
    _require_open_for_partners(vacancy)
    if vacancy.partner_offer_at is None:
        taken = (
            VacancyHandover.objects.filter(vacancy=vacancy, reason=HandoverReason.CHAIN_PARTNER)
            .filter(handed_over_by=F("to_user"))
            .select_related("to_user")
            .first()
        )
        if taken is not None:
            raise Conflict(
                _("%(name)s already took this vacancy.") % {"name": taken.to_user.full_name},
                code="already_taken",
                rule="R-13",
                extra={"taken_by": taken.to_user_id},
            )
        raise Conflict(_("This vacancy is not offered to the chain partners."), code="not_offered", rule="R-13")
    if by.organisation_id == vacancy.organisation_id:
        raise RuleRefused(
            _("This vacancy is of your own organisation; a colleague takes it over through a handover (R-13)."),
            code="own_organisation",
            rule="R-13",
        )
    employer = Employer.objects.select_for_update().get(pk=vacancy.employer_id)
    former_owner = vacancy.owner
    with pghistory.context(user=by.pk, action="take_from_partner"):
        handover = _move_vacancy(
            vacancy, employer, to_user=by, by=by, reason=HandoverReason.CHAIN_PARTNER, note=note, move_employer=False
        )
    notify(
        users=[former_owner],
        kind=NotificationKind.VACANCY_HANDED_OVER,
        key=f"vacancy:{vacancy.pk}:taken:{handover.pk}",
        title=_("%(name)s (%(organisation)s) took over your vacancy %(title)s")
        % {"name": by.full_name, "organisation": by.organisation.name, "title": vacancy.title},
        body=_("You offered it to the chain partners because your own target groups could not fill it (R-13).")
        + (f" {handover.note}" if handover.note else ""),
        url=reverse("vacancy-detail", args=[vacancy.pk]),
        email=True,
    )
    return vacancy


# --- Handover to a chain partner (R-13, R-24) -----------------------------------------------------------------


def _add_account_holder(employer: Employer, user: User) -> None:
    if employer.main_account_holder_id != user.pk:
        AccountHolder.objects.get_or_create(employer=employer, user=user, defaults={"via": AccountHolderVia.HANDOVER})


def _move_main_account_holder(employer: Employer, user: User) -> bool:
    """The employer's ownership moves too, by agreement (R-13); the old main account holder stays account holder."""
    old_holder_id = employer.main_account_holder_id
    if old_holder_id == user.pk:
        return False
    employer.main_account_holder = user
    employer.save(update_fields=["main_account_holder", "updated_at"])
    AccountHolder.objects.filter(employer=employer, user=user).delete()
    AccountHolder.objects.get_or_create(
        employer=employer, user_id=old_holder_id, defaults={"via": AccountHolderVia.OWNERSHIP_CHANGE}
    )
    # the new main account holder's 12 months start now.
    employer_clock_start([employer.pk], holder=user, source=LastContactSource.OWNERSHIP_CHANGE, now=timezone.now())
    return True


MSG_EMPLOYER_MOVE_BY_HOLDER = gettext_lazy(
    "Only the employer's main account holder can agree that the employer moves along with the vacancy (R-03, R-13). "
    "Hand over only the vacancy; taking over the employer without consultation is possible after 12 months without "
    "contact (R-05)."
)
MSG_EMPLOYER_MOVE_NOT_BY_TAKEOVER = gettext_lazy(
    "A colleague's takeover moves the vacancy only; the employer's ownership moves by agreement with a chain partner "
    "(R-13) or by a takeover after 12 months without contact (R-05)."
)


def _check_employer_move(employer: Employer, *, by: User, reason: str) -> None:
    """R-03/R-05/R-13: the employer's ownership moves along with a vacancy only when its main account holder agrees
    (the caller is that main account holder) and only to a chain partner; never by a colleague's takeover."""
    if reason == HandoverReason.TAKEOVER:
        raise RuleRefused(
            MSG_EMPLOYER_MOVE_NOT_BY_TAKEOVER,
            code="employer_move_not_by_takeover",
            rule="R-13",
            fields={"move_employer": [MSG_EMPLOYER_MOVE_NOT_BY_TAKEOVER]},
        )
    if employer.main_account_holder_id != getattr(by, "pk", None):
        raise RuleRefused(
            MSG_EMPLOYER_MOVE_BY_HOLDER,
            code="employer_move_needs_main_account_holder",
            rule="R-13",
            fields={"move_employer": [MSG_EMPLOYER_MOVE_BY_HOLDER]},
        )


@transaction.atomic
def vacancy_hand_over(
    *,
    vacancy: Vacancy | int,
    by: User,
    to_user: User | int,
    move_employer: bool = False,
    note: str = "",
    reason: str = HandoverReason.CHAIN_PARTNER,
    enforce_owner: bool = True,
) -> Vacancy:
    """Move the vacancy to another adviser.

    R-13: a vacancy the owner cannot fill from its own target groups goes to a chain partner (an adviser of another
    organisation), who becomes account holder of the employer and owner of the vacancy; the vacancy's organisation
    moves along. Only the vacancy moves unless moving the employer was agreed (`move_employer`): then the partner
    becomes main account holder and the old main account holder stays account holder. Only the employer's main
    account holder can agree to that (R-03; otherwise 403 `employer_move_needs_main_account_holder`, R-05 being the
    only way to take an employer over without consultation), and never with a colleague's takeover.
    R-24: the matching app moves a 1-position vacancy to the partner whose candidate was hired
    (reason `partner_hired`, `enforce_owner=False`: the system does it, not the owner).
    A colleague of the same organisation takes a vacancy over with reason `takeover`.
    """
    if enforce_owner:
        _require_staff(by)
    if reason not in HandoverReason.values:
        message = _("Choose a reason for the handover.")
        raise InvalidInput(message, fields={"reason": [message]})
    vacancy = _lock(vacancy)
    if enforce_owner:
        _require_owner(vacancy, by, rule="R-13")
    to_user = _owner_from_input(to_user, field="to_user")
    if to_user.pk == vacancy.owner_id:
        raise Conflict(_("This adviser already owns the vacancy."), code="already_owner", rule="R-13")
    same_organisation = to_user.organisation_id == vacancy.organisation_id
    if reason == HandoverReason.TAKEOVER and not same_organisation:
        message = _("A takeover is by a colleague of the same organisation; hand over to a chain partner instead.")
        raise RuleRefused(message, code="not_a_colleague", rule="R-13", fields={"to_user": [message]})
    if reason != HandoverReason.TAKEOVER and same_organisation:
        raise RuleRefused(
            MSG_NOT_A_CHAIN_PARTNER,
            code="not_a_chain_partner",
            rule="R-13",
            fields={"to_user": [MSG_NOT_A_CHAIN_PARTNER]},
        )
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-13")

    employer = Employer.objects.select_for_update().get(pk=vacancy.employer_id)
    if move_employer:
        _check_employer_move(employer, by=by, reason=reason)
    with pghistory.context(user=by.pk, action="hand_over"):
        handover = _move_vacancy(
            vacancy, employer, to_user=to_user, by=by, reason=reason, note=note, move_employer=move_employer
        )
    if enforce_owner:
        # The owner's own handover: the new owner hears of it (the system's R-24 move is announced by matching).
        notify(
            users=[to_user],
            kind=NotificationKind.VACANCY_HANDED_OVER,
            key=f"vacancy:{vacancy.pk}:handover:{handover.pk}",
            title=_("%(name)s handed the vacancy %(title)s to you")
            % {"name": getattr(by, "full_name", ""), "title": vacancy.title},
            body=handover.note,
            url=reverse("vacancy-detail", args=[vacancy.pk]),
            email=True,
        )
    return vacancy


def _move_vacancy(
    vacancy: Vacancy, employer: Employer, *, to_user: User, by: User, reason: str, note: str, move_employer: bool
) -> VacancyHandover:
    """Move the vacancy to `to_user` (R-13, R-24): owner and organisation, the new owner as account holder of the
    employer (or as main account holder when moving the employer was agreed), any offer to the chain partners
    ended, and the handover recorded. The caller holds the locks and the named pghistory action."""
    from_user_id, from_organisation_id = vacancy.owner_id, vacancy.organisation_id
    employer_moved = _move_main_account_holder(employer, to_user) if move_employer else False
    if not employer_moved:
        _add_account_holder(employer, to_user)
    vacancy.owner, vacancy.organisation_id = to_user, to_user.organisation_id
    vacancy.partner_offer_at, vacancy.partner_offer_note = None, ""
    vacancy.save(update_fields=["owner", "organisation", "partner_offer_at", "partner_offer_note", "updated_at"])
    return VacancyHandover.objects.create(
        vacancy=vacancy,
        from_user_id=from_user_id,
        to_user=to_user,
        from_organisation_id=from_organisation_id,
        to_organisation_id=to_user.organisation_id,
        reason=reason,
        employer_moved=employer_moved,
        note=_clean_text(note),
        handed_over_by=by,
    )


# --- Many positions: duplicate and co-production (R-19) ----------------------------------------------------

# The descriptive fields a partner's vacancy copies from the original.
COPIED_FIELDS = (
    "employer_id", "title", "description", "occupation_id", "skills", "hours_per_week", "postcode", "municipality",
    "source", "recruitment_request", "visibility", "blocked_reason", "target_group_flags", "min_age", "max_age",
    "latitude", "longitude",
)  # fmt: skip


def _copy(vacancy: Vacancy, **fields) -> Vacancy:
    copied = {name: getattr(vacancy, name) for name in COPIED_FIELDS}
    copied["skills"] = list(vacancy.skills)
    copied["target_group_flags"] = list(vacancy.target_group_flags)
    return Vacancy(**copied, **fields)


def _two_to_nine(vacancy: Vacancy) -> bool:
    return 2 <= vacancy.requested_positions < settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]


def partner_hires_to_book(vacancy: Vacancy, *, organisation_id: int) -> int:
    """R-25: hired referrals on the vacancy of the organisation's candidates that have no booked placement yet: what
    a duplicate for that organisation is for. Reverse lookups keep vacancies free of matching imports."""
    return (
        vacancy.referrals.filter(status=HIRED, candidate__organisation_id=organisation_id)
        .exclude(placements__status=BOOKED)
        .count()
    )


@transaction.atomic
def vacancy_duplicate(
    *,
    vacancy: Vacancy | int,
    by: User,
    owner: User | int,
    requested_positions: int | None = None,
    now: datetime | None = None,
) -> Vacancy:
    """R-25: on a vacancy of 2 to 9 positions the owner books its own organisation's candidates first and closes the
    vacancy; a chain partner with hired candidates then duplicates it under the same employer, refers them again on
    the duplicate and books there.

    The caller is staff of the partner (or the original's owner, when the matching app duplicates for the partners
    while it closes). One duplicate per partner organisation. The duplicate starts with one position (R-20) and is
    received and registered now: it is not a new report by the employer, so it must not count as a late
    registration (R-12) for the partner.

    Only an original closed with outcome "placement" is duplicated, and only for a partner with hired candidates on
    it that are not booked (`partner_hires_to_book`); otherwise 403 `nothing_to_duplicate` (R-25, and R-22: never a
    vacancy only to book a placement). The duplicate asks for at most that many positions, by default exactly that.
    """
    now = now or timezone.now()
    _require_staff(by)
    original = _lock(vacancy)
    owner = _owner_from_input(owner)
    if not _two_to_nine(original):
        raise RuleRefused(
            _("Only a vacancy of 2 to 9 positions is duplicated for a chain partner (R-25)."),
            code="not_a_two_to_nine_vacancy",
            rule="R-25",
        )
    if original.duplicated_from_id is not None:
        raise RuleRefused(
            _("This vacancy is itself a duplicate; duplicate the original vacancy (R-25)."),
            code="already_a_duplicate",
            rule="R-25",
        )
    if original.status not in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise RuleRefused(
            _("The owner books its own candidates and closes the vacancy first; then it can be duplicated (R-25)."),
            code="vacancy_not_closed",
            rule="R-25",
        )
    if owner.organisation_id == original.organisation_id:
        message = _("A duplicate is for an adviser of a chain partner, not of the vacancy's own organisation (R-25).")
        raise RuleRefused(message, code="not_a_chain_partner", rule="R-25", fields={"owner": [message]})
    if by.organisation_id != owner.organisation_id and by.pk != original.owner_id:
        raise RuleRefused(
            _("Only staff of the chain partner duplicate a vacancy for it (R-25)."),
            code="not_partner_staff",
            rule="R-25",
        )
    existing = original.duplicates.filter(organisation_id=owner.organisation_id).values_list("pk", flat=True).first()
    if existing is not None:
        raise Conflict(
            _("Your organisation already has a duplicate of this vacancy (R-25)."),
            code="already_duplicated",
            rule="R-25",
            extra={"duplicate": existing},
        )
    hired = (
        partner_hires_to_book(original, organisation_id=owner.organisation_id)
        if original.close_reason == CloseReason.PLACEMENT
        else 0
    )
    if not hired:
        raise RuleRefused(
            _(
                "Only a vacancy closed with placements is duplicated, for a chain partner with hired candidates on it "
                "that are not booked yet (R-25); never a vacancy only to book a placement (R-22)."
            ),
            code="nothing_to_duplicate",
            rule="R-25",
        )
    maximum = min(hired, original.requested_positions)
    if requested_positions is None:
        requested_positions = maximum
    if isinstance(requested_positions, bool) or not isinstance(requested_positions, int):
        requested_positions = 0
    if not 1 <= requested_positions <= maximum:
        message = _("Between 1 and your organisation's hired candidates on this vacancy (%(max)s).") % {"max": maximum}
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-25", fields={"requested_positions": [message]})
    duplicate = _copy(
        original,
        owner=owner,
        organisation_id=owner.organisation_id,
        requested_positions=requested_positions,
        positions=1,
        received_at=now,
        registered_at=now,
        expires_on=_default_expiry(now),
        duplicated_from=original,
        created_by=by,
    )
    _field_errors(duplicate, {})
    with pghistory.context(user=by.pk, action="duplicate", duplicated_from=original.pk):
        duplicate.save()
    return duplicate


@transaction.atomic
def co_production_start(
    *,
    vacancy: Vacancy | int,
    by: User,
    activities: Iterable[str],
    partners: Iterable[Organisation | int],
    partner_owners: Mapping[int, User | int],
    planned_on: date | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> RecruitmentPlan:
    """R-19: a vacancy of 10 or more positions is a co-production. Its owner makes the recruitment plan with the
    chain partners, and each partner gets its own vacancy under the same employer (never a new employer), owned by
    the partner's adviser, so each refers and books its own candidates. The employer's request is split evenly over
    the partners' vacancies; each registers one position (R-20). The partners' vacancies are received and
    registered now, like a duplicate (R-25): they are not a new report by the employer.
    """
    now = now or timezone.now()
    _require_staff(by)
    vacancy = _lock(vacancy)
    _require_owner(vacancy, by, rule="R-19")
    if vacancy.parent_id is not None or not vacancy.is_co_production:
        raise RuleRefused(
            _("Only a vacancy of %(n)s or more positions is a co-production (R-19).")
            % {"n": settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]},
            code="not_a_co_production",
            rule="R-19",
        )
    if vacancy.status != VacancyStatus.OPEN:
        raise RuleRefused(MSG_NOT_OPEN, code="vacancy_not_open", rule="R-19")
    if RecruitmentPlan.objects.filter(vacancy=vacancy).exists():
        raise Conflict(
            _("This co-production already has a recruitment plan."), code="co_production_exists", rule="R-19"
        )

    errors: dict[str, list] = {}
    activities = _flags(activities)
    if not activities or any(a not in RecruitmentActivity.values for a in activities):
        errors["activities"] = [_("Choose at least one activity from the list.")]
    organisations: list[Organisation] = []
    for index, partner in enumerate(partners or ()):
        organisation = _organisation_from_input(partner, field=f"partners.{index}")
        if organisation.pk == vacancy.organisation_id:
            errors[f"partners.{index}"] = [_("The owner's own organisation is not a chain partner here.")]
        elif organisation.pk in {o.pk for o in organisations}:
            errors[f"partners.{index}"] = [_("Each partner once.")]
        organisations.append(organisation)
    if not organisations:
        errors["partners"] = [_("Choose at least one chain partner.")]
    elif len(organisations) > vacancy.requested_positions:
        errors["partners"] = [_("More partners than positions asked for.")]
    owners: dict[int, User] = {}
    for organisation in organisations:
        given = partner_owners.get(organisation.pk) if partner_owners else None
        field = f"partner_owners.{organisation.pk}"
        if given is None:
            errors[field] = [_("Name the partner's adviser who owns its vacancy.")]
            continue
        owner = _owner_from_input(given, field=field)
        if owner.organisation_id != organisation.pk:
            errors[field] = [_("This adviser does not work for that partner.")]
        owners[organisation.pk] = owner
    if errors:
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-19", fields=errors)

    plan = RecruitmentPlan(
        vacancy=vacancy, activities=activities, planned_on=planned_on, notes=_clean_text(notes), created_by=by
    )
    try:
        plan.full_clean(exclude=["vacancy", "created_by"])
    except ValidationError as exc:
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-19", fields=exc.message_dict) from exc
    share, extra = divmod(vacancy.requested_positions, len(organisations))
    with pghistory.context(user=by.pk, action="co_production", parent=vacancy.pk):
        plan.save()
        plan.partners.set(organisations)
        for index, organisation in enumerate(organisations):
            child = _copy(
                vacancy,
                owner=owners[organisation.pk],
                organisation=organisation,
                requested_positions=share + (1 if index < extra else 0),
                positions=1,
                received_at=now,
                registered_at=now,
                expires_on=_default_expiry(now),
                parent=vacancy,
                created_by=by,
            )
            _field_errors(child, {})
            child.save()
    return plan


# --- Expiry ---------------------------------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@transaction.atomic
def vacancies_warn_expiring(*, today: date, now: datetime | None = None) -> list[int]:
    """Open vacancies that expire within VACANCY_EXPIRY_WARNING_DAYS (or already passed their date) and whose owner
    was not warned yet: mark them warned and return their ids, for the task to notify. Idempotent."""
    now = now or timezone.now()
    horizon = today + timedelta(days=settings.WSP["VACANCY_EXPIRY_WARNING_DAYS"])
    due = Vacancy.objects.select_for_update(skip_locked=True).filter(
        status=VacancyStatus.OPEN, expires_on__lte=horizon, expiry_warned_at__isnull=True
    )
    ids = list(due.order_by("id").values_list("id", flat=True))
    # Not a change of the vacancy itself: expiry_warned_at is left out of the history and updated_at stays.
    Vacancy.objects.filter(pk__in=ids).update(expiry_warned_at=now)
    return ids


@transaction.atomic
def vacancies_expire_stale(*, today: date, now: datetime | None = None) -> list[int]:
    """Expire open vacancies past their expiry date whose owner was warned on an earlier day, so nobody finds a
    vacancy expired without a warning; the next daily run expires one that was only just warned. Idempotent."""
    now = now or timezone.now()
    stale = Vacancy.objects.select_for_update(skip_locked=True).filter(
        status=VacancyStatus.OPEN, expires_on__lt=today, expiry_warned_at__lt=_start_of(today)
    )
    ids = list(stale.order_by("id").values_list("id", flat=True))
    with pghistory.context(action="expire"):
        Vacancy.objects.filter(pk__in=ids).update(status=VacancyStatus.EXPIRED, updated_at=now)
    return ids
