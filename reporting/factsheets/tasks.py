"""Celery tasks of the factsheets: thin adapters (STYLE habit 8)."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

logger = logging.getLogger(__name__)


# A lost database or broker connection is retried with back-off; a failure of the build itself is recorded on the
# factsheet (status failed, the error) for a manager to send again.
@shared_task(
    autoretry_for=(ConnectionError, OperationalError, KombuOperationalError),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
)
def build_factsheet(factsheet_id: int) -> str | None:
    """Builds one factsheet (idempotent: a re-run after a killed worker builds it cleanly)."""
    from .services import factsheet_build

    factsheet = factsheet_build(factsheet_id=factsheet_id)
    return factsheet.status if factsheet else None


@shared_task(acks_late=True)
def build_last_quarter() -> int | None:
    """Celery beat, at the start of every quarter: the factsheet of the quarter just ended, unless one exists."""
    from .models import Factsheet

    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the quarter before this one (0: the last of the year before)
    year = today.year if quarter else today.year - 1
    quarter = quarter or 4
    versions = Factsheet.objects.filter(year=year, quarter=quarter)
    if versions.filter(is_draft=False).exists():
        return None
    # After the drafts a manager may have made while the quarter ran.
    factsheet = Factsheet.objects.create(year=year, quarter=quarter, version=versions.count() + 1)
    build_factsheet.delay(factsheet.pk)
    logger.info("Factsheet %s queued", factsheet)
    return factsheet.pk
