"""Celery tasks: thin adapters around services (STYLE habit 8). Both are idempotent, so acks_late is safe."""

import logging

from celery import shared_task
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import ContactRequest

logger = logging.getLogger(__name__)


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


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def flag_overdue_contact_requests() -> int:
    """R-10: tell the assigned adviser, once, about a contact request that passed its 24 hours."""
    ids = services.contact_requests_flag_overdue()
    for request in ContactRequest.objects.filter(pk__in=ids).select_related("employer", "assigned_to"):
        if request.assigned_to.email:
            send_mail(
                subject=_("Contact request of %(name)s is past 24 hours") % {"name": request.employer.name},
                message=request.question,
                from_email=None,
                recipient_list=[request.assigned_to.email],
                fail_silently=True,
            )
    return len(ids)
