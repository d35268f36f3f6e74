"""Calendar periods the figures are counted in (R-50: years and quarters, in local days)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def quarter_start(day: date) -> date:
    """The first day of the quarter `day` lies in."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def local_midnight(day: date) -> datetime:
    """The moment the local day begins (an aware datetime in the site's time zone)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def whole_months(first: date, last: date) -> tuple[date, date] | None:
    """The whole calendar months from `first` to `last` (both included): the first day of the first of them and the
    first day after the last of them; None when no month lies wholly inside."""
    start = first if first.day == 1 else (first.replace(day=1) + timedelta(days=32)).replace(day=1)
    after = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    end = after if last + timedelta(days=1) == after else last.replace(day=1)
    return (start, end) if start < end else None
