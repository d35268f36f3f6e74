"""Celery tasks: thin adapters around services (STYLE habit 8). Both are idempotent, so acks_late is safe."""

import logging
import smtplib

from celery import shared_task
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import ContactRequest

logger = logging.getLogger(__name__)

# Sending can fail on the mail server (SMTP) or the network (OSError covers ConnectionError and timeouts): retry.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def purge_ceased_employers() -> int:
    """R-09: purge employers ceased longer ago than the configured months (weekly, Celery beat): those without
    vacancies are deleted into the tallies, those with vacancies anonymised. Idempotent."""
    before = timezone.localdate() - relativedelta(months=settings.WSP["PURGE_CEASED_AFTER_MONTHS"])
    result = services.employers_purge_ceased(ceased_before=before)
    logger.info(
        "Purged %d ceased employers (ceased before %s): %d deleted, %d anonymised",
        result.total,
        before,
        result.deleted,
        result.anonymised,
    )
    return result.total


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, retry_backoff_max=600, max_retries=10)
def flag_overdue_contact_requests() -> int:
    """R-10: tell the assigned adviser, at least once, about a contact request that passed its 24 hours.

    A request is flagged only after its e-mail went out (`contact_requests_flag_overdue`); an SMTP or connection
    error leaves it unflagged and the task retries with backoff."""
    return len(services.contact_requests_flag_overdue(tell=_email_overdue))


def _email_overdue(request: ContactRequest) -> None:
    if not request.assigned_to.email:
        return
    send_mail(
        subject=_("Contact request of %(name)s is past 24 hours") % {"name": request.employer.name},
        message=request.question,
        from_email=None,
        recipient_list=[request.assigned_to.email],
        fail_silently=False,
    )


@shared_task(autoretry_for=(ConnectionError, OperationalError), retry_backoff=True, max_retries=3)
def refresh_likely_duplicates() -> int:
    """R-07: every night, the likely duplicates of all employers found again (what a bulk update changed without a
    save is caught up here). Idempotent: the pairs are replaced, never added twice."""
    stored = services.likely_duplicates_refresh()
    logger.info("Likely duplicate employers: %d pairs (both ways)", stored)
    return stored
