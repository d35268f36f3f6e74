"""`factsheets/` (API.md; R-55, R-57): GET the versions, POST a request (answered at once, built by a worker);
`{id}/figures/` every figure {key, label, value, records_url}; `{id}/figures/{key}/records/` the records it counted
(at publication, for a published one); `{id}/publish/` freezes it."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from wsp.errors import NotVisible, RuleRefused

from .. import selectors, services
from ..choices import FactsheetStatus
from ..models import Factsheet
from ..sections import SECTION_KEYS, SECTIONS

MSG_PRIVATE = gettext_lazy("Employer feedback is never listed answer by answer (R-11); the figure is the aggregate.")
MSG_RATIO = gettext_lazy("This figure is a ratio of two other figures of the factsheet; their records are theirs.")


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
    measure = serializers.CharField(help_text="the measure of `stats/` and the dashboard it is a figure of")
    year_to_date = serializers.BooleanField(help_text="over the year up to the end of the quarter")
    group_by = serializers.CharField(help_text="the grouping it is a cell of, or empty")
    group_key = serializers.CharField()
    group_label = serializers.CharField()
    label = serializers.CharField()
    rule = serializers.CharField()
    unit = serializers.CharField(help_text="count, amount (EUR) or score (0-10)")
    value = serializers.DecimalField(max_digits=14, decimal_places=3)
    target = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    base = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    computed_as = serializers.CharField()
    count = serializers.IntegerField(help_text="how many records it counted")
    records_url = serializers.URLField(allow_null=True, help_text="null where the records are never listed (R-11)")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True)


class ExplanationInput(serializers.Serializer):
    explanation = serializers.CharField(allow_blank=True, max_length=4000)


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
                "key": f.key, "section": f.section, "measure": f.measure, "year_to_date": f.year_to_date,
                "group_by": f.group_by, "group_key": f.group_key, "group_label": f.group_label, "label": f.label,
                "rule": f.rule, "unit": f.unit, "value": f.value, "target": f.target, "base": f.base,
                "computed_as": f.computed_as, "count": len(f.record_ids),
                "records_url": reverse("api:factsheet-figure-records", args=[factsheet.pk, f.key], request=request)
                if f.listable else None,
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
        detail=True, methods=["get"], url_path=r"figures/(?P<key>[a-z0-9_-]+)/records", url_name="figure-records",
        pagination_class=None, filter_backends=[],
    )  # fmt: skip
    def figure_records(self, request, pk=None, key=None):
        """R-57: the ids of the records the figure counted, and how today's records differ (never recomputed into
        the published figure)."""
        figure = self.get_object().figures.filter(key=key).first()
        if figure is None:
            raise NotVisible(_("This factsheet has no such figure."))
        if figure.private:
            raise RuleRefused(MSG_PRIVATE, code="feedback_private", rule="R-11")
        if not figure.listable:
            raise RuleRefused(MSG_RATIO, code="no_records", rule="R-57")
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

    @extend_schema(request=None, responses={202: FactsheetSerializer})
    @action(detail=True, methods=["post"])
    def rebuild(self, request, pk=None):
        """A failed or stalled build sent to the worker again (409 `not_stalled` while a build is under way)."""
        factsheet = services.factsheet_rebuild(by=request.user, factsheet=self.get_object())
        return Response(FactsheetSerializer(factsheet).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=SectionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def sections(self, request, pk=None):
        """The sections in order, with the managers' explanation of each (R-55)."""
        factsheet = self.get_object()
        explanations = dict(factsheet.sections.values_list("key", "explanation"))
        rows = [{"key": s.key, "title": str(s.title), "explanation": explanations.get(s.key, "")} for s in SECTIONS]
        return Response(SectionSerializer(rows, many=True).data)

    @extend_schema(request=ExplanationInput, responses=SectionSerializer)
    @action(
        detail=True, methods=["patch"], url_path=r"sections/(?P<section>[a-z0-9_-]+)", url_name="section",
        pagination_class=None, filter_backends=[],
    )  # fmt: skip
    def section(self, request, pk=None, section=None):
        """A section's explanation, until the factsheet is published (409 `already_published`, R-57)."""
        data = ExplanationInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.factsheet_explain(
            by=request.user,
            factsheet=self.get_object(),
            section=section,
            explanation=data.validated_data["explanation"],
        )
        title = SECTION_KEYS[saved.key].title
        return Response(
            SectionSerializer({"key": saved.key, "title": str(title), "explanation": saved.explanation}).data
        )
