"""R-40: the figures an organisation token reads show no group of fewer than 5 candidates."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from wsp.errors import RuleRefused

SMALLEST_CELL = 5  # no group of fewer candidates to an organisation token


def merge_small(rows: list, size: Callable, merged: Callable) -> tuple[list, bool]:
    """R-40: `rows` without those counting fewer than `SMALLEST_CELL` candidates (`size`), which go into one row
    (`merged` of them), itself left out when it is under the size too; and whether any was merged."""
    small = [row for row in rows if size(row) < SMALLEST_CELL]
    if not small:
        return rows, False
    kept = [row for row in rows if size(row) >= SMALLEST_CELL]
    together = merged(small)
    if size(together) >= SMALLEST_CELL:
        kept.append(together)
    return kept, True


def refuse_records_to_a_token() -> None:
    """R-40: an organisation token reads the figures, never the records of a figure about candidates: each record
    shows its employer, partner, sector, target group and date, from which the cells under 5 could be rebuilt."""
    raise RuleRefused(
        _("An organisation token reads the figures, not the records behind a figure about candidates."),
        code="aggregates_only",
        rule="R-40",
    )
