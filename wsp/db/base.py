"""Django's PostgreSQL backend with one change: every aware date-time goes to the database in UTC.

Python accepts UTC offsets up to 23:59, PostgreSQL only up to 15:59, so a date-time such as
2026-01-01T00:00:00+16:00 that a form, a filter or an import let through would fail in the database (a 500).
Converted to UTC first it is the same moment and always fits. The API refuses such offsets before this point with a
400 naming the field (wsp.api.filters); this is the floor under every other path: browser forms, the admin, services
and Celery tasks.
"""

from contextlib import suppress
from datetime import UTC

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def adapt_datetimefield_value(self, value):
        if getattr(value, "tzinfo", None) is not None and not hasattr(value, "resolve_expression"):
            # Before the year 1 or after 9999 in UTC it stays as it is: PostgreSQL's range is wider.
            with suppress(OverflowError):
                value = value.astimezone(UTC)
        return super().adapt_datetimefield_value(value)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
