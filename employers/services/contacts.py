"""Contact moments and contact requests (R-08, R-10, R-33): contact registered with an employer, the employer's
requests for contact and their response within 24 hours.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

import pghistory
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.rules import require_staff
from employers.choices import ContactKind
from employers.models import ContactMoment, ContactRequest
from wsp.errors import Conflict, InvalidInput, NotVisible
from wsp.inputs import CLOCK_SLACK, clean_text, full_clean

from .employers import (
    EARLIEST_MOMENT,
    MSG_CONTACT_FUTURE,
    MSG_INSTRUMENTS_REFUSED,
    VisitReport,
    _contact_moment_save,
    _employer_from_input,
    _instruments_clean_all,
    _refuse_purged,
    _validate_visit,
    moment_errors,
    require_admission,
)

MSG_REQUEST_FUTURE = gettext_lazy("The request cannot be received in the future.")
MSG_CHOOSE_PAST = gettext_lazy("Choose a moment in the past.")


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
    require_staff(by)
    if kind not in ContactKind.values:
        raise InvalidInput(_("Unknown kind of contact."), fields={"kind": [_("Choose a kind of contact.")]})
    employer = _employer_from_input(employer_id)
    require_admission(employer, by)
    report = VisitReport(
        occurred_at=occurred_at,
        reason=clean_text(reason),
        company_activities=clean_text(company_activities),
        agreements=clean_text(agreements),
        summary=clean_text(summary),
    )
    instruments, instrument_errors = _instruments_clean_all(
        instruments_advised=instruments_advised, instruments_applied=instruments_applied
    )
    if kind == ContactKind.VISIT:
        report_errors = _validate_visit(report, now=now)
        detail = _("A visit report needs a reason, the company's activities and the agreements made.")
        code, rule = "visit_report_incomplete", "R-08"
    else:
        report_errors = moment_errors(occurred_at, field="occurred_at", future_message=MSG_CONTACT_FUTURE, now=now)
        if not report.summary:
            report_errors["summary"] = [_("This field is required.")]
        detail = (
            report_errors["occurred_at"][0]
            if "occurred_at" in report_errors
            else _("Describe the contact in a short summary.")
        )
        code, rule = "invalid", None
    if report_errors or instrument_errors:
        if not report_errors:
            detail, code, rule = MSG_INSTRUMENTS_REFUSED, "unknown_instrument", "R-33"
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
    require_staff(by)
    employer = _employer_from_input(employer_id)
    errors = moment_errors(received_at, field="received_at", future_message=MSG_CHOOSE_PAST, now=now)
    if errors:
        raise InvalidInput(
            MSG_REQUEST_FUTURE if received_at > now else errors["received_at"][0], rule="R-10", fields=errors
        )
    request = ContactRequest(
        employer=employer,
        received_at=received_at,
        question=clean_text(question),
        channel=channel,
        requested_by=clean_text(requested_by),
        assigned_to_id=employer.main_account_holder_id,
    )
    full_clean(request, exclude=["employer", "assigned_to"])
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
    require_staff(by)
    request = ContactRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise NotVisible(_("Contact request not found."))
    _refuse_purged(request.employer)
    require_admission(request.employer, by)
    if request.responded_at is not None:
        raise Conflict(_("This contact request has already been answered."), code="already_responded", rule="R-10")
    errors: dict[str, list[str]] = {}
    if responded_at is not None and (
        responded_at < max(request.received_at, EARLIEST_MOMENT) or responded_at > now + CLOCK_SLACK
    ):
        errors["responded_at"] = [MSG_RESPONSE_MOMENT]
    if not clean_text(response):
        errors["response"] = [_("This field is required.")]
    if errors:
        detail = MSG_RESPONSE_MOMENT if "responded_at" in errors else _("Describe the response.")
        raise InvalidInput(detail, rule="R-10" if "responded_at" in errors else None, fields=errors)
    # A stated moment a few minutes ahead (a clock that runs fast) is the moment of recording.
    stated = min(responded_at, now) if responded_at is not None else now
    request.responded_at, request.response_recorded_at = stated, now
    request.responded_by, request.response = by, clean_text(response)
    with pghistory.context(user=by.pk):
        request.save()
    return request


def contact_requests_flag_overdue(
    *, now: datetime | None = None, tell: Callable[[ContactRequest], None] | None = None
) -> list[int]:
    """R-10: flag the unanswered requests past their 24 hours, once each, telling the assigned adviser; returns
    the ids flagged now.

    Each request in its own transaction: it is locked (SKIP LOCKED: a parallel run leaves it to the run that holds
    it), `tell(request)` (the e-mail) runs, and only then is `overdue_notified_at` set. When telling fails, its
    error propagates and that request (and those after it) stays unflagged for the task's retry, while the ones
    told before stay flagged: the adviser is told at least once; a crash between the e-mail and the commit tells
    them twice at most.
    """
    now = now or timezone.now()
    cutoff = now - relativedelta(hours=ContactRequest.RESPONSE_HOURS)
    due = ContactRequest.objects.filter(responded_at__isnull=True, overdue_notified_at__isnull=True,
                                        received_at__lt=cutoff)  # fmt: skip
    flagged: list[int] = []
    for request_id in due.order_by("received_at", "id").values_list("id", flat=True):
        with transaction.atomic():
            request = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("employer", "assigned_to")
                .filter(pk=request_id)
                .first()
            )
            if request is None:  # answered, flagged or being flagged in the meantime
                continue
            if tell is not None:
                tell(request)
            ContactRequest.objects.filter(pk=request.pk).update(overdue_notified_at=now)
        flagged.append(request.pk)
    return flagged
