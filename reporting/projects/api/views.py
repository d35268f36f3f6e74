"""Viewsets of the projects API: GET for every caller (organisation tokens too), writes by managers via services."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reporting.projects import selectors, services
from reporting.projects.choices import EventKind
from reporting.projects.models import Event, Project
from wsp.api.filters import SyncFilterSet

from .serializers import EventInput, EventSerializer, ProjectInput, ProjectSerializer, ReachInput, ReachSerializer


def _valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


class ProjectFilter(SyncFilterSet):
    number = django_filters.CharFilter(field_name="numbers__number", label="Project number, as 2016DW2012")

    class Meta:
        model = Project
        fields = []


class EventFilter(SyncFilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label="Kind of event")
    project = django_filters.NumberFilter(label="Project id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="On or after")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="On or before")

    class Meta:
        model = Event
        fields = []


class _Writable(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]


class ProjectViewSet(_Writable):
    """R-54: projects with numbers, subsidy figures (the maximum with its changes; the requested share), activities
    with target changes and realisation, and placements by type. POST and PATCH by managers (R-01)."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.projects_list().distinct()

    @extend_schema(request=ProjectInput, responses={201: ProjectSerializer})
    def create(self, request):
        data = _valid(ProjectInput, request.data).to_service()
        data.pop("max_subsidy_reason", None)
        data.pop("max_subsidy_date", None)
        for item in data.get("activities", []):
            item.pop("target_change_reason", None)
        project = services.project_create(by=request.user, **data)
        return Response(self._row(project), status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectInput, responses={200: ProjectSerializer})
    def partial_update(self, request, pk=None):
        project = self.get_object()
        data = _valid(ProjectInput, request.data, partial=True).to_service()
        services.project_update(by=request.user, project=project, **data)
        return Response(self._row(project))

    def _row(self, project):
        return ProjectSerializer(selectors.projects_list().get(pk=project.pk)).data


class EventViewSet(_Writable):
    """R-19: job fairs, speed meets, meet & match and information sessions; POST and PATCH by managers (R-01).
    Candidates taking part are a count only (R-40). `events/reach/` lists and records reach per quarter."""

    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return selectors.events_list()

    @extend_schema(request=EventInput, responses={201: EventSerializer})
    def create(self, request):
        data = dict(_valid(EventInput, request.data).validated_data)
        event = services.event_create(by=request.user, **data)
        return Response(self._row(event), status=status.HTTP_201_CREATED)

    @extend_schema(request=EventInput, responses={200: EventSerializer})
    def partial_update(self, request, pk=None):
        event = self.get_object()
        data = dict(_valid(EventInput, request.data, partial=True).validated_data)
        services.event_update(by=request.user, event=event, **data)
        return Response(self._row(event))

    def _row(self, event):
        return EventSerializer(selectors.events_list().get(pk=event.pk)).data

    @extend_schema(methods=["GET"], responses=ReachSerializer(many=True))
    @extend_schema(methods=["POST"], request=ReachInput, responses={201: ReachSerializer})
    @action(detail=False, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def reach(self, request):
        """ZKIJ plan 3.4 and 5.3: reach per channel and quarter (`?year=`); POST enters or corrects one (managers)."""
        if request.method == "POST":
            data = dict(_valid(ReachInput, request.data).validated_data)
            row = services.reach_record(by=request.user, **data)
            return Response(ReachSerializer(row).data, status=status.HTTP_201_CREATED)
        raw = request.query_params.get("year")
        year = int(raw) if raw and raw.isascii() and raw.isdecimal() and len(raw) == 4 else None
        return Response(ReachSerializer(selectors.reach_list(year=year), many=True).data)
