"""Celery tasks of the accounts app: thin adapters around services (STYLE habit 8)."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from . import services
from .models import Notification

logger = logging.getLogger(__name__)

# Sending can fail on the mail server (SMTP) or the network (OSError covers ConnectionError and timeouts): retry.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, retry_backoff_max=600, max_retries=10)
def email_notifications(ids: list[int]) -> int:
    """E-mail notices to their staff member, each at least once (`notifications_email`): a notice is marked
    e-mailed only after the mail server accepted it; an SMTP or connection error retries with backoff."""
    sent = services.notifications_email(ids=ids, send=_send)
    logger.info("E-mailed %d notices", sent)
    return sent


def _send(notice: Notification) -> None:
    link = f"\n\n{settings.WSP_SITE_URL.rstrip('/')}{notice.url}" if notice.url else ""
    send_mail(
        subject=notice.title,
        message=f"{notice.body}{link}".strip(),
        from_email=None,
        recipient_list=[notice.user.email],
        fail_silently=False,
    )
