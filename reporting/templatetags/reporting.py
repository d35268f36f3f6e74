"""Template filters of the reporting pages."""

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django import template
from django.utils.formats import number_format

from reporting.targets.measures import status_label

register = template.Library()


@register.filter
def urlencode_dict(params: dict) -> str:
    """A dict of query parameters as a query string (the scope of a figure, for its links)."""
    return urlencode(params or {})


@register.filter
def figure_value(value, unit: str = "count") -> str:
    """A factsheet figure as it reads (R-55): an amount in whole euros, a score with one decimal, a share as a
    percentage, a count (job-agreement jobs may have decimals) with thousands grouped."""
    if value is None or value == "":
        return "–"
    number = Decimal(value)
    if unit == "amount":
        return "€ " + number_format(number.quantize(Decimal("1"), rounding=ROUND_HALF_UP), 0, force_grouping=True)
    if unit == "score":
        return number_format(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1)
    if unit == "percent":
        return number_format((100 * number).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1) + "%"
    places = 0 if number == number.to_integral_value() else 1
    return number_format(
        number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), places, force_grouping=True
    )


@register.filter
def percent_of(value, total) -> str:
    """`value` as a percentage of `total` with one decimal, rounded half up once (38.52% reads 38,5%, never a share
    rounded first and the percentage after); "–" without a total."""
    if value in (None, "") or not total:
        return "–"
    return figure_value(Decimal(value) / Decimal(total), "percent")


@register.filter
def target_status(target) -> str:
    """A target's status in words (R-50): on track, at risk, behind; achieved or not once its year ended."""
    return status_label(target.status, year=target.year)


@register.filter
def get_item(mapping: dict, key):
    """`mapping[key]` in a template (a section's charts by its key); None when absent."""
    return (mapping or {}).get(key)
