"""Celery tasks: thin adapters around services (STYLE habit 8). Idempotent, so acks_late is safe."""

import logging
from datetime import date

from celery import shared_task
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.selectors import placements as placement_selectors
from matching.services import placements as placement_services

logger = logging.getLogger(__name__)

# an overdue aftercare contact is brought up again every this many days, not every day.
AFTERCARE_REMINDER_EVERY_DAYS = 7


# A reminder sent is remembered this long, so a retried or repeated run on the same day sends nothing again.
SENT_MARK_SECONDS = 2 * 24 * 3600


def _remind_today(due: date, today: date) -> bool:
    """On the day the contact falls due and every AFTERCARE_REMINDER_EVERY_DAYS after it: an adviser with overdue
    placements is reminded weekly, not flooded daily."""
    return (today - due).days % AFTERCARE_REMINDER_EVERY_DAYS == 0


def _first_send(adviser_id: int, today: date) -> bool:
    """True once per adviser and day (the cache's atomic `add`): a retried task does not send the reminder twice."""
    return cache.add(f"matching:aftercare-reminder:{adviser_id}:{today.isoformat()}", True, SENT_MARK_SECONDS)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def check_placement_durability(today: str | None = None) -> dict:
    """R-30 daily: decide which placements became durable (or never will), then remind the bookers of the
    aftercare contacts that are due (R-32), one e-mail per adviser listing their placements.

    Idempotent: deciding durability twice changes nothing, and a reminder goes out once per adviser and day.
    `today` (ISO date) lets a missed day be run again.
    """
    day = date.fromisoformat(today) if today else timezone.localdate()
    checked = placement_services.placements_check_durability(today=day)
    reminders: dict[int, list] = {}
    advisers = {}
    for placement in placement_selectors.placements_aftercare_due(today=day):
        if _remind_today(placement.next_aftercare_on, day):
            reminders.setdefault(placement.booked_by_id, []).append(placement)
            advisers[placement.booked_by_id] = placement.booked_by
    sent = 0
    for adviser_id, placements in reminders.items():
        adviser = advisers[adviser_id]
        if not adviser.email or not adviser.is_active or not _first_send(adviser_id, day):
            continue
        lines = [
            _("Placement %(id)s at %(employer)s (candidate %(candidate)s), due %(due)s")
            % {
                "id": p.pk,
                "employer": p.employer.name,
                "candidate": p.candidate_id,
                "due": p.next_aftercare_on.isoformat(),
            }
            for p in placements
        ]
        send_mail(
            subject=_("Aftercare due for %(count)d placement(s)") % {"count": len(placements)},
            message="\n".join(lines),
            from_email=None,
            recipient_list=[adviser.email],
            fail_silently=True,
        )
        sent += 1
    logger.info(
        "Durability check %s: %d durable, %d not durable, %d aftercare reminders",
        day,
        len(checked.durable),
        len(checked.not_durable),
        sent,
    )
    return {"durable": checked.durable, "not_durable": checked.not_durable, "reminders": sent}
