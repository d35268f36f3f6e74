"""The filters every API list shares.

Every FilterSet of the API derives from `FilterSet` here (usually through `SyncFilterSet`), which gives each of its
date-time filters, declared or generated, the one date-time field `IsoDateTimeField`: an ISO 8601 timestamp whose
offset lies within the offsets the world uses (−14:00 to +14:00), taken as UTC before it reaches the database.
An offset such as +16:00 (PostgreSQL accepts up to 15:59) or a moment outside the years 1–9999 in UTC is a 400 in the
error format naming the parameter, never a database error. Date-times in request bodies pass DRF's DateTimeField,
which converts them to the current time zone the same way and refuses a moment out of range (tests/api).
"""

from datetime import UTC, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import FilterSet as RestFrameworkFilterSet

MAX_UTC_OFFSET = timedelta(hours=14)


class IsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time with a real-world UTC offset, returned in UTC."""

    default_error_messages = {
        "offset": _("Use a time zone offset between -14:00 and +14:00."),
        "out_of_range": _("This moment lies outside the supported range."),
    }

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        offset = result.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise ValidationError(self.error_messages["offset"], code="offset")
        try:
            return result.astimezone(UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range") from None


class FilterSet(RestFrameworkFilterSet):
    """The base of every API FilterSet: each date-time filter parses with `IsoDateTimeField`."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            field_class = getattr(filter_, "field_class", None)
            if isinstance(field_class, type) and issubclass(field_class, forms.DateTimeField):
                filter_.field_class = IsoDateTimeField
        return filters


class SyncFilterSet(FilterSet):
    """Every list accepts `?updated_since=<timestamp>` for incremental sync (API.md)."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed at or after this ISO 8601 timestamp"
    )
