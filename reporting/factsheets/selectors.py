"""Reads of factsheets (R-57): a published figure's records as they were counted, and how they differ today."""

from dataclasses import dataclass

from reporting.measures.registry import MEASURES
from reporting.measures.scope import Scope

from .models import Factsheet, FactsheetFigure


@dataclass
class FigureNow:
    """A frozen figure next to what it would be today: the records counted then, the ones that would be counted now
    and are not in it (a late booking), and the ones it counted that would not be counted now (a cancellation or a
    correction)."""

    figure: FactsheetFigure
    value_now: object
    added_ids: list[int]
    dropped_ids: list[int]

    @property
    def changed(self) -> bool:
        return bool(self.added_ids or self.dropped_ids) or self.value_now != self.figure.value


def figure_now(figure: FactsheetFigure) -> FigureNow:
    measure = MEASURES[figure.key]
    scope = Scope(year=figure.factsheet.year, quarter=figure.factsheet.quarter)
    now_ids = set(measure.records(scope).values_list("pk", flat=True))
    then_ids = set(figure.record_ids)
    return FigureNow(
        figure=figure,
        value_now=measure.value(scope),
        added_ids=sorted(now_ids - then_ids),
        dropped_ids=sorted(then_ids - now_ids),
    )


def figure_records(figure: FactsheetFigure, ids=None):
    """The records the figure counted at publication (or `ids` of them), with the joins its columns need. A record
    deleted since (a purge, R-09) is simply no longer there; its id stays in the figure."""
    measure = MEASURES[figure.key]
    model = measure.records(Scope(year=figure.factsheet.year, quarter=figure.factsheet.quarter)).model
    return model.objects.filter(pk__in=figure.record_ids if ids is None else ids).select_related(*measure.related)


def factsheets_list():
    return Factsheet.objects.select_related("created_by", "published_by")
