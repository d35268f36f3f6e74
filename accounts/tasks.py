"""Celery tasks of the accounts app: thin adapters around services (STYLE habit 8)."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from . import services

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def email_notifications(ids: list[int]) -> int:
    """E-mail notices to their staff member, each at most once (`notifications_claim_for_email`)."""
    sent = 0
    for notice in services.notifications_claim_for_email(ids=ids):
        if not notice.user.email:
            continue
        link = f"\n\n{settings.WSP_SITE_URL.rstrip('/')}{notice.url}" if notice.url else ""
        send_mail(
            subject=notice.title,
            message=f"{notice.body}{link}".strip(),
            from_email=None,
            recipient_list=[notice.user.email],
            fail_silently=True,
        )
        sent += 1
    logger.info("E-mailed %d notices", sent)
    return sent
