"""Expiry: open vacancies past their date are expired after their owner was warned (R-20: reactivated first)."""

from datetime import date, datetime, time, timedelta

import pghistory
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..choices import VacancyStatus
from ..models import Vacancy

# --- Expiry ---------------------------------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@transaction.atomic
def vacancies_warn_expiring(*, today: date, now: datetime | None = None) -> list[int]:
    """Open vacancies that expire within VACANCY_EXPIRY_WARNING_DAYS (or already passed their date) and whose owner
    was not warned yet: mark them warned and return their ids, for the task to notify. Idempotent."""
    now = now or timezone.now()
    horizon = today + timedelta(days=settings.WSP["VACANCY_EXPIRY_WARNING_DAYS"])
    due = Vacancy.objects.select_for_update(skip_locked=True).filter(
        status=VacancyStatus.OPEN, expires_on__lte=horizon, expiry_warned_at__isnull=True
    )
    ids = list(due.order_by("id").values_list("id", flat=True))
    # Not a change of the vacancy itself: expiry_warned_at is left out of the history and updated_at stays.
    Vacancy.objects.filter(pk__in=ids).update(expiry_warned_at=now)
    return ids


@transaction.atomic
def vacancies_expire_stale(*, today: date, now: datetime | None = None) -> list[int]:
    """Expire open vacancies past their expiry date whose owner was warned on an earlier day, so nobody finds a
    vacancy expired without a warning; the next daily run expires one that was only just warned. Idempotent."""
    now = now or timezone.now()
    stale = Vacancy.objects.select_for_update(skip_locked=True).filter(
        status=VacancyStatus.OPEN, expires_on__lt=today, expiry_warned_at__lt=_start_of(today)
    )
    ids = list(stale.order_by("id").values_list("id", flat=True))
    with pghistory.context(action="expire"):
        Vacancy.objects.filter(pk__in=ids).update(status=VacancyStatus.EXPIRED, updated_at=now)
    return ids
