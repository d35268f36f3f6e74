"""What the vacancy services share (STYLE habit 2): the checks of registration that changes repeat (R-12, R-15,
R-16, R-20, R-42), the lookups of their inputs, the locks, the messages and the one rule for "a manager" (R-04).

Every service runs in one transaction and checks before it writes, so a refusal leaves the data as it was. The
database backs the main invariants with check constraints (vacancies/models.py); the services refuse first, with
a stable code and the rule id, so the adviser and the integrator learn which rule it was.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import Organisation, User
from employers.models import Employer
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused
from wsp.inputs import MSG_CORRECT_FIELDS

from ..choices import Visibility
from ..models import AGE_BAND_YEARS, AGE_CEILING, AGE_FLOOR, Skill, Vacancy
from ..selectors import BOOKED, HIRED, is_organisation_manager  # noqa: F401 (the service modules take them from here)
from ..texts import discriminating_phrases

# requirements on sex or origin are refused. The vacancy has no such fields; a client that sends one of these
# keys believes it sets such a requirement, so it is refused loudly instead of being ignored in silence.
DISCRIMINATING_KEYS = frozenset({"sex", "gender", "origin", "nationality", "ethnicity"})


# how long before its registration a vacancy can have been received. A report older than a year is a new
# report, not a late registration; the bound also keeps a registration or a correction from putting receipt in
# year 1. (The moment the employer was entered is no bound: an employer is entered together with the vacancy it
# reported, R-06, so after its receipt.)
RECEIPT_WINDOW = timedelta(days=365)
MSG_RECEIPT_TOO_EARLY = gettext_lazy(
    "A vacancy is received at most a year before it is registered: not before %(moment)s (R-12). An older report "
    "is a new one."
)
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


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def _require_owner(vacancy: Vacancy, user, *, rule: str = "R-17") -> None:
    if vacancy.owner_id != getattr(user, "pk", None):
        raise RuleRefused(MSG_NOT_OWNER, code="not_vacancy_owner", rule=rule)


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
