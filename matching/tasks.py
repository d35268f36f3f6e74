"""Celery tasks: thin adapters around services (STYLE habit 8). Idempotent, so acks_late is safe."""

import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind
from accounts.services import notify
from matching.selectors import placements as placement_selectors
from matching.services import placements as placement_services

logger = logging.getLogger(__name__)

# an overdue aftercare contact is brought up again every this many days, not every day.
AFTERCARE_REMINDER_EVERY_DAYS = 7


def _remind_today(due: date, today: date) -> bool:
    """On the day the contact falls due and every AFTERCARE_REMINDER_EVERY_DAYS after it: an adviser with overdue
    placements is reminded weekly, not flooded daily."""
    return (today - due).days % AFTERCARE_REMINDER_EVERY_DAYS == 0


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def check_placement_durability(today: str | None = None) -> dict:
    """R-30 daily: decide which placements became durable (or never will), then remind the bookers of the
    aftercare contacts that are due (R-32): one notice per adviser and day listing their placements, e-mailed once.

    Idempotent: deciding durability twice changes nothing, and the reminder is a notice keyed per adviser and day
    (`accounts.services.notify`, once-only by a unique constraint in the database, so also across processes and
    retries). `today` (ISO date) lets a missed day be run again.
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
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        for adviser_id, placements in reminders.items():
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
            created = notify(
                users=[advisers[adviser_id]],
                kind=NotificationKind.AFTERCARE_DUE,
                key=f"aftercare:{day.isoformat()}",
                title=_("Aftercare due for %(count)d placement(s)") % {"count": len(placements)},
                body="\n".join(lines),
                url=reverse("placement-detail", args=[placements[0].pk]) if len(placements) == 1 else reverse("home"),
                email=True,
            )
            sent += len(created)
    logger.info(
        "Durability check %s: %d durable, %d not durable, %d aftercare reminders",
        day,
        len(checked.durable),
        len(checked.not_durable),
        sent,
    )
    return {"durable": checked.durable, "not_durable": checked.not_durable, "reminders": sent}


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_weekly_overview(week: str | None = None) -> dict:
    """R-41, every Monday (Celery beat): the weekly overview of newly work-ready candidates to every adviser, by
    e-mail to those who opted in. Once per adviser and week (the notice key is the ISO week), so a retry or a second
    run sends nothing twice. `week` ("2026-W49") lets a missed week be sent afterwards."""
    from django.conf import settings
    from django.utils import translation

    from matching.selectors.candidates import Week
    from matching.services.candidates import weekly_overview_send

    chosen = Week.parse(week) if week else None
    if week and chosen is None:
        raise ValueError(f"Not an ISO week: {week!r} (expected e.g. 2026-W49)")
    with translation.override(settings.LANGUAGE_CODE):
        result = weekly_overview_send(week=chosen)
    logger.info("Weekly overview %s: %d candidates, %d notices, %d e-mails", result["week"], result["candidates"],
                result["notices"], result["emails"])  # fmt: skip
    return result
