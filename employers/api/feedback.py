"""Employer feedback (R-11): each adviser's own, the survey tool's POST and the managers' aggregates."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from accounts.permissions import IsManager, IsStaffMemberOrReadOnlyToken
from employers import selectors, services
from employers.models import EmployerFeedback
from wsp.errors import InvalidInput
from wsp.inputs import int_or_none

from .filters import FeedbackFilter, Filtered
from .serializers import FeedbackAggregateSerializer, FeedbackInput, FeedbackSerializer, _valid

MSG_YEAR = _("Give a year such as 2026.")


class FeedbackViewSet(Filtered, mixins.ListModelMixin, viewsets.GenericViewSet):
    """R-11: GET lists the caller's own employer feedback, nobody else's. POST brings feedback in from the survey
    tool, for a manager or an administrator (its integration user): 201 when stored; with an `external_id` already
    stored for the same answer, 200 with that record and nothing stored again; under another answer, 409.

    Only what an administrator account (the survey tool's integration user) POSTs counts in the managers'
    `aggregates/`; answers a manager POSTs are stored and shown to the adviser they concern, but never counted
    there (a manager's own answers added to a hidden group would give its score away by difference)."""

    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter

    def get_queryset(self):
        if not isinstance(self.request.user, User):
            return EmployerFeedback.objects.none()
        return selectors.feedback_for(user=self.request.user)

    @extend_schema(request=FeedbackInput, responses={201: FeedbackSerializer, 200: FeedbackSerializer})
    def create(self, request):
        data = _valid(FeedbackInput, request.data)
        feedback, created = services.feedback_register(by=request.user, employer_id=data.pop("employer"), **data)
        return Response(
            FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="only feedback received in this year")],
        responses=FeedbackAggregateSerializer(many=True),
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        filterset_class=None,
        permission_classes=[IsStaffMemberOrReadOnlyToken, IsManager],
    )
    def aggregates(self, request):
        """R-11: for managers, per organisation and ended quarter, only groups of at least 5 responses about at least 3
        advisers, no totals, and none of the answers managers POSTed themselves. The running quarter is left out
        until it ends (its changes would give each new answer away)."""
        raw = request.query_params.get("year")
        year = int_or_none(raw) if raw is not None else None
        if raw is not None and not (year and 2000 <= year <= 2100):
            raise InvalidInput(MSG_YEAR, fields={"year": [MSG_YEAR]})
        rows = selectors.feedback_aggregates(year=year)
        return Response(FeedbackAggregateSerializer(rows, many=True).data)
