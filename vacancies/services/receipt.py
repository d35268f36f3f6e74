"""Correcting the moment a vacancy was received (R-12, R-57)."""

from datetime import datetime

import pghistory
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.rules import require_staff
from wsp.errors import Conflict, InvalidInput, RuleRefused
from wsp.inputs import CLOCK_SLACK, MSG_CORRECT_FIELDS, clean_text

from ..models import CORRECT_RECEIPT_ACTION, Vacancy, VacancyIntake
from .shared import (
    MSG_RECEIPT_TOO_EARLY,
    MSG_RECEIVED_FUTURE,
    RECEIPT_WINDOW,
    _local,
    _lock,
    is_organisation_manager,
)

# --- Correcting the moment of receipt (R-12, R-57) -----------------------------------------------------------------

MSG_RECEIPT_BY_OWNER = gettext_lazy(
    "Only the owner of the vacancy or a manager of its organisation corrects its moment of receipt (R-12)."
)
MSG_RECEIPT_LATER_BY_MANAGER = gettext_lazy(
    "Moving the moment of receipt later makes the registration look faster; only a manager of the vacancy's "
    "organisation does that, with a reason (R-12, R-57). Moving it earlier is up to the owner."
)
MSG_RECEIPT_AFTER_INTAKE = gettext_lazy(
    "The vacancy was noted as received at %(moment)s and registered from that note: it was not received later (R-12)."
)
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


def _receipt_bound_error(vacancy: Vacancy, received_at: datetime, *, now: datetime) -> str | None:
    """R-12, R-21, R-22: why the moment cannot be the vacancy's receipt, or None. Never in the future, never after
    its registration, never after the receipt of the intake it was registered from, never after the first proposal
    on it, never after the first placement on it or its partners' duplicates started, and never more than
    RECEIPT_WINDOW before its registration. At most three queries."""
    if received_at > now + CLOCK_SLACK:
        return MSG_RECEIVED_FUTURE
    if received_at > vacancy.registered_at:
        return MSG_RECEIPT_AFTER_REGISTRATION % {"registered": _local(vacancy.registered_at)}
    if received_at < vacancy.registered_at - RECEIPT_WINDOW:
        return MSG_RECEIPT_TOO_EARLY % {"moment": _local(vacancy.registered_at - RECEIPT_WINDOW)}
    noted = VacancyIntake.objects.filter(vacancy=vacancy).values_list("received_at", flat=True).first()
    if noted is not None and received_at > noted:
        return MSG_RECEIPT_AFTER_INTAKE % {"moment": _local(noted)}
    first_referral = vacancy.referrals.aggregate(first=Min("referred_at"))["first"]
    if first_referral is not None and received_at > first_referral:
        return MSG_RECEIPT_AFTER_REFERRAL % {"moment": _local(first_referral)}
    first_start = Vacancy.objects.filter(Q(pk=vacancy.pk) | Q(duplicated_from=vacancy.pk)).aggregate(
        first=Min("placements__start_date")
    )["first"]
    if first_start is not None and timezone.localdate(received_at) > first_start:
        return MSG_RECEIPT_AFTER_PLACEMENT % {"day": first_start.strftime("%d-%m-%Y")}
    return None


@transaction.atomic
def vacancy_correct_receipt(
    *, vacancy: Vacancy | int, by: User, received_at: datetime, reason: str, now: datetime | None = None
) -> Vacancy:
    """R-12, R-57: correct when a vacancy was received, with a reason.

    The moment of receipt decides the late-registration figure (R-12), so it never moves without a trace and never
    silently flatters the figure:

    - who: moving it earlier (into the past, which can only make the registration later) is for the owner or a
      manager of the vacancy's organisation; moving it later (which makes the registration look faster) only for
      a manager of the vacancy's organisation (R-57; `is_organisation_manager`: role manager, not an administrator,
      not another organisation's manager). Anyone else: 403 `not_vacancy_owner`; the owner moving it later: 403
      `receipt_later_needs_manager`.
    - bounds (`_receipt_bound_error`, 400 on `received_at`): never in the future (nor does the database accept
      that, `received_not_in_future`), never after the registration, never after the receipt of the intake it was
      registered from (its 24-hour clock ran from there), never after the first proposal on the vacancy (R-21) or
      the first placement on it or its partners' duplicates (R-22), and never more than a year (RECEIPT_WINDOW)
      before the registration.
    - trace: the correction is an update event of the vacancy's audit trail under the named action
      `correct_receipt`, whose context keeps the reason, the previous moment and who corrected it (the vacancy
      page and `vacancies/{id}/receipt-corrections/` show them); `registered_late` follows by itself (a generated
      column) while `received_at_registered` and `late_as_registered` keep the figure as registered, so the
      late-registration counts show corrected vacancies as such (`selectors.late_registration_counts`).

    Registration itself is never corrected. The employer's takeover clock is not moved: receipt was contact when
    it was registered (R-05), and a correction is nobody's new contact. Refusals change nothing (409
    `receipt_unchanged` for the same moment).
    """
    now = now or timezone.now()
    require_staff(by)
    vacancy = _lock(vacancy)
    by_manager = is_organisation_manager(by, vacancy.organisation_id)
    if vacancy.owner_id != by.pk and not by_manager:
        raise RuleRefused(MSG_RECEIPT_BY_OWNER, code="not_vacancy_owner", rule="R-12")
    errors: dict[str, list] = {}
    reason = clean_text(reason)
    if not reason:
        errors["reason"] = [MSG_RECEIPT_REASON]
    if not isinstance(received_at, datetime):
        errors["received_at"] = [_("Give a date and time.")]
    else:
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        bound = _receipt_bound_error(vacancy, received_at, now=now)
        if bound:
            errors["received_at"] = [bound]
    if errors:
        raise InvalidInput(MSG_CORRECT_FIELDS, rule="R-12", fields=errors)
    if received_at == vacancy.received_at:
        raise Conflict(MSG_RECEIPT_UNCHANGED, code="receipt_unchanged", rule="R-12")
    if received_at > vacancy.received_at and not by_manager:
        raise RuleRefused(
            MSG_RECEIPT_LATER_BY_MANAGER,
            code="receipt_later_needs_manager",
            rule="R-57",
            fields={"received_at": [MSG_RECEIPT_LATER_BY_MANAGER]},
        )
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
    vacancy.refresh_from_db(fields=["registered_late", "late_as_registered"])
    return vacancy
