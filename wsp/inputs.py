"""Small input helpers every app shares: ids from query strings and forms, text, model validation, clock slack.

One definition each, so the browser, the API and the services read input the same way and never raise on odd input
("²", "٣", "+1", a number beyond the database's integer range).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wsp.errors import InvalidInput

# Ids are PostgreSQL integers; a larger number in a filter would make the database refuse the query.
MAX_ID = 2**31 - 1

# A clock a few minutes fast on the client's side is no reason to refuse a moment "in the future".
CLOCK_SLACK = timedelta(minutes=5)

MSG_CORRECT_FIELDS = _("Please correct the marked fields.")


def int_or_none(value) -> int | None:
    """An id or number from a query string or form: ASCII decimal digits only, within 1..2**31-1; else None.

    `str.isdigit()` also accepts "²" or "٣", on which `int()` fails or which no adviser typed; this never raises.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 10 or not value.isascii() or not value.isdecimal():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def clean_text(value: str | None) -> str:
    """Text as typed, without surrounding white space; None is empty."""
    return (value or "").strip()


def full_clean(instance, *, exclude=None, validate_constraints: bool = True) -> None:
    """The model's own validation; its messages become a 400 with field errors (never a 500, never half a save)."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    except ValidationError as exc:
        raise InvalidInput(MSG_CORRECT_FIELDS, code="invalid", fields=exc.message_dict) from exc
