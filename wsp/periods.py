"""Calendar periods the figures are counted in (R-50: years and quarters, in local days)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from wsp.errors import InvalidInput


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


def month_of(key) -> tuple[date, date]:
    """A month written as YYYY-MM (a figure's row key): its first day and the first day of the next month; a 400
    with a field error for anything else."""
    try:
        year, month = (int(part) for part in str(key).split("-"))
        first = date(year, month, 1)
    except ValueError as error:
        message = _("Write the month as YYYY-MM.")
        raise InvalidInput(message, code="invalid", fields={"key": [message]}) from error
    return first, date(year + month // 12, month % 12 + 1, 1)
