"""Template filters of the reporting pages."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def urlencode_dict(params: dict) -> str:
    """A dict of query parameters as a query string (the scope of a figure, for its links)."""
    return urlencode(params or {})
