"""Ownership (R-03, R-04, R-05): admission requests, the takeover after 12 months without contact and a
manager's reassignment of a departing adviser's employers.
"""

from datetime import datetime
from itertools import cycle

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.rules import require_manager, require_staff
from employers.choices import AccessRequestStatus, AccountHolderVia, LastContactSource
from employers.models import AccessRequest, AccountHolder, ContactRequest, Employer
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused
from wsp.inputs import clean_text

from .employers import _lock_current, _refuse_purged, employer_clock_start

# who may ask for admission (a manager acts without it, but asking does no harm).
ADMISSION_ROLES = (Role.ADVISER, Role.ACCOUNT_MANAGER, Role.MANAGER)


def takeover_possible_from(employer: Employer) -> datetime | None:
    """R-05: the moment another adviser may take the employer over; None when that is possible now or ever was."""
    if employer.last_contact_at is None:
        return None
    return employer.last_contact_at + relativedelta(months=settings.WSP["TAKEOVER_AFTER_MONTHS"])


@transaction.atomic
def access_request_create(*, employer_id: int, by: User, message: str = "") -> AccessRequest:
    """R-04: an adviser who wants to act towards the employer asks its main account holder for admission. Not an
    administrator: administrators keep the reference data and do not act towards employers (R-01, 403)."""
    require_staff(by, roles=ADMISSION_ROLES)
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
            return AccessRequest.objects.create(employer=employer, requester=by, message=clean_text(message))
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
    request.decision_note = clean_text(note)
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


def employer_ownership_move_agreed(employer: Employer, new_holder: User, *, now: datetime | None = None) -> bool:
    """R-13: the employer's ownership moves by agreement with its main account holder (a chain partner takes it along
    with a vacancy, vacancies.services.vacancy_hand_over). The old main account holder stays account holder, open
    contact requests follow the new one (R-10) and the new main account holder's 12 months start now (R-05).

    False (and nothing written) when `new_holder` already is the main account holder. The caller holds the
    employer's row lock and a named pghistory action (a move is not contact, R-05)."""
    if employer.main_account_holder_id == new_holder.pk:
        return False
    _move_main_account_holder(employer, new_holder, keep_old_as_holder=True)
    employer_clock_start(
        [employer.pk], holder=new_holder, source=LastContactSource.OWNERSHIP_CHANGE, now=now or timezone.now()
    )
    return True


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
    require_manager(by)
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
