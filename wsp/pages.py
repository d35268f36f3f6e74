"""Pages of the browser's lists by keyset (issue "Speed at scale"): page 2,000 costs what page 1 costs.

Django's `Paginator` counts every matching row (`COUNT(*)` over 100,000 employers was 95% of the employer list's
SQL) and reaches page N by `OFFSET`, which reads and drops every row before it (page 3,879: 168 ms against page 1's
31 ms). Here a page starts after (or, going back, before) the ordering's values of the row it continues from,
which the list's index answers directly; the number of matches is counted up to `COUNT_LIMIT` only and shown as
"more than 10,000" beyond it.

The cursor travels in the page's links (`?cursor=`): the ordering's values of the boundary row, the direction and
the position of the page's first row (for "51-75 of 1,234"). A cursor that cannot be read starts at the first page.
Columns may be null: PostgreSQL orders nulls last going up and first going down, and the condition follows that.
"""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

COUNT_LIMIT = 10_000
PAGE_SIZE = 25


@dataclass
class Page:
    object_list: list
    count: int  # the matches, counted up to COUNT_LIMIT
    count_is_capped: bool  # more than COUNT_LIMIT
    start: int  # the position of the first row (1-based; 0 when the page is empty)
    next_cursor: str | None = None
    previous_cursor: str | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.object_list) - 1 if self.object_list else 0

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _plain(value):
    if isinstance(value, datetime | date):
        return {"t": type(value).__name__, "v": value.isoformat()}
    return value


def _typed(value):
    if isinstance(value, dict):
        kind = {"datetime": datetime, "date": date}[value["t"]]
        return kind.fromisoformat(value["v"])
    return value


def encode_cursor(values: list, *, back: bool, position: int) -> str:
    raw = json.dumps({"v": [_plain(v) for v in values], "b": back, "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, fields: int) -> tuple[list, bool, int] | None:
    """(values, back, position), or None for no cursor or one that cannot be read (a tampered link: first page)."""
    if not cursor:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values = [_typed(v) for v in raw["v"]]
        back, position = bool(raw["b"]), int(raw["p"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if len(values) != fields or position < 1:
        return None
    return values, back, position


@dataclass(frozen=True)
class Key:
    """One column of a list's ordering: its name, its direction and where its nulls go."""

    name: str
    descending: bool
    nulls_first: bool

    @classmethod
    def of(cls, item) -> "Key":
        """From an item of `QuerySet.order_by`: "name", "-name" or `F("name").asc(nulls_first=True)`."""
        if isinstance(item, str) and item.lstrip("-") not in ("", "?"):
            descending = item.startswith("-")
            return cls(item.lstrip("-"), descending, descending)  # PostgreSQL's nulls: last up, first down
        if isinstance(item, OrderBy) and isinstance(item.expression, F):
            nulls_first = (
                item.descending if item.nulls_first is None and not item.nulls_last else bool(item.nulls_first)
            )
            return cls(item.expression.name, item.descending, nulls_first)
        raise ValueError(f"a keyset page orders by columns, not by {item!r}")

    def reversed(self) -> "Key":
        return Key(self.name, not self.descending, not self.nulls_first)

    def order(self) -> OrderBy:
        nulls = {"nulls_first": True} if self.nulls_first else {"nulls_last": True}
        return F(self.name).desc(**nulls) if self.descending else F(self.name).asc(**nulls)


def after(model, keys: list[Key], values: list):
    """The rows that come after the row with `values` in the ordering `keys`. When every column goes the same way
    and none can be null, as one row comparison, `(name, id) > ('Bakkerij', 812)`, which PostgreSQL answers from
    the (name, id) index as a range; otherwise spelled out column by column."""
    directions = {key.descending for key in keys}
    nullable = any(_may_be_null(model, key.name) for key in keys)
    if len(directions) == 1 and not nullable and None not in values:
        lookup = TupleLessThan if directions == {True} else TupleGreaterThan
        return lookup(Tuple(*(F(key.name) for key in keys)), list(values))
    return _after(keys, values)


def _may_be_null(model, name: str) -> bool:
    if name == "pk":
        return False
    try:
        return model._meta.get_field(name).null
    except FieldDoesNotExist:
        return True  # an annotation: it may be


def _after(keys: list[Key], values: list) -> Q:
    key, *rest = keys
    value, *rest_values = values
    tie = _after(rest, rest_values) if rest else None
    if value is None:
        same = Q(**{f"{key.name}__isnull": True})
        # Nulls first: every other row comes after them; nulls last: only their ties.
        later = Q(**{f"{key.name}__isnull": False}) if key.nulls_first else None
    else:
        same = Q(**{key.name: value})
        later = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
        if not key.nulls_first:
            later |= Q(**{f"{key.name}__isnull": True})
    condition = later if later is not None else Q(pk__in=[])
    if tie is not None:
        condition |= same & tie
    return condition


def _fits(model, keys: list[Key], values: list) -> bool:
    """Whether every value is one its column can hold (so the query never fails on it)."""
    for key, value in zip(keys, values, strict=True):
        if value is None:
            continue
        if isinstance(value, str) and "\x00" in value:
            return False
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) < value < 2**63:
            return False
        try:
            field = model._meta.pk if key.name == "pk" else model._meta.get_field(key.name)
        except FieldDoesNotExist:
            continue
        try:
            if field.to_python(value) != value:
                return False
        except (ValidationError, TypeError, ValueError):
            return False
    return True


def _values(row, keys: list[Key]) -> list:
    return [getattr(row, key.name) for key in keys]


def keyset_page(qs: QuerySet, *, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One page of `qs` in its ordering (column names, the last one unique, e.g. the id), from the `cursor` of a
    page's link: at most `size + 1` rows read and one count of at most COUNT_LIMIT + 1 rows, whatever the page."""
    if not qs.query.order_by:
        raise ValueError("a keyset page needs a list ordered by columns, ending in a unique one")
    keys = [Key.of(item) for item in qs.query.order_by]
    found = qs.values("pk").order_by()[: COUNT_LIMIT + 1].count()
    start = decode_cursor(cursor, len(keys))
    if start is not None and not _fits(qs.model, keys, start[0]):
        start = None  # values no row can have (a tampered link): the first page
    if start is None:
        rows = list(qs[: size + 1])
        more, rows, position, back = len(rows) > size, rows[:size], 1, False
    else:
        values, back, position = start
        if back:
            backwards = [key.reversed() for key in keys]
            rows = list(
                qs.filter(after(qs.model, backwards, values)).order_by(*(k.order() for k in backwards))[: size + 1]
            )
            more, rows = len(rows) > size, rows[:size][::-1]
            # Back at the start, the first row is the first (whatever was added or removed in between).
            position = max(1, position - len(rows)) if more else 1
        else:
            rows = list(qs.filter(after(qs.model, keys, values))[: size + 1])
            more, rows = len(rows) > size, rows[:size]
    page = Page(object_list=rows, count=min(found, COUNT_LIMIT), count_is_capped=found > COUNT_LIMIT, start=0)
    if not rows:
        return page
    page.start = position
    if start is None:  # the first page
        has_next, has_previous = more, False
    elif back:  # a page before the one the cursor came from
        has_next, has_previous = True, more
    else:  # a page after it
        has_next, has_previous = more, True
    if has_next:
        page.next_cursor = encode_cursor(_values(rows[-1], keys), back=False, position=position + len(rows))
    if has_previous:
        page.previous_cursor = encode_cursor(_values(rows[0], keys), back=True, position=position)
    return page
