"""What a measure is (R-57): a figure defined by the queryset of the records it counts. Its number, its drill-down
list, its export and every factsheet cell built on it come from that one queryset (`Measure.records`), so they can
never disagree. Shared by the registry of the dashboard's figures and the factsheet's evaluation figures."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Aggregate, Count, QuerySet

from .scope import Scope


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # record -> a value for the table and the export
    link: Callable | None = None  # record -> the URL of the record's page


def count(filter=None) -> Aggregate:
    return Count("pk", filter=filter)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    rule: str
    records: Callable[[Scope], QuerySet]
    columns: tuple[Column, ...]
    related: tuple[str, ...] = ()
    # The figure from the records, as one SQL aggregate: their number (the default), a sum of job-agreement jobs
    # of reach or of spend, an average score; `filter` limits it to a cell of a factsheet figure.
    aggregate: Callable[[], Aggregate] = count
    # Whether the period applies (ownership health is about today, whatever the period).
    periodic: bool = True
    # the records are never listed (a manager sees the aggregate only, never one adviser's feedback).
    private: bool = False
    # How the value reads: a count, an amount in euros, a score out of 10.
    unit: str = "count"
    # The same value read from a summary the database keeps exact (`matching.summaries`), instead of aggregating
    # every record of the period; a test holds the two equal. `summary` gives a scope's figures (one query, shared by
    # the measures of the same summary: `values`), `summary_figure` names this measure's.
    summary: Callable[[Scope], dict] | None = None
    summary_figure: str = ""

    def value(self, scope: Scope):
        if self.summary is not None:
            return self.summary(scope)[self.summary_figure]
        return self.records(scope).aggregate(value=self.aggregate())["value"] or 0

    def rows(self, scope: Scope) -> QuerySet:
        """The records for a list or an export, newest id first (keyset pagination on the id)."""
        return self.records(scope).select_related(*self.related).order_by("-pk")


def values(measures, scope: Scope) -> list:
    """The values of `measures` for `scope`: those read from the same summary share its one query."""
    read: dict = {}
    found = []
    for measure in measures:
        if measure.summary is None:
            found.append(measure.value(scope))
            continue
        if measure.summary not in read:
            read[measure.summary] = measure.summary(scope)
        found.append(read[measure.summary][measure.summary_figure])
    return found
