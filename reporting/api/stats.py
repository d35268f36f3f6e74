"""`stats/placements/` (API.md; R-50, R-55, R-57): placement figures whose rows add up exactly to the total."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from accounts.models import Organisation
from reporting.measures import placements as measures
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


class StatsRowSerializer(serializers.Serializer):
    key = StatsKeyField(read_only=True)
    label = serializers.CharField()
    placements = serializers.IntegerField()
    durable = serializers.IntegerField()
    job_agreement_jobs = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_market = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_government = serializers.DecimalField(max_digits=12, decimal_places=3)

    def to_representation(self, row):
        """The fields above, written directly: per employer a year has some 35,000 rows, and field by field they
        took 0.6 s. Job-agreement jobs as DRF writes a decimal: a string with three decimals."""
        return {
            "key": row.key,
            "label": str(row.label),
            "placements": row.placements,
            "durable": row.durable,
            **{name: f"{getattr(row, name):.3f}" for name in JOBS_FIELDS},
        }


class StatsTotalSerializer(serializers.Serializer):
    placements = serializers.IntegerField()
    durable = serializers.IntegerField()
    job_agreement_jobs = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_market = serializers.DecimalField(max_digits=12, decimal_places=3)
    job_agreement_jobs_government = serializers.DecimalField(max_digits=12, decimal_places=3)


class PlacementStatsSerializer(serializers.Serializer):
    group_by = serializers.CharField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    total = StatsTotalSerializer()
    results = StatsRowSerializer(many=True)


def _organisation(raw) -> Organisation | None:
    """The `organisation` parameter: an existing organisation, or a 400 with a field error."""
    if not raw:
        return None
    organisation = Organisation.objects.filter(pk=int_or_none(raw) or 0).first()
    if organisation is None:
        message = _("Unknown organisation.")
        raise InvalidInput(message, code="unknown_organisation", fields={"organisation": [message]})
    return organisation


class PlacementStatsViewSet(viewsets.ViewSet):
    """Placement figures (R-50, R-55): rows that add up exactly to the total, from booked placements by start date."""

    schema = SingleObjectSchema()  # one object: the rows and their total

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, enum=list(measures.STATS_GROUPS), description="default target_group"),
            OpenApiParameter("year", int, description="default: this year"),
            OpenApiParameter("quarter", int, enum=[1, 2, 3, 4]),
            OpenApiParameter("organisation", int, description="only the placements booked by this partner"),
        ],
        responses=PlacementStatsSerializer,
    )
    def list(self, request):
        params = request.query_params
        organisation = _organisation(params.get("organisation"))
        stats = measures.placement_stats(
            group_by=params.get("group_by") or "target_group",
            year=params.get("year"),
            quarter=params.get("quarter"),
            user=request.user,
            organisation=organisation,
        )
        return Response(PlacementStatsSerializer(stats).data)
