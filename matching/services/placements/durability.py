"""Durability of placements (R-30): the derived values fixed at booking and the daily check."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from matching.choices import PlacementStatus
from matching.models import Placement

# --- Derived values (R-30, R-32) ---------------------------------------------------------------------------------


def durable_after_for(start_date: date, organisation_kind: str) -> date:
    """R-30: municipal partners count a placement as durable after more than 3 months, UWV after more than 6."""
    return start_date + relativedelta(months=settings.WSP["DURABLE_AFTER_MONTHS"][organisation_kind])


def durability_on(*, hours_per_week: Decimal, end_date: date | None, durable_after: date, today: date) -> bool | None:
    """R-30: whether a placement is durable on `today`; None while that is not known yet.

    Only time that has passed counts: durable once more than the 3 or 6 months really lay between the start and
    today, and the end when it ended (`today` and the end both past `durable_after`); not durable once it really
    ended on or before `durable_after`. A future end date decides nothing ahead of time (a contract may be extended).
    The one thing known at once: under DURABLE_MIN_HOURS a week it never counts as durable.
    """
    if hours_per_week < settings.WSP["DURABLE_MIN_HOURS"]:
        return False
    if end_date is not None and end_date <= durable_after:
        return False if end_date < today else None
    if today > durable_after:
        return True
    return None


def is_short(*, hours_per_week: Decimal, end_date: date | None, durable_after: date) -> bool:
    """R-30, ZKIJ plan 3.1: a short placement (under DURABLE_MIN_HOURS a week, or a fixed end within the durable
    period) is allowed with conditions, which are recorded."""
    return hours_per_week < settings.WSP["DURABLE_MIN_HOURS"] or (end_date is not None and end_date <= durable_after)


def _derive(placement: Placement, *, organisation_kind: str, today: date) -> None:
    placement.durable_after = durable_after_for(placement.start_date, organisation_kind)
    placement.is_durable = durability_on(
        hours_per_week=placement.hours_per_week,
        end_date=placement.end_date,
        durable_after=placement.durable_after,
        today=today,
    )
    placement.durability_checked_on = today if placement.is_durable is not None else None


@dataclass(frozen=True)
class DurabilityCheck:
    """The placements the daily check decided on (R-30); undecided ones are checked again tomorrow."""

    durable: list[int]
    not_durable: list[int]


@transaction.atomic
def placements_check_durability(*, today: date | None = None) -> DurabilityCheck:
    """R-30, daily: decide the durability of booked placements that are still open on it.

    Durable once today is past `durable_after`, with at least DURABLE_MIN_HOURS a week and no end on or before that
    day; not durable once it really ended (before today) on or before `durable_after`, or with fewer hours. A future
    end date decides nothing. Only undecided placements are touched, so running it twice on a day changes nothing
    the second time. Two UPDATEs whatever the number.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    undecided = Placement.objects.select_for_update(skip_locked=True).filter(
        status=PlacementStatus.BOOKED, is_durable__isnull=True
    )
    min_hours = settings.WSP["DURABLE_MIN_HOURS"]
    # As `durability_on`: only time that has passed counts; a future end decides nothing yet.
    ended_early = Q(end_date__lte=F("durable_after"), end_date__lt=today)
    never = Q(hours_per_week__lt=min_hours) | ended_early
    not_durable = list(undecided.filter(never).values_list("id", flat=True))
    lasted = Q(durable_after__lt=today) & (Q(end_date__isnull=True) | Q(end_date__gt=F("durable_after")))
    durable = list(undecided.exclude(never).filter(lasted).values_list("id", flat=True))
    with pghistory.context(action="durability_check"):
        Placement.objects.filter(pk__in=not_durable).update(
            is_durable=False, durability_checked_on=today, updated_at=now
        )
        Placement.objects.filter(pk__in=durable).update(is_durable=True, durability_checked_on=today, updated_at=now)
    return DurabilityCheck(durable=durable, not_durable=not_durable)
