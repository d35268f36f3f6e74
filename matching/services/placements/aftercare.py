"""Aftercare after a placement (R-32), which may end the placement (R-30 on the real duration), and the daily
reminders of contacts due."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import pghistory
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind
from accounts.models import User
from accounts.services import notify
from matching.choices import CandidateStatus, PlacementStatus
from matching.models import AftercareContact, Candidate, Placement
from wsp.errors import Conflict, InvalidInput
from wsp.inputs import clean_text, full_clean

from .booking import _day
from .corrections import _apply, _lock_placement, _require_booked, _require_booking_organisation

# --- Aftercare contacts (R-32) -----------------------------------------------------------------------------------


@transaction.atomic
def aftercare_register(
    *,
    placement: Placement,
    by: User,
    occurred_at: datetime,
    summary: str,
    still_employed: bool = True,
    employment_ended_on: date | None = None,
    ends_aftercare: bool = False,
    now: datetime | None = None,
) -> AftercareContact:
    """R-32: a follow-up with employer and candidate; the next one is due AFTERCARE_INTERVAL_DAYS later, until the
    employer says no more is needed (`ends_aftercare`).

    A contact that finds the candidate no longer employed says their last day (`employment_ended_on`: not before the
    start, not after the contact, so never in the future) and ends the placement on that day through the same rules
    as a correction, with this contact as its reason in the audit trail; durability is then judged on the real
    duration (R-30), and there is nobody left to follow, so the aftercare ends too. A placement that had already
    ended by then keeps its end date.
    """
    now = now or timezone.now()
    placement = _lock_placement(placement.pk)
    _require_booking_organisation(placement, by)
    _require_booked(placement)
    if placement.aftercare_ended_at is not None:
        raise Conflict(_("Aftercare for this placement has ended."), code="aftercare_ended", rule="R-32")
    errors: dict[str, list[str]] = {}
    contact_day = timezone.localdate(occurred_at)
    if occurred_at > now + timedelta(minutes=5):
        errors["occurred_at"] = [_("An aftercare contact cannot lie in the future.")]
    elif contact_day < placement.start_date:
        errors["occurred_at"] = [_("Aftercare follows the start of the placement.")]
    if not clean_text(summary):
        errors["summary"] = [_("This field is required.")]
    if still_employed and employment_ended_on is not None:
        errors["employment_ended_on"] = [_("Leave this empty while the candidate still works there.")]
    elif not still_employed:
        if employment_ended_on is None:
            errors["employment_ended_on"] = [_("Give the candidate's last day of employment (R-32).")]
        elif employment_ended_on < placement.start_date:
            errors["employment_ended_on"] = [
                _("The last day of employment cannot lie before the start of the placement (%(date)s).")
                % {"date": _day(placement.start_date)}
            ]
        elif employment_ended_on > min(contact_day, timezone.localdate(now)):
            errors["employment_ended_on"] = [
                _("The last day of employment cannot lie after the aftercare contact, nor in the future.")
            ]
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), rule="R-32", fields=errors)

    contact = AftercareContact(
        placement=placement,
        adviser=by,
        occurred_at=occurred_at,
        summary=clean_text(summary),
        still_employed=still_employed,
        employment_ended_on=None if still_employed else employment_ended_on,
        ends_aftercare=ends_aftercare,
    )
    full_clean(contact, exclude=["placement", "adviser"])
    context = {"user": by.pk, "action": "aftercare"}
    changed = ["aftercare_ended_at", "next_aftercare_on", "updated_at"]
    ends_placement = not still_employed and (placement.end_date is None or placement.end_date > employment_ended_on)
    if ends_placement:
        # ended on that day, by the same rules as a correction and with this contact as its reason.
        reason = _("Aftercare contact of %(date)s: no longer employed, last day %(ended)s (R-32).") % {
            "date": _day(contact_day),
            "ended": _day(employment_ended_on),
        }
        _apply(placement, {"end_date": employment_ended_on}, today=timezone.localdate(now), conditions_needed=False)
        placement.correction_reason = reason
        context.update(action="aftercare_ends_placement", reason=reason)
        changed = None
    if ends_aftercare or not still_employed:
        placement.aftercare_ended_at, placement.next_aftercare_on = occurred_at, None
    else:
        placement.next_aftercare_on = contact_day + timedelta(days=settings.WSP["AFTERCARE_INTERVAL_DAYS"])
    with pghistory.context(**context):
        contact.save()
        placement.save(update_fields=changed)
    if ends_placement:
        _release_candidate(placement, now=now)
    return contact


def _release_candidate(placement: Placement, *, now: datetime) -> None:
    """A candidate whose placement has ended is available again, unless another booked placement still runs."""
    today = timezone.localdate(now)
    if placement.end_date is None or placement.end_date >= today:
        return
    running = Placement.objects.filter(candidate_id=placement.candidate_id, status=PlacementStatus.BOOKED).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    Candidate.objects.filter(pk=placement.candidate_id, status=CandidateStatus.PLACED).exclude(
        pk__in=running.values("candidate_id")
    ).update(status=CandidateStatus.AVAILABLE, updated_at=now)


# --- Aftercare reminders (R-32) ----------------------------------------------------------------------------------

# an overdue aftercare contact is brought up again every this many days, not every day.
AFTERCARE_REMINDER_EVERY_DAYS = 7


def remind_today(due: date, today: date) -> bool:
    """On the day the contact falls due and every AFTERCARE_REMINDER_EVERY_DAYS after it: an adviser with overdue
    placements is reminded weekly, not flooded daily."""
    return (today - due).days % AFTERCARE_REMINDER_EVERY_DAYS == 0


@transaction.atomic
def aftercare_reminders_send(*, placements: Iterable[Placement], today: date) -> int:
    """R-32, daily: remind each booker of the aftercare contacts due among `placements` (the selector
    `placements_aftercare_due`, with booker and employer) on the day they fall due and weekly after it: one notice
    per adviser and day listing their placements, e-mailed once.

    Once only: the notice is keyed per adviser and day (`accounts.services.notify`, unique in the database, so also
    across processes and retries). R-40: it names placements, employers and candidate numbers, never a name.
    Returns the notices made.
    """
    reminders: dict[int, list[Placement]] = {}
    advisers: dict[int, User] = {}
    for placement in placements:
        if remind_today(placement.next_aftercare_on, today):
            reminders.setdefault(placement.booked_by_id, []).append(placement)
            advisers[placement.booked_by_id] = placement.booked_by
    sent = 0
    for adviser_id, due in reminders.items():
        lines = [
            _("Placement %(id)s at %(employer)s (candidate %(candidate)s), due %(due)s")
            % {
                "id": p.pk,
                "employer": p.employer.name,
                "candidate": p.candidate_id,
                "due": p.next_aftercare_on.isoformat(),
            }
            for p in due
        ]
        created = notify(
            users=[advisers[adviser_id]],
            kind=NotificationKind.AFTERCARE_DUE,
            key=f"aftercare:{today.isoformat()}",
            title=_("Aftercare due for %(count)d placement(s)") % {"count": len(due)},
            body="\n".join(lines),
            url=reverse("placement-detail", args=[due[0].pk]) if len(due) == 1 else reverse("home"),
            email=True,
        )
        sent += len(created)
    return sent
