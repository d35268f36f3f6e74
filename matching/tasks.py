"""Celery tasks: thin adapters around services (STYLE habit 8): they take a day or a week, fetch, call a service, and
log what was done. Idempotent, so acks_late is safe. Notices are written in the language in effect, which in a
worker is the site's (Dutch); the weekly overview always in the site's."""

import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from matching.selectors import placements as placement_selectors
from matching.selectors.candidates import Week
from matching.services import placements as placement_services
from matching.services.candidates import weekly_overview_send

logger = logging.getLogger(__name__)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def check_placement_durability(today: str | None = None) -> dict:
    """R-30 daily: decide which placements became durable (or never will), then remind the bookers of the
    aftercare contacts that are due (R-32, `aftercare_reminders_send`: one notice per adviser and day, e-mailed once).

    Idempotent: deciding durability twice changes nothing, and the reminder is keyed per adviser and day in the
    database. `today` (ISO date) lets a missed day be run again.
    """
    day = date.fromisoformat(today) if today else timezone.localdate()
    checked = placement_services.placements_check_durability(today=day)
    with translation.override(_language()):
        sent = placement_services.aftercare_reminders_send(
            placements=placement_selectors.placements_aftercare_due(today=day), today=day
        )
    logger.info(
        "Durability check %s: %d durable, %d not durable, %d aftercare reminders",
        day,
        len(checked.durable),
        len(checked.not_durable),
        sent,
    )
    return {"durable": checked.durable, "not_durable": checked.not_durable, "reminders": sent}


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def tell_about_hires_of_departed_bookers() -> int:
    """R-23..R-25 daily: a hire whose recorded booker is no longer active goes to the active advisers of the booker's
    organisation, who are told once (`hires_of_departed_bookers_notify`)."""
    with translation.override(_language()):
        made = placement_services.hires_of_departed_bookers_notify()
    logger.info("Hires of departed bookers: %d notices", made)
    return made


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_weekly_overview(week: str | None = None) -> dict:
    """R-41, every Monday (Celery beat): the weekly overview of newly work-ready candidates to every adviser, by
    e-mail to those who opted in. Once per adviser and week (the notice key is the ISO week), so a retry or a second
    run sends nothing twice. `week` ("2026-W49") lets a missed week be sent afterwards."""
    chosen = Week.parse(week) if week else None
    if week and chosen is None:
        raise ValueError(f"Not an ISO week: {week!r} (expected e.g. 2026-W49)")
    with translation.override(settings.LANGUAGE_CODE):
        result = weekly_overview_send(week=chosen)
    logger.info("Weekly overview %s: %d candidates, %d notices, %d e-mails", result["week"], result["candidates"],
                result["notices"], result["emails"])  # fmt: skip
    return result
