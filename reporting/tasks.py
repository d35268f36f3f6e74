"""Celery tasks of the reporting app: thin adapters around services (STYLE habit 8)."""

import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from .monitoring import worklists_send

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3, acks_late=True)
def send_worklists(today: str | None = None) -> int:
    """Nightly: each person's worklist for the day (a notice, and the e-mail digest for who chose it). Idempotent:
    keyed per person and day in the database, so a re-run or a retry adds nothing. `today` (ISO) reruns a day."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        created = worklists_send(today=day)
    logger.info("Worklists %s: %d notices", day, created)
    return created
