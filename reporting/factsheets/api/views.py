"""`factsheets/` (API.md; R-55, R-57): GET the versions, POST a request (answered at once, built by a worker);
`{id}/figures/` every figure {key, label, value, records_url}; `{id}/figures/{key}/records/` the records it counted
(at publication, for a published one); `{id}/publish/` freezes it."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from reporting.measures.registry import MEASURES
from wsp.errors import NotVisible

from .. import selectors, services
from ..choices import FactsheetStatus
from ..models import Factsheet


class FactsheetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Factsheet
        fields = ["id", "year", "quarter", "version", "is_draft", "status", "change_note", "created_at",
                  "built_at", "published_at"]  # fmt: skip
        read_only_fields = fields


class FactsheetRequest(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    draft = serializers.BooleanField(default=False, help_text="a quarter not yet ended may only be a draft (R-55)")
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField()
    label = serializers.CharField()
    rule = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=3)
    computed_as = serializers.CharField()
    count = serializers.IntegerField(help_text="how many records it counted")
    records_url = serializers.URLField()


class FactsheetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = FactsheetSerializer
    queryset = Factsheet.objects.all()
    filterset_fields = ["year", "quarter", "status"]

    @extend_schema(request=FactsheetRequest, responses={202: FactsheetSerializer})
    def create(self, request):
        data = FactsheetRequest(data=request.data)
        data.is_valid(raise_exception=True)
        factsheet = services.factsheet_request(by=request.user, **data.validated_data)
        return Response(FactsheetSerializer(factsheet).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=FactsheetSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        factsheet = services.factsheet_publish(by=request.user, factsheet=self.get_object())
        return Response(FactsheetSerializer(factsheet).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def pdf(self, request, pk=None):
        """The factsheet as a PDF, from its stored figures (a published one gives the same PDF every time, R-57)."""
        factsheet = self.get_object()
        if factsheet.status not in (FactsheetStatus.DONE, FactsheetStatus.PUBLISHED):
            raise NotVisible(_("This factsheet is not built yet."), code="not_ready")
        response = HttpResponse(selectors.factsheet_pdf(factsheet), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="factsheet-{factsheet.label}-v{factsheet.version}.pdf"'
        return response

    @extend_schema(responses=FigureSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request, pk=None):
        factsheet = self.get_object()
        rows = [
            {
                "key": f.key, "section": f.section, "label": f.label, "rule": f.rule, "value": f.value,
                "computed_as": f.computed_as, "count": len(f.record_ids),
                "records_url": reverse("api:factsheet-figure-records", args=[factsheet.pk, f.key], request=request),
            }
            for f in factsheet.figures.all()
        ]  # fmt: skip
        return Response(FigureSerializer(rows, many=True).data)

    @extend_schema(
        responses=inline_serializer(
            "FactsheetFigureRecords",
            {
                "key": serializers.CharField(),
                "value": serializers.DecimalField(max_digits=14, decimal_places=3),
                "value_now": serializers.DecimalField(max_digits=14, decimal_places=3),
                "record_ids": serializers.ListField(child=serializers.IntegerField()),
                "added_since": serializers.ListField(child=serializers.IntegerField()),
                "dropped_since": serializers.ListField(child=serializers.IntegerField()),
            },
        )
    )
    @action(
        detail=True, methods=["get"], url_path=r"figures/(?P<key>[a-z0-9-]+)/records", url_name="figure-records",
        pagination_class=None, filter_backends=[],
    )  # fmt: skip
    def figure_records(self, request, pk=None, key=None):
        """R-57: the ids of the records the figure counted, and how today's records differ (never recomputed into
        the published figure)."""
        figure = self.get_object().figures.filter(key=key).first()
        if figure is None or key not in MEASURES:
            raise NotVisible(_("This factsheet has no such figure."))
        now = selectors.figure_now(figure)
        return Response(
            {
                "key": figure.key,
                "value": figure.value,
                "value_now": now.value_now,
                "record_ids": figure.record_ids,
                "added_since": now.added_ids,
                "dropped_since": now.dropped_ids,
            }
        )
