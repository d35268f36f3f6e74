"""`stats/placements/` (API.md; R-50, R-55, R-57): placement figures whose rows add up exactly to the total, each
row with a `records_url` to the placements it counted (`stats/placements/records/?group_by=&key=`, by cursor).
Organisation tokens see no cell of fewer than 5 placements (R-40): those are merged into one row, as in the other
`stats/` figures."""

import contextlib
import hashlib
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import Organisation
from accounts.principals import OrganisationPrincipal
from matching import generation as figures_generation
from reporting.api.measures import record_rows, record_schema
from reporting.measures import placements as measures
from reporting.measures.cells import refuse_records_to_a_token
from reporting.measures.registry import MEASURES
from wsp.api.renderers import FastJSONRenderer
from wsp.api.schema import SingleObjectSchema
from wsp.errors import InvalidInput
from wsp.inputs import int_or_none


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "nullable": True,
        "description": "target group code, sector/organisation/employer id (null: not known), or YYYY-MM",
    }
)
class StatsKeyField(serializers.Field):
    """A row's key as the group has it: a code or month as text, an id as a number."""

    def to_representation(self, value):
        return value


JOBS_FIELDS = ("job_agreement_jobs", "job_agreement_jobs_market", "job_agreement_jobs_government")


def written_rows(rows, records: str) -> list[dict]:
    """The rows as `StatsRowSerializer`'s fields write them, in one pass: per employer a year has some 35,000 rows,
    and field by field they took 0.6 s. Job-agreement jobs as DRF writes a decimal: a string with three decimals;
    `records_url` is `records` (the records endpoint with the query of the figures, ending in `key=`) and the key."""
    if isinstance(rows, measures.EmployerRows):
        return [
            {
                "key": key,
                "label": label,
                "placements": placements,
                "durable": durable,
                "job_agreement_jobs": jobs,
                "job_agreement_jobs_market": market,
                "job_agreement_jobs_government": government,
                "records_url": f"{records}{key}",
            }
            for key, label, placements, durable, jobs, market, government, _sort_name in rows.rows
        ]
    return [
        {
            "key": row.key,
            "label": str(row.label),
            "placements": row.placements,
            "durable": row.durable,
            "job_agreement_jobs": f"{row.job_agreement_jobs:.3f}",
            "job_agreement_jobs_market": f"{row.job_agreement_jobs_market:.3f}",
            "job_agreement_jobs_government": f"{row.job_agreement_jobs_government:.3f}",
            "records_url": f"{records}{'' if row.key is None else row.key}",
        }
        for row in rows
    ]


class StatsRowListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return written_rows(data, self.context["records"])


class StatsRowSerializer(serializers.Serializer):
    key = StatsKeyField(read_only=True)
    label = serializers.CharField()
    placements = serializers.IntegerField()
    durable = serializers.IntegerField()
    job_agreement_jobs = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_market = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_government = serializers.DecimalField(max_digits=12, decimal_places=3)

    records_url = serializers.SerializerMethodField(help_text="the placements the row counted (R-57)")

    class Meta:
        list_serializer_class = StatsRowListSerializer

    def to_representation(self, row):
        return written_rows([row], self.context["records"])[0]

    def get_records_url(self, row) -> str:
        return self.to_representation(row)["records_url"]


class StatsTotalSerializer(serializers.Serializer):
    placements = serializers.IntegerField()
    durable = serializers.IntegerField()
    job_agreement_jobs = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_market = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_government = serializers.DecimalField(max_digits=12, decimal_places=3)


STATS_FIELDS = ("group_by", "year", "quarter", "total", "results", "suppressed")


class PlacementStatsSerializer(serializers.Serializer):
    group_by = serializers.CharField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    total = StatsTotalSerializer()
    results = StatsRowSerializer(many=True)
    suppressed = serializers.BooleanField(help_text="R-40: rows under 5 placements merged (organisation tokens)")


def _organisation(raw) -> Organisation | None:
    """The `organisation` parameter: an existing organisation, or a 400 with a field error."""
    if not raw:
        return None
    organisation = Organisation.objects.filter(pk=int_or_none(raw) or 0).first()
    if organisation is None:
        message = _("Unknown organisation.")
        raise InvalidInput(message, code="unknown_organisation", fields={"organisation": [message]})
    return organisation


PERIOD_PARAMETERS = [
    OpenApiParameter("year", int, description="default: this year"),
    OpenApiParameter("quarter", int, enum=[1, 2, 3, 4]),
    OpenApiParameter("organisation", int, description="only the placements booked by this partner"),
]
GROUP_PARAMETER = OpenApiParameter(
    "group_by", str, enum=list(measures.STATS_GROUPS), description="default target_group"
)


class PlacementStatsViewSet(viewsets.GenericViewSet):
    """Placement figures (R-50, R-55): rows that add up exactly to the total, from booked placements by start date."""

    schema = SingleObjectSchema()  # one object: the rows and their total
    filter_backends = []
    renderer_classes = [FastJSONRenderer]  # per employer: 35,000 rows in a year

    def _query(self) -> dict:
        params = self.request.query_params
        return {
            "group_by": params.get("group_by") or "target_group",
            "year": params.get("year"),
            "quarter": params.get("quarter"),
            "organisation": _organisation(params.get("organisation")),
        }

    def _stats(self, query: dict) -> measures.PlacementStats:
        for_token = isinstance(self.request.user, OrganisationPrincipal)
        return measures.placement_stats(**query, user=self.request.user, for_token=for_token)

    @extend_schema(parameters=[GROUP_PARAMETER, *PERIOD_PARAMETERS], responses=PlacementStatsSerializer)
    def list(self, request):
        query = self._query()
        year, quarter = measures.period_of(query["group_by"], query["year"], query["quarter"])  # or a 400
        link = {"group_by": query["group_by"], "year": year}
        link |= {"quarter": quarter} if quarter else {}
        link |= {"organisation": query["organisation"].pk} if query["organisation"] else {}
        records = f"{reverse('api:placement-stats-records', request=request)}?{urlencode(link)}&key="
        if query["group_by"] == "employer":
            return Response(self._kept(query, records))
        return Response(self._answer(query, records))

    def _answer(self, query: dict, records: str) -> dict:
        return PlacementStatsSerializer(self._stats(query), context={"records": records}).data

    def _kept(self, query: dict, records: str) -> dict:
        """Per employer (some 35,000 rows a year, 10 MB) the written answer is kept in the cache under the figures'
        generation (`matching.generation`), read before the rows are counted and raised by the database in the commit
        of every change that could alter them: exact, and counted again by the first request after a change. Without
        the cache (or with STATS_CACHE_SECONDS 0) every request counts."""
        seconds = settings.WSP["STATS_CACHE_SECONDS"]
        generation = figures_generation.current() if seconds > 0 else None
        if generation is None:
            return self._answer(query, records)
        for_token = isinstance(self.request.user, OrganisationPrincipal)
        key = "stats-placements:" + hashlib.sha256(repr((generation, records, for_token)).encode()).hexdigest()
        try:
            kept = cache.get(key)
        except Exception:  # noqa: BLE001 - the cache unreachable: count
            kept = None
        if kept is None:
            answer = self._answer(query, records)
            kept = (
                {name: value for name, value in answer.items() if name != "results"},
                orjson.dumps(answer["results"]),
            )
            with contextlib.suppress(Exception):  # unreachable: the next request counts again
                cache.set(key, kept, seconds)
        head, rows = kept
        # In the serializer's order, the rows as the JSON they were written to.
        return {name: orjson.Fragment(rows) if name == "results" else head[name] for name in STATS_FIELDS}

    @extend_schema(
        parameters=[
            GROUP_PARAMETER,
            OpenApiParameter("key", OpenApiTypes.STR, description="the row's key; empty: the placements without one"),
            *PERIOD_PARAMETERS,
        ],
        responses=inline_serializer(
            "PlacementStatsRecordPage",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": inline_serializer("PlacementStatsRecord", record_schema(MEASURES["placements"]), many=True),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def records(self, request):
        """The placements one row counted (R-57), newest first, by cursor; the candidate by number only (R-40). Not
        to an organisation token (403, R-40): it reads the figures."""
        query = self._query()
        key = request.query_params.get("key")
        if isinstance(request.user, OrganisationPrincipal):
            refuse_records_to_a_token()
        measure = MEASURES["placements"]
        qs = measures.placement_records(**query, key=key).select_related(*measure.related)
        return self.get_paginated_response(record_rows(measure, self.paginate_queryset(qs)))
