"""Writes for employers and their relations (STYLE habit 2).

Every rule of R-03..R-11 is enforced here, so the browser, the API, the admin and Celery pass through the same
code. Each service runs in one transaction and checks before it writes: a refusal leaves the data as it was.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import cycle

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import User
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused

from .choices import AccessRequestStatus, AccountHolderVia, ContactKind, EmployerStatus, LastContactSource, SizeClass
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
from .normalize import normalise_postcode
from .selectors import duplicate_candidates, may_act_for_employer, strong_duplicates

# Fields an adviser may set on an employer; ownership, status and merge fields have their own services.
EDITABLE_FIELDS = (
    "name", "kvk_number", "visiting_address", "postcode", "city", "municipality", "sector", "sbi_code",
    "staff_count", "employer_type", "website", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip
VISIT_REPORT_FIELDS = ("reason", "company_activities", "agreements")


@dataclass(frozen=True)
class VisitReport:
    """R-08: the report every company visit gets."""

    occurred_at: datetime
    reason: str
    company_activities: str
    agreements: str
    summary: str = ""


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


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _validate_visit(report: VisitReport, *, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field in VISIT_REPORT_FIELDS:
        if not _clean_text(getattr(report, field)):
            errors[field] = [_("A visit report needs this (R-08).")]
    if report.occurred_at > now + relativedelta(minutes=5):
        errors["occurred_at"] = [_("A contact moment cannot lie in the future.")]
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
            )
    if first_vacancy_register is not None:
        first_vacancy_register(employer)
    employer.refresh_from_db(fields=["last_contact_at"])
    return employer


@transaction.atomic
def employer_update(*, employer_id: int, by: User, data: dict) -> Employer:
    """Change an employer's record. Any staff member may correct data (R-02); everything lands in the audit trail."""
    _require_staff(by)
    employer = _lock_current(employer_id)
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
    employer = Employer.objects.select_for_update().filter(pk=employer_id, merged_into__isnull=True).first()
    if employer is None:
        raise NotVisible(_("Employer not found."))
    return employer


def _employer_from_input(employer_id: int, field: str = "employer") -> Employer:
    """An employer named in the input: an unknown or merged id is invalid input (400), not a missing page."""
    employer = Employer.objects.current().filter(pk=employer_id).first()
    if employer is None:
        raise InvalidInput(_("Unknown employer."), code="unknown_employer", fields={field: [_("Unknown employer.")]})
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
    now: datetime | None = None,
) -> ContactMoment:
    """Register a contact moment; a visit needs its report (R-08). Moves last_contact_at by trigger (R-05)."""
    now = now or timezone.now()
    _require_staff(by)
    if kind not in ContactKind.values:
        raise InvalidInput(_("Unknown kind of contact."), fields={"kind": [_("Choose a kind of contact.")]})
    report = VisitReport(
        occurred_at=occurred_at,
        reason=_clean_text(reason),
        company_activities=_clean_text(company_activities),
        agreements=_clean_text(agreements),
        summary=_clean_text(summary),
    )
    if kind == ContactKind.VISIT:
        errors = _validate_visit(report, now=now)
        if errors:
            raise InvalidInput(
                _("A visit report needs a reason, the company's activities and the agreements made."),
                code="visit_report_incomplete",
                rule="R-08",
                fields=errors,
            )
    else:
        if occurred_at > now + relativedelta(minutes=5):
            raise InvalidInput(
                _("A contact moment cannot lie in the future."),
                fields={"occurred_at": [_("A contact moment cannot lie in the future.")]},
            )
        if not report.summary:
            raise InvalidInput(
                _("Describe the contact in a short summary."), fields={"summary": [_("This field is required.")]}
            )
    employer = _employer_from_input(employer_id)
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
        )


# --- Ownership (R-03, R-04, R-05) ------------------------------------------------------------------------------


@transaction.atomic
def access_request_create(*, employer_id: int, by: User, message: str = "") -> AccessRequest:
    """R-04: an adviser who wants to act towards the employer asks its main account holder for admission."""
    _require_staff(by)
    employer = Employer.objects.current().filter(pk=employer_id).first()
    if employer is None:
        raise NotVisible(_("Employer not found."))
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

    One bulk UPDATE per receiving adviser: the audit-trail trigger records every row all the same.
    """
    now = timezone.now()
    _require_manager(by)
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
    """R-09: an employer that stops trading is marked ceased (and purged later)."""
    _require_staff(by)
    employer = _lock_current(employer_id)
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
    _require_staff(by)
    employer = _lock_current(employer_id)
    if not employer.is_ceased:
        raise Conflict(_("This employer is active."), code="not_ceased", rule="R-09")
    employer.status, employer.ceased_on = EmployerStatus.ACTIVE, None
    with pghistory.context(user=by.pk, action="reactivate"):
        employer.save(update_fields=["status", "ceased_on", "updated_at"])
    return employer


@transaction.atomic
def employers_purge_ceased(*, ceased_before: date) -> int:
    """R-09: delete employers that ceased before the date, first adding what they counted to the tallies."""
    # Only current records count: a merged tombstone's history already moved to the record it was merged into.
    doomed = Employer.objects.current().filter(status=EmployerStatus.CEASED, ceased_on__lt=ceased_before)
    # an employer with vacancies stays: vacancy, referral and placement figures are reproduced from those
    # records. (A reverse lookup by name: this app does not import the vacancy app.)
    doomed = doomed.exclude(vacancies__isnull=False)
    ids = list(doomed.select_for_update(skip_locked=True).values_list("id", flat=True))
    if not ids:
        return 0
    groups = (
        Employer.objects.filter(pk__in=ids)
        .values("ceased_on__year", "sector_id", "municipality", "employer_type", "staff_count")
        .annotate(
            employers=Count("id", distinct=True),
            contacts=Count("contact_moments", distinct=True),
            visits=Count("contact_moments", filter=Q(contact_moments__kind=ContactKind.VISIT), distinct=True),
        )
    )
    for group in groups:
        tally, _created = PurgedEmployerTally.objects.select_for_update().get_or_create(
            year_ceased=group["ceased_on__year"],
            sector_id=group["sector_id"],
            municipality=group["municipality"],
            employer_type=group["employer_type"],
            size_class=SizeClass.for_staff_count(group["staff_count"]),
        )
        PurgedEmployerTally.objects.filter(pk=tally.pk).update(
            employers=F("employers") + group["employers"],
            contact_moments=F("contact_moments") + group["contacts"],
            visits=F("visits") + group["visits"],
        )
    # Tombstones of records merged into a purged employer (also through earlier merges) go with it.
    tombstones: list[int] = []
    frontier = ids
    while frontier:
        frontier = list(Employer.objects.filter(merged_into_id__in=frontier).values_list("id", flat=True))
        tombstones.extend(frontier)
    everything = ids + tombstones
    EmployerMerge.objects.filter(Q(kept_id__in=everything) | Q(merged_id__in=everything)).delete()
    Employer.objects.filter(pk__in=tombstones).update(merged_into=None)
    Employer.objects.filter(pk__in=everything).delete()
    return len(ids)


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


@transaction.atomic
def contact_request_respond(
    *, request_id: int, by: User, response: str, responded_at: datetime | None = None, now: datetime | None = None
) -> ContactRequest:
    """R-10: record the response; whether it came within 24 hours follows from the two timestamps."""
    now = now or timezone.now()
    _require_staff(by)
    request = ContactRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise NotVisible(_("Contact request not found."))
    if request.responded_at is not None:
        raise Conflict(_("This contact request has already been answered."), code="already_responded", rule="R-10")
    responded_at = responded_at or now
    if responded_at < request.received_at or responded_at > now + relativedelta(minutes=5):
        raise InvalidInput(
            _("The response must lie between the request and now."),
            fields={"responded_at": [_("The response must lie between the request and now.")]},
        )
    if not _clean_text(response):
        raise InvalidInput(_("Describe the response."), fields={"response": [_("This field is required.")]})
    request.responded_at, request.responded_by, request.response = responded_at, by, _clean_text(response)
    with pghistory.context(user=by.pk):
        request.save()
    return request


@transaction.atomic
def feedback_register(
    *, employer_id: int, adviser: User, score: int, received_at: datetime, comment: str = "", source: str = ""
) -> EmployerFeedback:
    """Store an employer's feedback on an adviser (R-11: only that adviser will see it)."""
    employer = Employer.objects.current().filter(pk=employer_id).first()
    if employer is None:
        raise NotVisible(_("Employer not found."))
    feedback = EmployerFeedback(
        employer=employer,
        adviser=adviser,
        score=score,
        received_at=received_at,
        comment=_clean_text(comment),
        **({"source": source} if source else {}),
    )
    _full_clean(feedback, exclude=["employer", "adviser"])
    feedback.save()
    return feedback


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
