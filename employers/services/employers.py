"""Writes on the employer record itself: entering an employer with its first contact (R-06, R-07, R-03) and
changing it (R-04, R-07); and the checks the other employer services share (R-01 roles, R-04 admission, R-05 clock
start, R-08 visit report, R-09 purged records, R-33 instruments).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import User
from accounts.rules import require_staff
from employers.choices import ContactKind, Instrument
from employers.models import ContactMoment, Employer
from employers.normalize import normalise_postcode
from employers.selectors import duplicate_candidates, may_act_for_employer, strong_duplicates
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused
from wsp.inputs import CLOCK_SLACK, MSG_CORRECT_FIELDS, clean_text, full_clean

# Fields an adviser may set on an employer; ownership, status and merge fields have their own services.
EDITABLE_FIELDS = (
    "name", "kvk_number", "visiting_address", "postcode", "city", "municipality", "sector", "sbi_code",
    "staff_count", "employer_type", "website", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip
VISIT_REPORT_FIELDS = ("reason", "company_activities", "agreements")


@dataclass(frozen=True)
class VisitReport:
    """R-08: the report every company visit gets; R-33: with the instruments advised and applied, if any."""

    occurred_at: datetime
    reason: str
    company_activities: str
    agreements: str
    summary: str = ""
    instruments_advised: tuple[str, ...] | list[str] = ()
    instruments_applied: tuple[str, ...] | list[str] = ()


MSG_ADMISSION_REQUIRED = gettext_lazy(
    "Only the main account holder (%(holder)s), admitted account holders and managers act towards this employer. "
    "Ask %(holder)s for admission first (R-04)."
)


def require_admission(employer: Employer, user: User) -> None:
    """R-04: refuse (403 `admission_required`) anyone who is not the main account holder, an admitted account
    holder or a manager. The refusal names the main account holder and where the one-click admission request goes.
    The exceptions of the rules do not pass through here: a takeover when R-05 allows it, the chain partner of R-13
    (who becomes account holder by the handover) and the system's own moves of R-24/R-25.
    """
    if may_act_for_employer(employer=employer, user=user):
        return
    holder = employer.main_account_holder
    raise RuleRefused(
        MSG_ADMISSION_REQUIRED % {"holder": holder.full_name},
        code="admission_required",
        rule="R-04",
        extra={
            "main_account_holder": holder.pk,
            "access_request": reverse("api:employer-access-requests", args=[employer.pk]),
        },
    )


def employer_clock_start(employer_ids: list[int], *, holder: User, source: str, now: datetime) -> None:
    """R-05: a takeover, a reassignment or an agreed ownership move starts the new main account holder's 12 months
    at that moment (the database triggers only count contact; see employers.models.NOTE_CONTACT_FUNCTION)."""
    Employer.objects.filter(pk__in=employer_ids).update(
        last_contact_at=now, last_contact_source=source, last_contact_by=holder, last_contact_object_id=None
    )


MSG_PURGED = gettext_lazy("This employer was purged: its record only keeps the figures it counted (R-09).")


def _refuse_purged(employer: Employer) -> None:
    """R-09: the anonymised record of a purged employer takes no new data (it would bring identifying data back)."""
    if employer.purged_at is not None:
        raise Conflict(MSG_PURGED, code="employer_purged", rule="R-09")


MSG_UNKNOWN_INSTRUMENT = gettext_lazy("Unknown instrument: %(value)s.")
MSG_CONTACT_FUTURE = gettext_lazy("A contact moment cannot lie in the future.")


MSG_INSTRUMENTS_LIST = gettext_lazy("Give a list of instruments.")
MSG_INSTRUMENTS_REFUSED = gettext_lazy("Choose instruments from the list (R-33).")


def instruments_clean(values: Iterable[str] | None, *, field: str = "instruments") -> list[str]:
    """R-33: the one validator of instruments (employers.choices.Instrument), for contact moments and placements.

    Returns the cleaned list: each value stripped, each instrument once, in the order of the list; None is [].
    Raises InvalidInput (400 `unknown_instrument`, rule R-33, with the messages under `field`) for a bare string
    or anything else that is not a list, and for every value not in the list (each named once).
    """
    if values is None:
        return []
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise InvalidInput(
            MSG_INSTRUMENTS_REFUSED, code="unknown_instrument", rule="R-33", fields={field: [MSG_INSTRUMENTS_LIST]}
        )
    order = {value: index for index, value in enumerate(Instrument.values)}
    chosen = [str(value).strip() for value in values]
    unknown = [value for value in chosen if value not in order]
    if unknown:
        raise InvalidInput(
            MSG_INSTRUMENTS_REFUSED,
            code="unknown_instrument",
            rule="R-33",
            fields={field: [MSG_UNKNOWN_INSTRUMENT % {"value": value} for value in dict.fromkeys(unknown)]},
        )
    return sorted(set(chosen), key=order.__getitem__)


def _instruments_clean_all(**lists: Iterable[str] | None) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """`instruments_clean` for several fields at once: the cleaned lists and the errors of all fields together."""
    cleaned: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for name, values in lists.items():
        try:
            cleaned[name] = instruments_clean(values, field=name)
        except InvalidInput as refused:
            errors.update(refused.fields or {})
    return cleaned, errors


# a moment this long ago is a typing error (and before the platform's data), not a real receipt.
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
MSG_MOMENT_TOO_EARLY = gettext_lazy("Choose a moment after 1 January 2000.")


def moment_errors(moment: datetime | None, *, field: str, future_message, now: datetime) -> dict[str, list[str]]:
    """A moment that decides a figure (receipt, response, contact): not before 2000 and not in the future (with
    the clock slack of wsp.inputs). Returns the field error, if any."""
    if moment is None:
        return {}
    if moment < EARLIEST_MOMENT:
        return {field: [MSG_MOMENT_TOO_EARLY]}
    if moment > now + CLOCK_SLACK:
        return {field: [future_message]}
    return {}


def _validate_visit(report: VisitReport, *, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in VISIT_REPORT_FIELDS:
        if not clean_text(getattr(report, name)):
            errors[name] = [_("A visit report needs this (R-08).")]
    errors.update(moment_errors(report.occurred_at, field="occurred_at", future_message=MSG_CONTACT_FUTURE, now=now))
    _cleaned, instrument_errors = _instruments_clean_all(
        instruments_advised=report.instruments_advised, instruments_applied=report.instruments_applied
    )
    errors.update(instrument_errors)
    return errors


def _normalise_employer_fields(data: dict) -> dict:
    cleaned = {key: value for key, value in data.items() if key in EDITABLE_FIELDS}
    for key in ("name", "kvk_number", "visiting_address", "city", "municipality", "sbi_code", "contact_name"):
        if key in cleaned:
            cleaned[key] = clean_text(cleaned[key])
    if "postcode" in cleaned:
        cleaned["postcode"] = normalise_postcode(cleaned["postcode"]) or clean_text(cleaned["postcode"])
    if "kvk_number" in cleaned:
        cleaned["kvk_number"] = cleaned["kvk_number"].replace(" ", "")
    return cleaned


@transaction.atomic
def employer_create(
    *,
    by: User,
    data: dict,
    first_visit: VisitReport | None = None,
    first_vacancy_register: Callable[[Employer], object] | None = None,
    main_account_holder: User | None = None,
    confirm_not_duplicate: bool = False,
    now: datetime | None = None,
) -> Employer:
    """Enter a new employer together with its first visit report or its first vacancy.

    R-06: an employer is only entered when it was visited or reported a vacancy. The vacancy is registered by
    `first_vacancy_register(employer)` (vacancies.services.vacancy_register_for_new_employer, passed in by the
    caller so employers does not depend on vacancies), inside this transaction: a refused vacancy leaves no employer.
    R-07: a duplicate is found, not created: an employer with the same normalised name (or KvK number) at the same
    postcode is refused outright; a similar name is refused unless the adviser confirms it is another employer.
    R-03: the creating adviser becomes main account holder, unless another adviser is named (an account manager
    acquires without a caseload and names the adviser who will own the relation).
    """
    now = now or timezone.now()
    require_staff(by)
    if first_visit is None and first_vacancy_register is None:
        raise InvalidInput(
            _(
                "An employer is only entered after a company visit or a reported vacancy; add the visit report or "
                "the vacancy."
            ),
            code="first_contact_required",
            rule="R-06",
            fields={"first_visit": [_("Required (R-06).")], "first_vacancy": [_("Or this (R-06).")]},
        )
    holder = main_account_holder or by
    if holder.role != Role.ADVISER or not holder.is_active:
        raise InvalidInput(
            _("The main account holder must be an active adviser."),
            code="invalid_main_account_holder",
            rule="R-03",
            fields={"main_account_holder": [_("Choose an active adviser.")]},
        )

    employer = Employer(**_normalise_employer_fields(data), main_account_holder=holder, created_by=by)
    errors: dict[str, list[str]] = {}
    try:
        employer.full_clean(exclude=["main_account_holder", "name_key"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    visit_errors = _validate_visit(first_visit, now=now) if first_visit is not None else {}
    if visit_errors:
        errors.update({f"first_visit.{key}": value for key, value in visit_errors.items()})
    if errors:
        raise InvalidInput(MSG_CORRECT_FIELDS, fields=errors, rule="R-08" if visit_errors else None)

    strong = strong_duplicates(name=employer.name, postcode=employer.postcode, kvk_number=employer.kvk_number)
    if strong:
        raise Conflict(
            _("This employer already exists; open the existing record instead (R-07)."),
            code="duplicate_employer",
            rule="R-07",
            extra={"duplicates": strong, "overridable": False},
        )
    if not confirm_not_duplicate:
        similar = duplicate_candidates(name=employer.name, postcode=employer.postcode, likely_only=True)
        if similar:
            raise Conflict(
                _("Similar employers exist. Check them; confirm only if this really is another employer (R-07)."),
                code="duplicate_employer",
                rule="R-07",
                extra={"duplicates": similar, "overridable": True},
            )

    with pghistory.context(user=by.pk):
        employer.save()
        if first_visit is not None:
            _contact_moment_save(
                employer=employer,
                adviser=by,
                kind=ContactKind.VISIT,
                occurred_at=first_visit.occurred_at,
                summary=first_visit.summary,
                reason=first_visit.reason,
                company_activities=first_visit.company_activities,
                agreements=first_visit.agreements,
                **_instruments_clean_all(
                    instruments_advised=first_visit.instruments_advised,
                    instruments_applied=first_visit.instruments_applied,
                )[0],
            )
    if first_vacancy_register is not None:
        first_vacancy_register(employer)
    employer.refresh_from_db(fields=["last_contact_at"])
    return employer


@transaction.atomic
def employer_update(*, employer_id: int, by: User, data: dict) -> Employer:
    """Change an employer's record; everything lands in the audit trail.

    R-04: only the main account holder, an admitted account holder or a manager changes the record; anyone else is
    refused (403 `admission_required`) with the way to ask for admission. Every staff member still reads it (R-02).
    """
    require_staff(by)
    employer = _lock_current(employer_id)
    require_admission(employer, by)
    cleaned = _normalise_employer_fields(data)
    for key, value in cleaned.items():
        setattr(employer, key, value)
    full_clean(employer, exclude=["name_key"])
    if "name" in cleaned or "postcode" in cleaned or "kvk_number" in cleaned:
        strong = [
            d
            for d in strong_duplicates(name=employer.name, postcode=employer.postcode, kvk_number=employer.kvk_number)
            if d["id"] != employer.pk
        ]
        if strong:
            raise Conflict(
                _("Another record already has this name or KvK number at this postcode (R-07)."),
                code="duplicate_employer",
                rule="R-07",
                extra={"duplicates": strong, "overridable": False},
            )
    with pghistory.context(user=by.pk):
        employer.save()
    return employer


def _lock_current(employer_id: int) -> Employer:
    # No joins in the locking query: a join is re-checked against the old row when a concurrent transaction changed
    # it (a takeover), and the row would seem gone.
    employer = Employer.objects.select_for_update().filter(pk=employer_id, merged_into__isnull=True).first()
    if employer is None:
        raise NotVisible(_("Employer not found."))
    _refuse_purged(employer)
    return employer


def _employer_from_input(employer_id: int, field: str = "employer") -> Employer:
    """An employer named in the input: an unknown or merged id is invalid input (400), not a missing page."""
    employer = Employer.objects.current().select_related("main_account_holder").filter(pk=employer_id).first()
    if employer is None:
        raise InvalidInput(_("Unknown employer."), code="unknown_employer", fields={field: [_("Unknown employer.")]})
    _refuse_purged(employer)
    return employer


def _contact_moment_save(**fields) -> ContactMoment:
    moment = ContactMoment(organisation_id=fields["adviser"].organisation_id, **fields)
    full_clean(moment, exclude=["employer", "adviser", "organisation"])
    moment.save()
    return moment
