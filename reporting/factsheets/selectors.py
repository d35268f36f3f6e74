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


def factsheet_sections(factsheet: Factsheet) -> list[tuple[str, list[FactsheetFigure]]]:
    """The factsheet's figures per section in the order of `services.SECTIONS`; each figure with `share`, its value
    as a percentage of the largest in its section (the bars of the PDF)."""
    from .services import SECTIONS

    figures = list(factsheet.figures.all())
    sections = []
    for key, title, _keys in SECTIONS:
        rows = [f for f in figures if f.section == key]
        widest = max([float(f.value) for f in rows] + [1.0])
        for f in rows:
            f.share = f"{100 * float(f.value) / widest:.1f}"
        if rows:
            sections.append((title, rows))
    return sections


def factsheet_pdf(factsheet: Factsheet) -> bytes:
    """The factsheet as a PDF (WeasyPrint: blocks and tables, no script), from its stored figures only, so a
    published factsheet gives the same PDF every time (R-57)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "reporting/factsheets/pdf.html",
        {
            "factsheet": factsheet,
            "sections": factsheet_sections(factsheet),
        },
    )
    return HTML(string=html).write_pdf()
