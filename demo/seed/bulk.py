"""Bulk-loading helpers of the demo seeder: PostgreSQL COPY, fast timestamps, weighted picks and index handling.

The demo is loaded with COPY inside one transaction with `session_replication_role = replica` (no triggers, no
foreign-key checks; check constraints stay on), so the rows are built consistent in Python and what the triggers
would have done is replayed once, in bulk (`insert_events`).
"""

import functools
import io
import math
import random
import re
from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta

from django.apps import apps
from django.db import connection

DAY = 86400.0
_EPOCH_DATE = date(1970, 1, 1)


_SPECIAL = re.compile(r"[\\\t\n\r]")


def copy_value(value) -> str:
    """A value in PostgreSQL COPY text format (called tens of millions of times: the common types first)."""
    kind = type(value)
    if kind is str:
        if _SPECIAL.search(value) is None:
            return value
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "{" + ",".join(str(v) for v in value) + "}"
    return copy_value(str(value))


@functools.lru_cache(maxsize=500_000)
def ts(epoch: float) -> str:
    """A timestamp for COPY; cached, because most moments fall on a quarter of an hour of a working day."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(sep=" ", timespec="seconds")


# "HH:MM:SS+00" for every second of a day, and "YYYY-MM-DD" per day as met: a timestamp is two lookups.
_CLOCK = [f"{h:02d}:{m:02d}:{s:02d}+00" for h in range(24) for m in range(60) for s in range(60)]
_DAYS: dict[int, str] = {}


def stamp(epoch: float) -> str:
    """A UTC timestamp for COPY from any epoch, without a datetime object (millions of referral steps)."""
    days, rest = divmod(int(epoch), 86400)
    day = _DAYS.get(days)
    if day is None:
        day = _DAYS[days] = (_EPOCH_DATE + timedelta(days=days)).isoformat()
    return f"{day} {_CLOCK[rest]}"


def cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def pick(rng: random.Random, cumulative_weights: list[float]) -> int:
    """Index of a weighted choice from cumulative weights (faster than rng.choices in a hot loop)."""
    return min(bisect_right(cumulative_weights, rng.random() * cumulative_weights[-1]), len(cumulative_weights) - 1)


class Weighted:
    """A weighted choice among values, drawn many times."""

    def __init__(self, pairs):
        pairs = list(pairs)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(cumulative(weight for _, weight in pairs))

    def __call__(self, rng: random.Random):
        return self.values[pick(rng, self.cumulative)]


def working_hours(epoch: float) -> float:
    """Move a moment to a weekday between 08:00 and 17:00 (UTC, close enough for demo data)."""
    days = math.floor(epoch / DAY)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    if weekday >= 5:
        days -= weekday - 4
    minutes = int((epoch % DAY) / 60) % (9 * 60)
    return days * DAY + 7 * 3600 + (minutes // 15) * 900


def max_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def reset_sequence(model) -> None:
    """After COPY with explicit ids: the next ORM insert gets the id after the highest one."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1,"
            " false)"
        )


def drop_secondary_indexes(tables: list[str]) -> list[str]:
    """Drop the indexes of these tables that no constraint owns; return the statements that recreate them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
              FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid = ANY(%s::regclass[])
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in indexes]


def insert_events(
    cursor,
    event_label: str,
    source_table: str,
    moment: str,
    label: str,
    *,
    where: str = "",
    overrides: dict | None = None,
) -> None:
    """The audit-trail rows (django-pghistory event table) that the insert/update triggers would have written.

    `moment` and the `overrides` are SQL expressions on the source row; generated columns are left to the database.
    """
    event_model = apps.get_model(event_label)
    columns = [
        f.column
        for f in event_model._meta.concrete_fields
        if not f.column.startswith("pgh_") and not getattr(f, "generated", False)
    ]
    overrides = overrides or {}
    select = ", ".join(overrides.get(column, column) for column in columns)
    cursor.execute(
        f"INSERT INTO {event_model._meta.db_table} (pgh_created_at, pgh_label, pgh_obj_id, {', '.join(columns)}) "
        f"SELECT {moment}, %s, id, {select} FROM {source_table}" + (f" WHERE {where}" if where else ""),
        [label],
    )


def copy_rows(table: str, columns: list[str], rows) -> int:
    """COPY an iterable of tuples; returns the number of rows."""
    stream = CopyStream(table, columns)
    for row in rows:
        stream.row(row)
    stream.close()
    return stream.count


class CopyStream:
    """Rows written into a COPY buffer that is sent every `chunk` rows, so millions of rows never sit in memory."""

    def __init__(self, table: str, columns: list[str], *, chunk: int = 200_000):
        self.table = table
        self.columns = columns
        self.chunk = chunk
        self.buffer = io.StringIO()
        self.pending = 0
        self.count = 0

    def line(self, text: str) -> None:
        """One row already in COPY text format, tab-separated, without the newline."""
        self.buffer.write(text)
        self.buffer.write("\n")
        self.pending += 1
        self.count += 1
        if self.pending >= self.chunk:
            self.flush()

    def row(self, values) -> None:
        self.line("\t".join(copy_value(v) for v in values))

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN", self.buffer)
        self.buffer = io.StringIO()
        self.pending = 0

    def close(self) -> None:
        self.flush()
