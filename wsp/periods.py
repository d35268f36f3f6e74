"""Calendar periods the figures are counted in (R-50: years and quarters, in local days)."""

from datetime import date, datetime, time

from django.utils import timezone


def quarter_start(day: date) -> date:
    """The first day of the quarter `day` lies in."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def local_midnight(day: date) -> datetime:
    """The moment the local day begins (an aware datetime in the site's time zone)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
