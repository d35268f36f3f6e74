"""Reads of factsheets (R-57): a published figure's records as they were counted, and how they differ today."""

from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg

from reporting.measures.registry import MEASURES
from reporting.measures.scope import Scope

from .models import Factsheet, FactsheetFigure
from .sections import SECTIONS, FigureSpec, Section, cell_records, spec_of


@dataclass
class FigureNow:
    """A frozen figure next to what it would be today: the records counted then, the ones that would be counted now
    and are not in it (a late booking), and the ones it counted that would not be counted now (a cancellation or a
    correction). `known` is False where today's figure is not given: a private figure (R-11: a difference would
    give one answer's score away), a ratio (its parts have their own), or a spec no longer in the factsheet."""

    figure: FactsheetFigure
    value_now: object
    added_ids: list[int]
    dropped_ids: list[int]
    known: bool = True

    @property
    def changed(self) -> bool:
        return self.known and (bool(self.added_ids or self.dropped_ids) or self.value_now != self.figure.value)


def _spec(figure: FactsheetFigure) -> FigureSpec | None:
    return spec_of(measure=figure.measure, year_to_date=figure.year_to_date, group_by=figure.group_by)


def figure_now(figure: FactsheetFigure) -> FigureNow:
    spec = _spec(figure)
    if spec is None or not figure.listable or spec.base_measure is None:
        return FigureNow(figure=figure, value_now=None, added_ids=[], dropped_ids=[], known=False)
    scope = spec.scope(figure.factsheet.year, figure.factsheet.quarter)
    records = cell_records(spec, scope, figure.group_key if spec.by else None)
    now = records.aggregate(value=spec.base_measure.aggregate(), ids=ArrayAgg("pk"))
    now_ids, then_ids = set(now["ids"] or []), set(figure.record_ids)
    return FigureNow(
        figure=figure,
        value_now=now["value"] or 0,
        added_ids=sorted(now_ids - then_ids),
        dropped_ids=sorted(then_ids - now_ids),
    )


def figure_records(figure: FactsheetFigure, ids=None):
    """The records the figure counted at publication (or `ids` of them), with the joins its columns need. A record
    deleted since (a purge, R-09) is simply no longer there; its id stays in the figure. None for a figure whose
    records are never listed (R-11) or that has none of its own (a ratio)."""
    measure = MEASURES.get(figure.measure)
    if measure is None or not figure.listable:
        return None
    model = measure.records(Scope(year=figure.factsheet.year, quarter=figure.factsheet.quarter)).model
    return model.objects.filter(pk__in=figure.record_ids if ids is None else ids).select_related(*measure.related)


def factsheets_list():
    return Factsheet.objects.select_related("created_by", "published_by")


@dataclass
class SectionView:
    """A section as the page and the PDF show it: its figures (whole ones and cells per grouping), explanation."""

    section: Section
    explanation: str
    figures: list[FactsheetFigure]

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return str(self.section.title)

    @property
    def totals(self) -> list[FactsheetFigure]:
        return [f for f in self.figures if not f.group_by]

    @property
    def groups(self) -> list[tuple[str, str, list[FactsheetFigure]]]:
        """(grouping title, measure label, cells) per grouped spec, in the order of the section."""
        found: dict[tuple, list] = {}
        for f in self.figures:
            if f.group_by:
                found.setdefault((f.measure, f.year_to_date, f.group_by), []).append(f)
        result = []
        for (measure, ytd, group_by), cells in found.items():
            spec = spec_of(measure=measure, year_to_date=ytd, group_by=group_by)
            widest = max([abs(float(c.value)) for c in cells] + [float(c.target or 0) for c in cells] + [1.0])
            for c in cells:
                c.bar = f"{100 * float(c.value) / widest:.1f}"
                c.target_bar = f"{100 * float(c.target) / widest:.1f}" if c.target else None
            title = str(spec.by.title) if spec and spec.by else group_by
            result.append((title, cells[0].label, cells))
        return result

    @property
    def matrix(self) -> dict | None:
        """Where every grouping of the section splits by the same thing (instruments per kind, account managers per
        measure): one table, a row per group and a column per measure, instead of a table per grouping."""
        groups = self.groups
        if len(groups) < 2 or len({cells[0].group_by for _t, _l, cells in groups}) != 1:
            return None
        rows: dict[str, dict] = {}
        for index, (_title, _label, cells) in enumerate(groups):
            for cell in cells:
                row = rows.setdefault(cell.group_key, {"label": cell.group_label, "cells": [None] * len(groups)})
                row["cells"][index] = cell
        for row in rows.values():
            row["any"] = any(cell is not None and (cell.value or cell.target) for cell in row["cells"])
        return {"title": groups[0][0], "columns": [label for _t, label, _c in groups], "rows": list(rows.values())}


def factsheet_sections(factsheet: Factsheet) -> list[SectionView]:
    """The factsheet's sections in the order of `sections.SECTIONS` with their figures and explanation (two
    queries); a section without figures (satisfaction of a running quarter's draft) is left out."""
    figures = list(factsheet.figures.all())
    explanations = dict(factsheet.sections.values_list("key", "explanation"))
    views = []
    for section in SECTIONS:
        rows = [f for f in figures if f.section == section.key]
        if rows or section.key in explanations:
            views.append(SectionView(section=section, explanation=explanations.get(section.key, ""), figures=rows))
    return views


# The four pages of the PDF: placements; the way there, the employers and compliance; satisfaction, instruments and
# events; the account managers, reach and budget.
PDF_PAGE_STARTS = ("funnel", "satisfaction", "results")
KEY_FIGURES = ("placements", "durable-placements", "job-agreement-jobs", "employers-new", "visits")


def factsheet_pdf(factsheet: Factsheet) -> bytes:
    """The factsheet as a PDF (WeasyPrint: blocks and tables, SVG charts, no script), from its stored figures and
    texts only, so a published factsheet gives the same PDF every time (R-57)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from .charts import section_charts

    sections = factsheet_sections(factsheet)
    html = render_to_string(
        "reporting/factsheets/pdf.html",
        {
            "factsheet": factsheet,
            "sections": sections,
            "charts": section_charts(sections, width=340, row_height=15),
            "new_page": PDF_PAGE_STARTS,
            "key_figures": [f for s in sections for f in s.totals if f.key in KEY_FIGURES],
        },
    )
    return HTML(string=html).write_pdf()
