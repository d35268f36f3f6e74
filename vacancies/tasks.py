"""Celery tasks: thin adapters around services (STYLE habit 8). Idempotent, so acks_late and retries are safe."""

import logging
from itertools import groupby

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind
from accounts.services import notify

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
    """One notice per owner listing their vacancies that expire soon, e-mailed at least once (accounts.notify: a
    failing mail server leaves the e-mail for the retry, and a second run tells nobody twice)."""
    vacancies = (
        Vacancy.objects.filter(pk__in=vacancy_ids)
        .select_related("owner", "employer")
        .order_by("owner_id", "expires_on", "id")
    )
    for owner_id, owned in groupby(vacancies, key=lambda vacancy: vacancy.owner_id):
        owned = list(owned)
        lines = [
            _("%(title)s at %(employer)s expires on %(date)s")
            % {"title": v.title, "employer": v.employer.name, "date": v.expires_on.strftime("%d-%m-%Y")}
            for v in owned
        ]
        notify(
            users=[owned[0].owner],
            kind=NotificationKind.VACANCY_EXPIRING,
            key=f"expiring:{timezone.localdate().isoformat()}",  # one notice per owner and day
            title=_("%(count)d of your vacancies expire soon") % {"count": len(owned)},
            body="\n".join([*lines, "", _("Extend a vacancy that is still open, or close it with its outcome.")]),
            url=reverse("home") + "#vacancies",
            email=True,
        )
        logger.debug("Expiry notice for owner %s: %d vacancies", owner_id, len(owned))
