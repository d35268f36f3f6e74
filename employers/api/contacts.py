"""Contact moments (R-08, R-33) and employers' requests for contact with their 24-hour response (R-10)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from employers import selectors, services
from employers.models import ContactMoment, ContactRequest

from .filters import ContactMomentFilter, ContactRequestFilter, Filtered
from .serializers import (
    ContactMomentInput,
    ContactMomentSerializer,
    ContactRequestInput,
    ContactRequestSerializer,
    ContactResponseInput,
    _valid,
)


class ContactMomentViewSet(
    Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ContactMomentSerializer
    filterset_class = ContactMomentFilter
    ordering_fields = ["id", "updated_at", "occurred_at"]

    def get_queryset(self):
        return ContactMoment.objects.filter(employer__merged_into__isnull=True)

    @extend_schema(request=ContactMomentInput, responses={201: ContactMomentSerializer})
    def create(self, request):
        data = _valid(ContactMomentInput, request.data)
        moment = services.contact_moment_register(employer_id=data.pop("employer"), by=request.user, **data)
        body = self.get_serializer(moment).data
        # Warn when an adviser of another organisation was in touch recently: one employer, one approach.
        body["collisions"] = [
            {"id": m.pk, "adviser": m.adviser_id, "organisation": m.organisation_id, "occurred_at": m.occurred_at}
            for m in selectors.collisions(employer=moment.employer, user=request.user)
        ]
        return Response(body, status=status.HTTP_201_CREATED)


class ContactRequestViewSet(
    Filtered, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """R-10: employers' requests for contact and the 24-hour response clock. PATCH records the response."""

    serializer_class = ContactRequestSerializer
    filterset_class = ContactRequestFilter
    ordering_fields = ["id", "updated_at", "received_at"]

    def get_queryset(self):
        return ContactRequest.objects.filter(employer__merged_into__isnull=True)

    @extend_schema(request=ContactRequestInput, responses={201: ContactRequestSerializer})
    def create(self, request):
        data = _valid(ContactRequestInput, request.data)
        contact = services.contact_request_register(employer_id=data.pop("employer"), by=request.user, **data)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactResponseInput, responses=ContactRequestSerializer)
    def partial_update(self, request, pk=None):
        data = _valid(ContactResponseInput, request.data)
        contact = services.contact_request_respond(request_id=self.get_object().pk, by=request.user, **data)
        return Response(self.get_serializer(contact).data)
