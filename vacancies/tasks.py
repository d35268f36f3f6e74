"""Celery tasks: thin adapters around services (STYLE habit 8). Idempotent, so acks_late and retries are safe."""

import logging
from itertools import groupby

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import Vacancy

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def expire_stale_vacancies() -> dict[str, int]:
    """Daily: warn owners of vacancies about to expire (once per expiry date), then expire the vacancies past their
    date whose owner was warned on an earlier day. Expired vacancies are reactivated before booking (R-20)."""
    today = timezone.localdate()
    warned = services.vacancies_warn_expiring(today=today)
    _mail_expiry_warnings(warned)
    expired = services.vacancies_expire_stale(today=today)
    logger.info("Vacancy expiry: %d owners' vacancies warned, %d expired", len(warned), len(expired))
    return {"warned": len(warned), "expired": len(expired)}


def _mail_expiry_warnings(vacancy_ids: list[int]) -> None:
    """One e-mail per owner listing their vacancies that expire soon."""
    vacancies = (
        Vacancy.objects.filter(pk__in=vacancy_ids)
        .select_related("owner", "employer")
        .order_by("owner_id", "expires_on", "id")
    )
    for _owner_id, owned in groupby(vacancies, key=lambda vacancy: vacancy.owner_id):
        owned = list(owned)
        owner = owned[0].owner
        if not owner.email:
            continue
        lines = [
            _("%(title)s at %(employer)s expires on %(date)s")
            % {"title": v.title, "employer": v.employer.name, "date": v.expires_on.strftime("%d-%m-%Y")}
            for v in owned
        ]
        send_mail(
            subject=_("%(count)d of your vacancies expire soon") % {"count": len(owned)},
            message="\n".join([*lines, "", _("Extend a vacancy that is still open, or close it with its outcome.")]),
            from_email=None,
            recipient_list=[owner.email],
            fail_silently=True,
        )
