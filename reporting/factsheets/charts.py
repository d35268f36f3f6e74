"""SVG charts of a factsheet (R-55: figures where a manager would rather look than read), drawn from the stored
figures only. Plain SVG with presentation attributes: no script and no style attributes, so the same markup serves
the PDF (WeasyPrint) and the page (under the Content-Security-Policy)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BRAND = "#1f5f8b"
BRAND_LIGHT = "#9cc3dd"
TARGET = "#c2410c"
GRID = "#d7dee5"
TEXT = "#23313f"
MUTED = "#5b6b7b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: float | None = None
    note: str = ""


def _number(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{number_format(round(value, 1), 1)}%"
    if unit == "amount":
        return f"€ {number_format(round(value), 0, force_grouping=True)}"
    if unit == "score":
        return number_format(round(value, 1), 1)
    return number_format(round(value, 1), 0 if float(value).is_integer() else 1, force_grouping=True)


def bars(
    rows: list[Bar], *, unit: str = "count", width: int = 480, label_width: int = 150, row_height: int = 20
) -> SafeString:
    """Horizontal bars, one per row, with the value at the end and, where a row has one, its target as a mark."""
    if not rows:
        return mark_safe("")
    top = 4
    height = top + row_height * len(rows) + 4
    widest = max([abs(r.value) for r in rows] + [r.target or 0 for r in rows] + [1e-9])
    plot = width - label_width - 95
    bar = row_height - 7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="Helvetica, Arial, sans-serif" font-size="10">'
    ]
    for index, row in enumerate(rows):
        y = top + index * row_height
        length = plot * abs(row.value) / widest
        baseline = y + bar
        parts.append(
            f'<text x="{label_width - 6}" y="{baseline}" text-anchor="end" fill="{TEXT}">'
            f"{escape(row.label[:28])}</text>"
        )
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{plot}" height="{bar}" fill="#eef2f6"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{bar}" fill="{BRAND}"/>')
        if row.target:
            x = label_width + plot * row.target / widest
            parts.append(
                f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + row_height - 1}" '
                f'stroke="{TARGET}" stroke-width="2"/>'
            )
        value = _number(row.value, unit) + (f" / {_number(row.target, unit)}" if row.target else "")
        parts.append(f'<text x="{label_width + plot + 6}" y="{baseline}" fill="{TEXT}">{escape(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(rows: list[Bar], *, unit: str = "amount", width: int = 480, height: int = 140) -> SafeString:
    """Vertical columns (spend per month), the value above each."""
    if not rows:
        return mark_safe("")
    bottom, top = height - 18, 14
    widest = max([r.value for r in rows] + [1e-9])
    step = width / len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="Helvetica, Arial, sans-serif" font-size="9">',
        f'<line x1="0" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="{GRID}"/>',
    ]
    for index, row in enumerate(rows):
        x = index * step + step * 0.15
        h = (bottom - top) * row.value / widest
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="{BRAND}"/>'
        )
        centre = index * step + step / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{bottom + 12}" text-anchor="middle" fill="{MUTED}">{escape(row.label)}</text>'
        )
        if row.value:
            short = _number(row.value / 1000, "count") + "k" if unit == "amount" else _number(row.value, unit)
            y = bottom - h - 3
            anchor = f'x="{centre:.1f}" y="{y:.1f}" text-anchor="middle"'
            parts.append(f'<text {anchor} fill="{TEXT}">{escape(short)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def funnel(rows: list[Bar], *, width: int = 480) -> SafeString:
    """R-43: the steps from registration to durable placement as centred bars narrowing down, with each step's share
    of the one before."""
    if not rows:
        return mark_safe("")
    row_height = 24
    height = row_height * len(rows) + 4
    widest = max([r.value for r in rows] + [1e-9])
    plot = width - 260
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="Helvetica, Arial, sans-serif" font-size="10">'
    ]
    previous = None
    for index, row in enumerate(rows):
        y = index * row_height + 2
        length = max(plot * row.value / widest, 2)
        x = 150 + (plot - length) / 2
        shade = BRAND if index % 2 == 0 else BRAND_LIGHT
        parts.append(f'<text x="144" y="{y + 15}" text-anchor="end" fill="{TEXT}">{escape(row.label[:26])}</text>')
        parts.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{length:.1f}" height="18" fill="{shade}"/>')
        # The share of the step before, where the step narrows (several proposals per vacancy do not).
        share = f" ({_number(100 * row.value / previous, 'percent')})" if previous and row.value <= previous else ""
        value = escape(_number(row.value, "count") + share)
        parts.append(f'<text x="{150 + plot + 8}" y="{y + 15}" fill="{TEXT}">{value}</text>')
        previous = row.value or None
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _float(value) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else 0.0


def section_charts(sections, *, width: int = 480, row_height: int = 20) -> dict[str, list[SafeString]]:
    """Per section key, its charts: the funnel, coverage as shares against the ambition, spend per month, and a bar
    chart per grouping of a count (target groups against their targets)."""
    charts: dict[str, list[SafeString]] = {}
    for view in sections:
        found = []
        if view.section.chart == "funnel" and view.totals:
            found.append(funnel([Bar(str(f.label), _float(f.value)) for f in view.totals], width=width))
        for _title, _label, cells in view.groups:
            if view.section.chart == "coverage":
                found.append(
                    bars(
                        [
                            Bar(c.group_label, 100 * _float(c.share or 0), 100 * _float(c.target) if c.target else None)
                            for c in cells
                        ],
                        unit="percent",
                        width=width,
                        row_height=row_height,
                    )
                )
            elif cells[0].group_by == "month":
                found.append(columns([Bar(c.group_label[5:7], _float(c.value)) for c in cells], width=width))
            elif view.section.chart in ("bars", "target"):
                found.append(
                    bars(
                        [Bar(c.group_label, _float(c.value), _float(c.target) or None) for c in cells],
                        width=width,
                        row_height=row_height,
                    )
                )
        charts[view.key] = [chart for chart in found if chart]
    return charts
