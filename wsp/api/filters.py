import django_filters


class SyncFilterSet(django_filters.FilterSet):
    """Every list accepts `?updated_since=<timestamp>` for incremental sync (API.md)."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed at or after this ISO 8601 timestamp"
    )
