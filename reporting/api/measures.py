"""`stats/{measure}/` (API.md; R-55, R-57) for vacancies, employers, referrals and contact requests: rows of {key,
label, value, ...} that add up to the total, each with a `records_url` to the records it counted
(`stats/{measure}/records/?group_by=&key=`, by cursor). Placements have their own shape (`stats/placements/`)."""

from django.utils import translation
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.principals import OrganisationPrincipal
from reporting.measures.base import Measure
from reporting.measures.cells import refuse_records_to_a_token
from reporting.measures.grouped import STATS, stat_records, stat_table
from reporting.measures.scope import scope_from
from wsp.api.schema import SingleObjectSchema

SCOPE_PARAMETERS = [
    OpenApiParameter("year", int, description="default: this year"),
    OpenApiParameter("quarter", int, enum=[1, 2, 3, 4]),
    OpenApiParameter("organisation", int, description="only this partner organisation's records"),
    OpenApiParameter("sector", int, description="only this sector's records"),
]


def _column_name(column) -> str:
    with translation.override("en"):
        return slugify(str(column.header)).replace("-", "_")


def stats_viewset(name: str):
    """The viewset of one `stats/{name}/` figure."""
    stat = STATS[name]
    camel = slugify(name).title().replace("-", "")
    group_names = list(stat.groups)  # (not `list` inside the class body: there it is the action)
    extra = {key: serializers.IntegerField() for key in stat.extra}
    row_serializer = inline_serializer(
        f"Stat{camel}Row",
        {
            "key": serializers.JSONField(allow_null=True),
            "label": serializers.CharField(),
            "value": serializers.IntegerField(),
            **extra,
            "records_url": serializers.URLField(),
        },
        many=True,
    )
    table_serializer = inline_serializer(
        f"Stat{camel}",
        {
            "measure": serializers.CharField(),
            "group_by": serializers.CharField(),
            "year": serializers.IntegerField(),
            "quarter": serializers.IntegerField(allow_null=True),
            "total": inline_serializer(
                f"Stat{camel}Total",
                {"value": serializers.IntegerField(), **extra},
            ),
            "results": row_serializer,
            "suppressed": serializers.BooleanField(),
        },
    )

    class StatViewSet(viewsets.GenericViewSet):
        __doc__ = f"`stats/{name}/`: {stat.base.label} ({stat.base.rule}), per group, adding up to the total."
        schema = SingleObjectSchema()
        filter_backends = []

        def _params(self):
            params = self.request.query_params
            return params.get("group_by") or next(iter(stat.groups)), scope_from(params)

        @extend_schema(
            parameters=[OpenApiParameter("group_by", str, enum=group_names), *SCOPE_PARAMETERS],
            responses=table_serializer,
        )
        def list(self, request):
            group_by, scope = self._params()
            table = stat_table(
                name=name, group_by=group_by, scope=scope, for_token=isinstance(request.user, OrganisationPrincipal)
            )
            records = reverse(f"api:stats-{name}-records", request=request)
            query = scope.query() | {"group_by": group_by}

            def row(r):
                link = "&".join(f"{k}={v}" for k, v in (query | {"key": "" if r.key is None else r.key}).items())
                return {"key": r.key, "label": r.label, "value": r.value, **r.extra, "records_url": f"{records}?{link}"}

            return Response(
                {
                    "measure": name,
                    "group_by": group_by,
                    "year": scope.year,
                    "quarter": scope.quarter,
                    "total": {"value": table.total.value, **table.total.extra},
                    "results": [row(r) for r in table.rows],
                    "suppressed": table.suppressed,
                }
            )

        @extend_schema(
            parameters=[
                OpenApiParameter("group_by", str, enum=group_names),
                OpenApiParameter("key", OpenApiTypes.STR, description="the row's key; empty: the records without one"),
                *SCOPE_PARAMETERS,
            ],
            responses=inline_serializer(
                f"Stat{camel}RecordPage",
                {
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": inline_serializer(f"Stat{camel}Record", record_schema(stat.base), many=True),
                },
            ),
        )
        @action(detail=False, methods=["get"])
        def records(self, request):
            """The records one row counted (R-57), newest first, by cursor; no candidate names (R-40)."""
            group_by, scope = self._params()
            if stat.about_candidates and isinstance(request.user, OrganisationPrincipal):
                refuse_records_to_a_token()  # the figures, never the records that would rebuild small cells
            qs = stat_records(name=name, group_by=group_by, key=request.query_params.get("key"), scope=scope)
            return self.get_paginated_response(record_rows(stat.base, self.paginate_queryset(qs)))

    StatViewSet.__name__ = f"Stats{camel}ViewSet"
    return StatViewSet


def record_schema(measure: Measure) -> dict:
    """The fields of a records page's rows: the id and every column of the measure's drill-down."""
    return {"id": serializers.IntegerField(), **{_column_name(c): serializers.CharField() for c in measure.columns}}


def record_rows(measure: Measure, page) -> list[dict]:
    """The records of a page as the browser's drill-down lists them (R-57): the id and every column, as text."""
    columns = [(_column_name(c), c) for c in measure.columns]
    return [{"id": r.pk, **{key: _plain(c.value(r)) for key, c in columns}} for r in page]


def _plain(value) -> str:
    """A column as the records endpoint gives it: text, as the CSV export does ("" when there is nothing)."""
    return "" if value is None else str(value)


ROUTES = [(f"stats/{name}", stats_viewset(name), f"stats-{name}") for name in STATS]
