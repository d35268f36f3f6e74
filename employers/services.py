"""Writes for employers and their relations (STYLE habit 2).

Every rule of R-03..R-11 is enforced here, so the browser, the API, the admin and Celery pass through the same
code. Each service runs in one transaction and checks before it writes: a refusal leaves the data as it was.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import cycle

import pghistory
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Cast, Concat
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import User
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused

from . import feedback_csv
from .choices import (
    AccessRequestStatus,
    AccountHolderVia,
    ContactKind,
    EmployerStatus,
    FeedbackSource,
    Instrument,
    LastContactSource,
    SizeClass,
)
from .models import (
    AccessRequest,
    AccountHolder,
    ContactMoment,
    ContactRequest,
    Employer,
    EmployerFeedback,
    EmployerMerge,
    PurgedEmployerTally,
)
from .normalize import name_key, normalise_postcode
from .selectors import duplicate_candidates, may_act_for_employer, strong_duplicates

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


def takeover_possible_from(employer: Employer) -> datetime | None:
    """R-05: the moment another adviser may take the employer over; None when that is possible now or ever was."""
    if employer.last_contact_at is None:
        return None
    return employer.last_contact_at + relativedelta(months=settings.WSP["TAKEOVER_AFTER_MONTHS"])


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


def _require_staff(user: User, *, roles=tuple(Role.values)) -> None:
    if getattr(user, "role", None) not in roles:
        raise RuleRefused(_("Your role does not allow this action."), code="role_not_allowed", rule="R-01")


def _require_manager(user: User) -> None:
    if not getattr(user, "is_manager", False):
        raise RuleRefused(_("Only a manager may do this."), code="manager_only", rule="R-01")


def _require_administrator(user: User) -> None:
    if getattr(user, "role", None) != Role.ADMIN:
        raise RuleRefused(_("Only an administrator may do this."), code="administrator_only", rule="R-01")


MSG_PURGED = gettext_lazy("This employer was purged: its record only keeps the figures it counted (R-09).")


def _refuse_purged(employer: Employer) -> None:
    """R-09: the anonymised record of a purged employer takes no new data (it would bring identifying data back)."""
    if employer.purged_at is not None:
        raise Conflict(MSG_PURGED, code="employer_purged", rule="R-09")


MSG_UNKNOWN_INSTRUMENT = gettext_lazy("Unknown instrument: %(value)s.")


def _validate_instruments(**lists: Iterable[str] | None) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """R-33: instruments come from the one list in the code (employers.choices.Instrument).

    Returns the cleaned lists (each instrument once, in the order of the list) and the errors per field.
    """
    cleaned: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    order = {value: index for index, value in enumerate(Instrument.values)}
    for name, values in lists.items():
        if values is None:
            values = []
        if isinstance(values, str) or not isinstance(values, Iterable):
            errors[name] = [_("Give a list of instruments.")]
            continue
        values = [str(v).strip() for v in values]
        unknown = [v for v in values if v not in order]
        if unknown:
            errors[name] = [MSG_UNKNOWN_INSTRUMENT % {"value": v} for v in dict.fromkeys(unknown)]
            continue
        cleaned[name] = sorted(set(values), key=order.__getitem__)
    return cleaned, errors


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _validate_visit(report: VisitReport, *, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in VISIT_REPORT_FIELDS:
        if not _clean_text(getattr(report, name)):
            errors[name] = [_("A visit report needs this (R-08).")]
    if report.occurred_at > now + relativedelta(minutes=5):
        errors["occurred_at"] = [_("A contact moment cannot lie in the future.")]
    _cleaned, instrument_errors = _validate_instruments(
        instruments_advised=report.instruments_advised, instruments_applied=report.instruments_applied
    )
    errors.update(instrument_errors)
    return errors


def _full_clean(instance, *, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(_("Please correct the marked fields."), code="invalid", fields=exc.message_dict) from exc


def _normalise_employer_fields(data: dict) -> dict:
    cleaned = {key: value for key, value in data.items() if key in EDITABLE_FIELDS}
    for key in ("name", "kvk_number", "visiting_address", "city", "municipality", "sbi_code", "contact_name"):
        if key in cleaned:
            cleaned[key] = _clean_text(cleaned[key])
    if "postcode" in cleaned:
        cleaned["postcode"] = normalise_postcode(cleaned["postcode"]) or _clean_text(cleaned["postcode"])
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
    _require_staff(by)
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
        raise InvalidInput(_("Please correct the marked fields."), fields=errors, rule="R-08" if visit_errors else None)

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
                **_validate_instruments(
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
    _require_staff(by)
    employer = _lock_current(employer_id)
    require_admission(employer, by)
    cleaned = _normalise_employer_fields(data)
    for key, value in cleaned.items():
        setattr(employer, key, value)
    _full_clean(employer, exclude=["name_key"])
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
    _full_clean(moment, exclude=["employer", "adviser", "organisation"])
    moment.save()
    return moment


@transaction.atomic
def contact_moment_register(
    *,
    employer_id: int,
    by: User,
    kind: str,
    occurred_at: datetime,
    summary: str = "",
    reason: str = "",
    company_activities: str = "",
    agreements: str = "",
    instruments_advised: Iterable[str] | None = None,
    instruments_applied: Iterable[str] | None = None,
    now: datetime | None = None,
) -> ContactMoment:
    """Register a contact moment; a visit needs its report (R-08). Moves last_contact_at by trigger (R-05).

    R-04: only the main account holder, an admitted account holder or a manager registers contact with the
    employer; anyone else is refused (403 `admission_required`) and offered the admission request.
    R-33: the instruments advised and applied come from the one list (an unknown value is refused, 400).
    """
    now = now or timezone.now()
    _require_staff(by)
    if kind not in ContactKind.values:
        raise InvalidInput(_("Unknown kind of contact."), fields={"kind": [_("Choose a kind of contact.")]})
    employer = _employer_from_input(employer_id)
    require_admission(employer, by)
    report = VisitReport(
        occurred_at=occurred_at,
        reason=_clean_text(reason),
        company_activities=_clean_text(company_activities),
        agreements=_clean_text(agreements),
        summary=_clean_text(summary),
    )
    instruments, instrument_errors = _validate_instruments(
        instruments_advised=instruments_advised, instruments_applied=instruments_applied
    )
    if kind == ContactKind.VISIT:
        report_errors = _validate_visit(report, now=now)
        detail = _("A visit report needs a reason, the company's activities and the agreements made.")
        code, rule = "visit_report_incomplete", "R-08"
    else:
        report_errors = {}
        if occurred_at > now + relativedelta(minutes=5):
            report_errors["occurred_at"] = [_("A contact moment cannot lie in the future.")]
        if not report.summary:
            report_errors["summary"] = [_("This field is required.")]
        detail = (
            _("A contact moment cannot lie in the future.")
            if "occurred_at" in report_errors
            else _("Describe the contact in a short summary.")
        )
        code, rule = "invalid", None
    if report_errors or instrument_errors:
        if not report_errors:
            detail, code, rule = _("Choose instruments from the list (R-33)."), "unknown_instrument", "R-33"
        raise InvalidInput(detail, code=code, rule=rule, fields={**report_errors, **instrument_errors})
    with pghistory.context(user=by.pk):
        return _contact_moment_save(
            employer=employer,
            adviser=by,
            kind=kind,
            occurred_at=occurred_at,
            summary=report.summary,
            reason=report.reason,
            company_activities=report.company_activities,
            agreements=report.agreements,
            **instruments,
        )


# --- Ownership (R-03, R-04, R-05) ------------------------------------------------------------------------------


@transaction.atomic
def access_request_create(*, employer_id: int, by: User, message: str = "") -> AccessRequest:
    """R-04: an adviser who wants to act towards the employer asks its main account holder for admission."""
    _require_staff(by)
    employer = Employer.objects.current().filter(pk=employer_id).first()
    if employer is None:
        raise NotVisible(_("Employer not found."))
    _refuse_purged(employer)
    if employer.main_account_holder_id == by.pk:
        raise Conflict(
            _("You are the main account holder of this employer."), code="already_main_account_holder", rule="R-04"
        )
    if AccountHolder.objects.filter(employer=employer, user=by).exists():
        raise Conflict(
            _("You are already account holder of this employer."), code="already_account_holder", rule="R-04"
        )
    try:
        with transaction.atomic():
            return AccessRequest.objects.create(employer=employer, requester=by, message=_clean_text(message))
    except IntegrityError as exc:
        raise Conflict(
            _("Your earlier admission request is still waiting for an answer."),
            code="access_request_pending",
            rule="R-04",
        ) from exc


@transaction.atomic
def access_request_decide(
    *, request_id: int, by: User, approve: bool, note: str = "", now: datetime | None = None
) -> AccessRequest:
    """R-04: only the main account holder approves or declines; approval adds the requester as account holder."""
    now = now or timezone.now()
    request = AccessRequest.objects.select_for_update().select_related("employer").filter(pk=request_id).first()
    if request is None:
        raise NotVisible(_("Admission request not found."))
    if request.employer.main_account_holder_id != by.pk:
        raise RuleRefused(
            _("Only the main account holder answers an admission request."), code="not_main_account_holder", rule="R-04"
        )
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("This admission request has already been answered."), code="already_decided", rule="R-04")
    request.status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.DECLINED
    request.decided_by = by
    request.decided_at = now
    request.decision_note = _clean_text(note)
    with pghistory.context(user=by.pk):
        request.save()
        if approve:
            AccountHolder.objects.get_or_create(
                employer=request.employer, user=request.requester, defaults={"via": AccountHolderVia.ACCESS_REQUEST}
            )
    return request


def _move_main_account_holder(employer: Employer, new_holder: User, *, keep_old_as_holder: bool) -> None:
    old_holder_id = employer.main_account_holder_id
    employer.main_account_holder = new_holder
    employer.save(update_fields=["main_account_holder", "updated_at"])
    AccountHolder.objects.filter(employer=employer, user=new_holder).delete()
    if keep_old_as_holder and old_holder_id != new_holder.pk:
        AccountHolder.objects.get_or_create(
            employer=employer, user_id=old_holder_id, defaults={"via": AccountHolderVia.OWNERSHIP_CHANGE}
        )
    _open_requests_follow_the_holder([employer.pk], new_holder.pk)


def _open_requests_follow_the_holder(employer_ids: list[int], holder_id: int) -> None:
    """R-10: an employer's request for contact goes to its main account holder, also when that changes."""
    ContactRequest.objects.filter(employer_id__in=employer_ids, responded_at__isnull=True).exclude(
        assigned_to_id=holder_id
    ).update(assigned_to_id=holder_id, updated_at=timezone.now())


@transaction.atomic
def employer_take_over(*, employer_id: int, by: User, now: datetime | None = None) -> Employer:
    """R-05: after 12 months without contact another adviser may take over without consultation.

    The row is locked, so of two advisers taking over at the same moment exactly one wins: the takeover itself is
    an audit-trail entry, which counts as contact, so the second finds the clock reset and is refused.
    """
    now = now or timezone.now()
    if getattr(by, "role", None) != Role.ADVISER:
        raise RuleRefused(_("Only an adviser can become main account holder."), code="role_not_allowed", rule="R-03")
    employer = _lock_current(employer_id)
    if employer.main_account_holder_id == by.pk:
        raise Conflict(_("You are already the main account holder."), code="already_main_account_holder", rule="R-05")
    possible_from = takeover_possible_from(employer)
    if possible_from is not None and now < possible_from:
        day = timezone.localdate(possible_from)
        raise RuleRefused(
            _("There was contact in the last 12 months; a takeover is possible from %(date)s (R-05).")
            % {"date": day.strftime("%d-%m-%Y")},
            code="takeover_too_early",
            rule="R-05",
            extra={"possible_from": day.isoformat()},
        )
    with pghistory.context(user=by.pk, action="take_over"):
        _move_main_account_holder(employer, by, keep_old_as_holder=True)
        employer_clock_start([employer.pk], holder=by, source=LastContactSource.TAKEOVER, now=now)
    employer.refresh_from_db()
    return employer


@transaction.atomic
def employers_reassign(
    *, from_user: User, to_users: list[User], by: User, employer_ids: list[int] | None = None
) -> int:
    """A manager moves a departing adviser's employers to one or more advisers, in turn (R-03).

    Within the manager's own organisation only (R-01): the departing adviser and every receiver belong to it, or
    nothing moves (403). One bulk UPDATE per receiving adviser: the audit-trail trigger records every row all the
    same; open contact requests go along to the new main account holder (R-10).
    """
    now = timezone.now()
    _require_manager(by)
    outsiders = [u for u in (from_user, *to_users) if u.organisation_id != by.organisation_id]
    if outsiders:
        raise RuleRefused(
            _("A manager reassigns employers within their own organisation only: %(names)s belong to another.")
            % {"names": ", ".join(dict.fromkeys(u.full_name for u in outsiders))},
            code="other_organisation",
            rule="R-01",
            fields={
                name: [_("Choose an adviser of your own organisation.")]
                for name, users in (("from_user", [from_user]), ("to_users", to_users))
                if any(u.organisation_id != by.organisation_id for u in users)
            },
        )
    receivers = [u for u in to_users if u.pk != from_user.pk]
    if not receivers:
        raise InvalidInput(
            _("Choose at least one other adviser to receive the employers."),
            fields={"to_users": [_("Choose at least one other adviser.")]},
        )
    if any(u.role != Role.ADVISER or not u.is_active for u in receivers):
        raise InvalidInput(
            _("Employers can only go to active advisers."),
            rule="R-03",
            fields={"to_users": [_("Choose active advisers.")]},
        )
    employers = Employer.objects.current().filter(main_account_holder=from_user)
    if employer_ids is not None:
        employers = employers.filter(pk__in=employer_ids)
    ids = list(employers.select_for_update().order_by("id").values_list("id", flat=True))
    holders = {u.pk: u for u in receivers}
    share: dict[int, list[int]] = {u.pk: [] for u in receivers}
    for employer_id, receiver in zip(ids, cycle(receivers), strict=False):
        share[receiver.pk].append(employer_id)
    with pghistory.context(user=by.pk, action="reassign"):
        for receiver_id, employer_batch in share.items():
            if not employer_batch:
                continue
            AccountHolder.objects.filter(employer_id__in=employer_batch, user_id=receiver_id).delete()
            Employer.objects.filter(pk__in=employer_batch).update(main_account_holder_id=receiver_id, updated_at=now)
            employer_clock_start(
                employer_batch, holder=holders[receiver_id], source=LastContactSource.REASSIGNMENT, now=now
            )
            _open_requests_follow_the_holder(employer_batch, receiver_id)
    return len(ids)


# --- Merge, cease, purge (R-07, R-09) ----------------------------------------------------------------------------


@transaction.atomic
def employer_merge(*, keep_id: int, merge_id: int, by: User, note: str = "") -> EmployerMerge:
    """A manager merges a duplicate record into the one kept, keeping all history (R-07).

    Every row that points to the duplicate (contact moments, requests, feedback, later vacancies) moves to the
    kept record; the duplicate stays as a tombstone with `merged_into` set, so old links still resolve.
    """
    _require_manager(by)
    if keep_id == merge_id:
        raise InvalidInput(_("Choose two different employers."), fields={"merge": [_("Choose another employer.")]})
    locked = {e.pk: e for e in Employer.objects.select_for_update().filter(pk__in=[keep_id, merge_id]).current()}
    if keep_id not in locked:
        raise NotVisible(_("Employer not found."))
    if merge_id not in locked:
        raise InvalidInput(_("Unknown employer."), code="unknown_employer", fields={"merge": [_("Unknown employer.")]})
    keep, merge = locked[keep_id], locked[merge_id]
    _refuse_purged(keep)
    _refuse_purged(merge)
    snapshot = model_to_dict(merge)
    snapshot["last_contact_at"] = merge.last_contact_at.isoformat() if merge.last_contact_at else None
    moved: dict[str, int] = {}
    with pghistory.context(user=by.pk, action="merge", merged_employer=merge.pk):
        holders = set(AccountHolder.objects.filter(employer=keep).values_list("user_id", flat=True))
        for holder in AccountHolder.objects.filter(employer=merge):
            if holder.user_id not in holders and holder.user_id != keep.main_account_holder_id:
                AccountHolder.objects.create(employer=keep, user_id=holder.user_id, via=AccountHolderVia.MERGE)
        if merge.main_account_holder_id not in holders | {keep.main_account_holder_id}:
            AccountHolder.objects.create(
                employer=keep, user_id=merge.main_account_holder_id, via=AccountHolderVia.MERGE
            )
        AccountHolder.objects.filter(employer=merge).delete()
        for relation in Employer._meta.related_objects:
            if not relation.one_to_many or relation.related_model in (AccountHolder, EmployerMerge, Employer):
                continue
            if relation.related_model.__module__.startswith("pghistory") or relation.related_model.__name__.endswith(
                "Event"
            ):
                continue
            count = relation.related_model._base_manager.filter(**{relation.field.name: merge}).update(
                **{relation.field.name: keep}
            )
            if count:
                moved[relation.related_model._meta.model_name] = count
        for field in (
            "kvk_number",
            "visiting_address",
            "city",
            "municipality",
            "sbi_code",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
        ):
            if not getattr(keep, field) and getattr(merge, field):
                setattr(keep, field, getattr(merge, field))
        for field in ("sector", "staff_count"):
            if getattr(keep, field) is None and getattr(merge, field) is not None:
                setattr(keep, field, getattr(merge, field))
        keep.save()
        merge.merged_into = keep
        merge.save(update_fields=["merged_into", "updated_at"])
    return EmployerMerge.objects.create(
        kept=keep, merged=merge, merged_by=by, snapshot=snapshot, moved=moved, note=_clean_text(note)
    )


@transaction.atomic
def employer_cease(*, employer_id: int, by: User, ceased_on: date) -> Employer:
    """R-09: an employer that stops trading is marked ceased (and purged later).

    R-04: by its main account holder, an admitted account holder or a manager. Not contact (R-05): a named action.
    """
    _require_staff(by)
    employer = _lock_current(employer_id)
    require_admission(employer, by)
    if employer.is_ceased:
        raise Conflict(_("This employer is already marked as ceased."), code="already_ceased", rule="R-09")
    if ceased_on > timezone.localdate():
        raise InvalidInput(
            _("The date it ceased cannot lie in the future."),
            fields={"ceased_on": [_("Choose today or a date in the past.")]},
        )
    employer.status, employer.ceased_on = EmployerStatus.CEASED, ceased_on
    # A named action: marking the employer ceased is not contact with it.
    with pghistory.context(user=by.pk, action="cease"):
        employer.save(update_fields=["status", "ceased_on", "updated_at"])
    return employer


@transaction.atomic
def employer_reactivate(*, employer_id: int, by: User) -> Employer:
    """R-09: a ceased employer trading again is active again; R-04: by those who act for it. Not contact (R-05)."""
    _require_staff(by)
    employer = _lock_current(employer_id)
    require_admission(employer, by)
    if not employer.is_ceased:
        raise Conflict(_("This employer is active."), code="not_ceased", rule="R-09")
    employer.status, employer.ceased_on = EmployerStatus.ACTIVE, None
    with pghistory.context(user=by.pk, action="reactivate"):
        employer.save(update_fields=["status", "ceased_on", "updated_at"])
    return employer


@dataclass(frozen=True)
class PurgeResult:
    """R-09: what one purge run did: employers deleted (their figures went into the tallies) and employers with
    vacancies anonymised (their records stay and keep counting)."""

    deleted: int = 0
    anonymised: int = 0

    @property
    def total(self) -> int:
        return self.deleted + self.anonymised


# The identifying fields of an employer record, emptied when it is anonymised.
IDENTIFYING_FIELDS = (
    "kvk_number", "visiting_address", "postcode", "city", "website", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip
# What an anonymised record and its merge snapshots keep: the fields its figures are counted by.
COUNTED_FIELDS = ("sector", "municipality", "employer_type", "staff_count", "status", "ceased_on", "sbi_code")


def _purged_name(id_field: str):
    """ "Opgeheven werkgever #123", in the region's language (it is stored, so it must not depend on the request)."""
    with translation.override(settings.LANGUAGE_CODE):
        prefix = _("Ceased employer #")
    return Concat(Value(prefix), Cast(id_field, CharField())), Concat(
        Value(name_key(prefix) or "x"), Cast(id_field, CharField())
    )


def _removed_text() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("[removed]")


def _size_class_floor(field_name: str) -> Case:
    """The staff count at the bottom of its size class: the size class (and coverage, R-52) stays, the exact count
    that could identify a large employer goes."""
    return Case(
        When(**{f"{field_name}__isnull": True}, then=Value(None)),
        When(**{f"{field_name}__lt": 10}, then=Value(1)),
        When(**{f"{field_name}__lt": 50}, then=Value(10)),
        When(**{f"{field_name}__lt": 250}, then=Value(50)),
        default=Value(250),
    )


def _size_class_floor_value(staff_count: int) -> int:
    return 1 if staff_count < 10 else 10 if staff_count < 50 else 50 if staff_count < 250 else 250


def _text_removed(field_name: str, removed: str) -> Case:
    """An empty text stays empty (so R-08's visit report still holds); any other text is replaced."""
    return Case(When(**{field_name: ""}, then=Value("")), default=Value(removed))


def _with_tombstones(ids: list[int]) -> list[int]:
    """The records and the tombstones of duplicates merged into them (also through earlier merges)."""
    tombstones: list[int] = []
    frontier = ids
    while frontier:
        frontier = list(Employer.objects.filter(merged_into_id__in=frontier).values_list("id", flat=True))
        tombstones.extend(frontier)
    return ids + tombstones


@transaction.atomic
def employers_purge_ceased(*, ceased_before: date, now: datetime | None = None) -> PurgeResult:
    """R-09: purge employers that ceased before the date, keeping the figures they contributed to (R-57).

    An employer without vacancies is deleted, with its history and audit trail, after what it counted (contact
    moments, visits, contact requests and their 24-hour answers, feedback count and score sum) went into
    `PurgedEmployerTally`. An employer with vacancies (or placements) stays as an anonymised record, because
    vacancy, referral and placement figures are reproduced from those records: its identifying data is removed
    (also from its audit trail and merge snapshots, and the texts of its contact moments, contact requests,
    admission requests and feedback), its sector, municipality, size class and type stay, and `purged_at` marks it.
    Idempotent: a purged record is never purged again. Every write runs under the named action "purge", so nothing
    here counts as contact (R-05).
    """
    now = now or timezone.now()
    # Only current records count: a merged tombstone's history already moved to the record it was merged into.
    candidates = (
        Employer.objects.current().not_purged().filter(status=EmployerStatus.CEASED, ceased_on__lt=ceased_before)
    )
    ids = list(candidates.select_for_update(skip_locked=True).order_by("id").values_list("id", flat=True))
    if not ids:
        return PurgeResult()
    # Reverse lookups by name: this app does not import the vacancy and matching apps.
    kept = set(
        Employer.objects.filter(pk__in=ids)
        .filter(Q(vacancies__isnull=False) | Q(placements__isnull=False))
        .values_list("id", flat=True)
    )
    deleted = [pk for pk in ids if pk not in kept]
    with pghistory.context(action="purge"):
        if deleted:
            _tally_and_delete(deleted)
        if kept:
            _anonymise(sorted(kept), now=now)
    return PurgeResult(deleted=len(deleted), anonymised=len(kept))


def _tally_and_delete(ids: list[int]) -> None:
    """R-09: add what the employers counted to the tallies, then delete them, their tombstones and audit trail."""
    per_employer: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    moments = (
        ContactMoment.objects.filter(employer_id__in=ids)
        .values("employer_id")
        .annotate(n=Count("id"), visits=Count("id", filter=Q(kind=ContactKind.VISIT)))
    )
    for row in moments:
        per_employer[row["employer_id"]].update(contact_moments=row["n"], visits=row["visits"])
    within = Q(responded_at__lte=F("received_at") + timedelta(hours=ContactRequest.RESPONSE_HOURS))
    requests = (
        ContactRequest.objects.filter(employer_id__in=ids)
        .values("employer_id")
        .annotate(n=Count("id"), within=Count("id", filter=within))
    )
    for row in requests:
        per_employer[row["employer_id"]].update(contact_requests=row["n"], contact_requests_within_24h=row["within"])
    feedback = (
        EmployerFeedback.objects.filter(employer_id__in=ids)
        .values("employer_id")
        .annotate(n=Count("id"), s=Sum("score"))
    )
    for row in feedback:
        per_employer[row["employer_id"]].update(feedback=row["n"], feedback_score_sum=row["s"] or 0)

    groups: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for employer in Employer.objects.filter(pk__in=ids).only(
        "id", "ceased_on", "sector_id", "municipality", "employer_type", "staff_count"
    ):
        key = (
            employer.ceased_on.year,
            employer.sector_id,
            employer.municipality,
            employer.employer_type,
            SizeClass.for_staff_count(employer.staff_count).value,
        )
        groups[key]["employers"] += 1
        for name, value in per_employer.get(employer.pk, {}).items():
            groups[key][name] += value
    for (year, sector_id, municipality, employer_type, size_class), figures in groups.items():
        tally, _created = PurgedEmployerTally.objects.select_for_update().get_or_create(
            year_ceased=year,
            sector_id=sector_id,
            municipality=municipality,
            employer_type=employer_type,
            size_class=size_class,
        )
        PurgedEmployerTally.objects.filter(pk=tally.pk).update(
            **{name: F(name) + value for name, value in figures.items()}
        )

    everything = _with_tombstones(ids)
    EmployerMerge.objects.filter(Q(kept_id__in=everything) | Q(merged_id__in=everything)).delete()
    Employer.objects.filter(pk__in=everything).exclude(merged_into=None).update(merged_into=None)
    Employer.objects.filter(pk__in=everything).delete()
    # The audit trail kept copies of the deleted records (and the delete itself wrote more): they go too.
    apps.get_model("employers", "EmployerEvent").objects.filter(pgh_obj_id__in=everything).delete()
    for event_model in ("ContactMomentEvent", "ContactRequestEvent", "AccountHolderEvent"):
        apps.get_model("employers", event_model).objects.filter(employer_id__in=everything).delete()


def _anonymise(ids: list[int], *, now: datetime) -> None:
    """R-09: remove what identifies the employers; keep what they count by. See employers_purge_ceased."""
    everything = _with_tombstones(ids)
    removed = _removed_text()
    name, key = _purged_name("id")
    blank = {field_name: "" for field_name in IDENTIFYING_FIELDS}
    Employer.objects.filter(pk__in=everything).update(
        name=name, name_key=key, staff_count=_size_class_floor("staff_count"), purged_at=now, updated_at=now, **blank
    )
    event_name, _event_key = _purged_name("pgh_obj_id")
    apps.get_model("employers", "EmployerEvent").objects.filter(pgh_obj_id__in=everything).update(
        name=event_name, staff_count=_size_class_floor("staff_count"), **blank
    )
    texts = {name: _text_removed(name, removed) for name in ("summary", "reason", "company_activities", "agreements")}
    ContactMoment.objects.filter(employer_id__in=everything).update(**texts)
    apps.get_model("employers", "ContactMomentEvent").objects.filter(employer_id__in=everything).update(**texts)
    request_texts = {"question": _text_removed("question", removed), "requested_by": Value(""),
                     "response": _text_removed("response", removed)}  # fmt: skip
    ContactRequest.objects.filter(employer_id__in=everything).update(**request_texts)
    apps.get_model("employers", "ContactRequestEvent").objects.filter(employer_id__in=everything).update(
        **request_texts
    )
    EmployerFeedback.objects.filter(employer_id__in=everything).exclude(comment="").update(comment="", updated_at=now)
    AccessRequest.objects.filter(employer_id__in=everything).update(message="", decision_note="", updated_at=now)
    for merge in EmployerMerge.objects.filter(Q(kept_id__in=everything) | Q(merged_id__in=everything)):
        snapshot = {k: v for k, v in (merge.snapshot or {}).items() if k in COUNTED_FIELDS}
        if isinstance(snapshot.get("staff_count"), int):
            snapshot["staff_count"] = _size_class_floor_value(snapshot["staff_count"])
        merge.snapshot = snapshot
        merge.note = ""
        merge.save(update_fields=["snapshot", "note"])


# --- Contact requests and feedback (R-10, R-11) ------------------------------------------------------------------


@transaction.atomic
def contact_request_register(
    *,
    employer_id: int,
    by: User,
    received_at: datetime,
    question: str,
    channel: str = "phone",
    requested_by: str = "",
    now: datetime | None = None,
) -> ContactRequest:
    """R-10: an employer's request for contact goes to its fixed contact, the main account holder."""
    now = now or timezone.now()
    _require_staff(by)
    employer = _employer_from_input(employer_id)
    if received_at > now + relativedelta(minutes=5):
        raise InvalidInput(
            _("The request cannot be received in the future."),
            fields={"received_at": [_("Choose a moment in the past.")]},
        )
    request = ContactRequest(
        employer=employer,
        received_at=received_at,
        question=_clean_text(question),
        channel=channel,
        requested_by=_clean_text(requested_by),
        assigned_to_id=employer.main_account_holder_id,
    )
    _full_clean(request, exclude=["employer", "assigned_to"])
    with pghistory.context(user=by.pk):
        request.save()
    return request


MSG_RESPONSE_MOMENT = gettext_lazy("The response cannot lie before the request was received or in the future.")


@transaction.atomic
def contact_request_respond(
    *, request_id: int, by: User, response: str, responded_at: datetime | None = None, now: datetime | None = None
) -> ContactRequest:
    """R-10: record the response to an employer's request for contact.

    Only the main account holder, an admitted account holder or a manager answers it (R-04: 403
    `admission_required` for anyone else). The response moment is when it is recorded (`response_recorded_at`, now);
    an earlier moment may be stated (`responded_at`: a phone call answered before it was entered), never before the
    request was received nor in the future, and `response_stated_afterwards` keeps that visible. Whether it came
    within 24 hours follows the stated moment.
    """
    now = now or timezone.now()
    _require_staff(by)
    request = ContactRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise NotVisible(_("Contact request not found."))
    _refuse_purged(request.employer)
    require_admission(request.employer, by)
    if request.responded_at is not None:
        raise Conflict(_("This contact request has already been answered."), code="already_responded", rule="R-10")
    errors: dict[str, list[str]] = {}
    if responded_at is not None and (
        responded_at < request.received_at or responded_at > now + relativedelta(minutes=5)
    ):
        errors["responded_at"] = [MSG_RESPONSE_MOMENT]
    if not _clean_text(response):
        errors["response"] = [_("This field is required.")]
    if errors:
        detail = MSG_RESPONSE_MOMENT if "responded_at" in errors else _("Describe the response.")
        raise InvalidInput(detail, rule="R-10" if "responded_at" in errors else None, fields=errors)
    # A stated moment a few minutes ahead (a clock that runs fast) is the moment of recording.
    stated = min(responded_at, now) if responded_at is not None else now
    request.responded_at, request.response_recorded_at = stated, now
    request.responded_by, request.response = by, _clean_text(response)
    with pghistory.context(user=by.pk):
        request.save()
    return request


# --- Feedback (R-11) ----------------------------------------------------------------------------------------------

FEEDBACK_ADVISER_ROLES = (Role.ADVISER, Role.ACCOUNT_MANAGER)
MSG_FEEDBACK_FUTURE = gettext_lazy("Feedback cannot be received in the future.")
MSG_FEEDBACK_SCORE = gettext_lazy("A score is a whole number from 0 to 10.")


@dataclass(frozen=True)
class FeedbackInput:
    """One employer's feedback on an adviser, as the survey tool or a file brings it in (R-11)."""

    employer: Employer
    adviser: User
    score: int
    received_at: datetime
    comment: str = ""
    source: str = FeedbackSource.SURVEY
    external_id: str = ""

    def same_answer_as(self, feedback: EmployerFeedback) -> bool:
        return (
            feedback.employer_id == self.employer.pk
            and feedback.adviser_id == self.adviser.pk
            and feedback.score == self.score
            and feedback.received_at == self.received_at
            and feedback.comment == self.comment
        )


def _feedback_errors(*, score, received_at, source, adviser, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        errors["score"] = [MSG_FEEDBACK_SCORE]
    if received_at is None:
        errors["received_at"] = [_("This field is required.")]
    elif received_at > now + relativedelta(minutes=5):
        errors["received_at"] = [MSG_FEEDBACK_FUTURE]
    if source not in FeedbackSource.values:
        errors["source"] = [_("Choose direct_feedback, survey or other.")]
    if adviser is not None and adviser.role not in FEEDBACK_ADVISER_ROLES:
        errors["adviser"] = [_("Feedback concerns an adviser or an account manager.")]
    return errors


@transaction.atomic
def feedback_register(
    *,
    employer_id: int,
    adviser: User,
    score: int,
    received_at: datetime,
    by: User,
    comment: str = "",
    source: str = FeedbackSource.SURVEY,
    external_id: str = "",
    now: datetime | None = None,
) -> tuple[EmployerFeedback, bool]:
    """R-11: store an employer's feedback on an adviser (only that adviser will see it); returns (feedback, created).

    Comes in from the survey tool's integration user: a manager or an administrator (403 `manager_only` for anyone
    else). Score 0-10, received not in the future. Idempotent on `external_id` (per source): the same answer sent
    again is not stored twice (created is False); another answer under the same id is a conflict (409).
    """
    now = now or timezone.now()
    if not getattr(by, "is_manager", False):
        raise RuleRefused(
            _("Only a manager or an administrator (the survey tool's integration user) brings feedback in (R-11)."),
            code="manager_only",
            rule="R-11",
        )
    employer = _employer_from_input(employer_id)
    errors = _feedback_errors(score=score, received_at=received_at, source=source, adviser=adviser, now=now)
    external_id = _clean_text(external_id)
    if len(external_id) > 100:
        errors["external_id"] = [_("At most 100 characters.")]
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), rule="R-11", fields=errors)
    answer = FeedbackInput(
        employer=employer,
        adviser=adviser,
        score=score,
        received_at=received_at,
        comment=_clean_text(comment),
        source=source,
        external_id=external_id,
    )
    if external_id:
        existing = EmployerFeedback.objects.filter(source=source, external_id=external_id).first()
        if existing is not None:
            return _replayed(existing, answer), False
    feedback = _feedback_from(answer, by=by)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        # The same answer arrived twice at once: the other request stored it.
        existing = EmployerFeedback.objects.get(source=source, external_id=external_id)
        return _replayed(existing, answer), False
    return feedback, True


def _replayed(existing: EmployerFeedback, answer: FeedbackInput) -> EmployerFeedback:
    if not answer.same_answer_as(existing):
        raise Conflict(
            _("Another answer was already stored under this external id; it was not changed (R-11)."),
            code="feedback_external_id_conflict",
            rule="R-11",
            fields={"external_id": [_("Already used for another answer.")]},
            extra={"feedback": existing.pk},
        )
    return existing


def _feedback_from(answer: FeedbackInput, *, by: User) -> EmployerFeedback:
    feedback = EmployerFeedback(
        employer=answer.employer,
        adviser=answer.adviser,
        score=answer.score,
        received_at=answer.received_at,
        comment=answer.comment,
        source=answer.source,
        external_id=answer.external_id,
        registered_by=by,
    )
    # Field validation only: the score range and dates were checked above, and a second answer under the same
    # external id is caught by its unique constraint (a constraint check per row would cost a query per row).
    try:
        feedback.clean_fields(exclude=["employer", "adviser", "registered_by"])
    except ValidationError as exc:
        raise InvalidInput(_("Please correct the marked fields."), fields=exc.message_dict, rule="R-11") from exc
    return feedback


@dataclass
class FeedbackImportResult:
    """R-11: what a file import stored: `created` new answers, `already_present` answers it had stored before."""

    created: int = 0
    already_present: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)


MSG_IMPORT_REFUSED = gettext_lazy("Nothing was imported: correct the rows below and upload the file again.")


@transaction.atomic
def feedback_import(*, by: User, content: bytes | str, now: datetime | None = None) -> FeedbackImportResult:
    """R-11: an administrator imports employer feedback from a CSV file (the browser page under Beheer and the
    `import_feedback` command both call this).

    Columns: employer (its number, or its 8-digit KvK number), adviser (username), score (0-10), comment, source
    (direct_feedback, survey or other; empty = survey), received_at (e.g. 2026-03-12 14:30 or 12-03-2026), and
    optionally external_id. Every row is checked first; when any row is wrong nothing is saved and the refusal
    (400) lists the wrong rows by line number. An answer imported before (the same external id, or the same
    employer, adviser, moment, score and comment) is not stored again. A fixed number of queries per file.
    """
    now = now or timezone.now()
    _require_administrator(by)
    parsed = feedback_csv.read(content)
    if parsed.file_errors:
        raise InvalidInput(MSG_IMPORT_REFUSED, code="feedback_import_invalid", rule="R-11",
                           fields={"file": parsed.file_errors})  # fmt: skip
    rows = parsed.rows
    current = Employer.objects.current().not_purged()
    employers_by_id = {e.pk: e for e in current.filter(pk__in={r.employer_id for r in rows if r.employer_id})}
    by_kvk: dict[str, list[Employer]] = defaultdict(list)
    for employer in current.filter(kvk_number__in={r.kvk for r in rows if r.kvk}):
        by_kvk[employer.kvk_number].append(employer)
    # Usernames as people type them in a spreadsheet: without regard to case.
    usernames = {r.adviser.lower() for r in rows if r.adviser}
    by_username = Q(pk__in=[])
    for username in usernames:
        by_username |= Q(username__iexact=username)
    advisers = {u.username.lower(): u for u in User.objects.filter(by_username)}
    keys = {(r.source, r.external_id) for r in rows if r.external_id}
    stored_by_key = {
        (f.source, f.external_id): f
        for f in EmployerFeedback.objects.filter(external_id__in={key for _source, key in keys})
        if (f.source, f.external_id) in keys
    }

    result = FeedbackImportResult()
    answers: list[FeedbackInput] = []
    first_line_of: dict[tuple[str, str], int] = {}
    for row in rows:
        errors = list(row.errors)
        employer = employers_by_id.get(row.employer_id) if row.employer_id else None
        if row.employer_id and employer is None:
            errors.append(_("employer %(value)s is not known") % {"value": row.employer_id})
        if row.kvk:
            matches = by_kvk.get(row.kvk, [])
            if len(matches) == 1:
                employer = matches[0]
            elif matches:
                errors.append(
                    _("KvK number %(value)s belongs to several establishments: give the employer's number")
                    % {"value": row.kvk}
                )
            else:
                errors.append(_("no employer has KvK number %(value)s") % {"value": row.kvk})
        adviser = advisers.get(row.adviser.lower()) if row.adviser else None
        if row.adviser and adviser is None:
            errors.append(_("no staff member has the username %(value)s") % {"value": row.adviser})
        elif adviser is not None and adviser.role not in FEEDBACK_ADVISER_ROLES:
            errors.append(_("%(value)s is not an adviser or account manager") % {"value": row.adviser})
        if row.received_at is not None and row.received_at > now + relativedelta(minutes=5):
            errors.append(_("received_at lies in the future"))
        if row.external_id:
            key = (row.source, row.external_id)
            if key in first_line_of:
                errors.append(
                    _("external_id %(value)s is also on line %(line)d")
                    % {"value": row.external_id, "line": first_line_of[key]}
                )
            first_line_of.setdefault(key, row.line)
        answer = None
        if not errors:
            answer = FeedbackInput(
                employer=employer, adviser=adviser, score=row.score, received_at=row.received_at,
                comment=row.comment, source=row.source, external_id=row.external_id,
            )  # fmt: skip
            stored = stored_by_key.get((row.source, row.external_id)) if row.external_id else None
            if stored is not None and not answer.same_answer_as(stored):
                errors.append(
                    _("external_id %(value)s was imported before with another answer") % {"value": row.external_id}
                )
        if errors:
            result.errors[row.line] = errors
        else:
            answers.append(answer)
    if result.errors:
        rows_refused = sorted(result.errors.items())
        raise InvalidInput(
            MSG_IMPORT_REFUSED,
            code="feedback_import_invalid",
            rule="R-11",
            fields={
                "file": [
                    _("Line %(line)d: %(errors)s.") % {"line": line, "errors": "; ".join(errors)}
                    for line, errors in rows_refused
                ]
            },
            extra={"rows": [{"line": line, "errors": errors} for line, errors in rows_refused]},
        )
    already = _already_imported(answers, stored_by_key)
    new = [_feedback_from(answer, by=by) for index, answer in enumerate(answers) if index not in already]
    EmployerFeedback.objects.bulk_create(new)
    result.created, result.already_present = len(new), len(already)
    return result


def _already_imported(answers: list[FeedbackInput], existing_by_id: dict) -> set[int]:
    """Indexes of answers stored before: by external id, or, without one, the same employer, adviser, moment,
    score and comment (one query for the whole file)."""
    already = {i for i, a in enumerate(answers) if a.external_id and (a.source, a.external_id) in existing_by_id}
    plain = [(i, a) for i, a in enumerate(answers) if not a.external_id]
    if plain:
        match = Q()
        for _i, a in plain:
            match |= Q(employer_id=a.employer.pk, adviser_id=a.adviser.pk, received_at=a.received_at)
        stored = {
            (f.employer_id, f.adviser_id, f.received_at, f.score, f.comment)
            for f in EmployerFeedback.objects.filter(match).only(
                "employer_id", "adviser_id", "received_at", "score", "comment"
            )
        }
        already |= {i for i, a in plain if (a.employer.pk, a.adviser.pk, a.received_at, a.score, a.comment) in stored}
    return already


@transaction.atomic
def contact_requests_flag_overdue(*, now: datetime | None = None) -> list[int]:
    """R-10: mark unanswered requests past their 24 hours, once each; returns their ids for notification."""
    now = now or timezone.now()
    overdue = ContactRequest.objects.select_for_update(skip_locked=True).filter(
        responded_at__isnull=True,
        overdue_notified_at__isnull=True,
        received_at__lt=now - relativedelta(hours=ContactRequest.RESPONSE_HOURS),
    )
    ids = list(overdue.values_list("id", flat=True))
    ContactRequest.objects.filter(pk__in=ids).update(overdue_notified_at=now)
    return ids
