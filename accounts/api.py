"""API for organisations, users and sectors (API.md). Read-only: these are managed in the admin."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from wsp.api.filters import SyncFilterSet

from .choices import OrganisationKind, Role
from .models import Organisation, Sector, User


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind", "updated_at"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "organisation", "role", "is_active", "updated_at"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "weight_category", "lead_organisation", "is_focus", "updated_at"]


class OrganisationFilter(SyncFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="Kind of partner organisation")

    class Meta:
        model = Organisation
        fields = ["kind", "code"]


class UserFilter(SyncFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Role")
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all(), label="Organisation")
    is_active = django_filters.BooleanFilter(label="Active staff only")

    class Meta:
        model = User
        fields = ["role", "organisation", "is_active", "username"]


class SectorFilter(SyncFilterSet):
    is_focus = django_filters.BooleanFilter(label="Focus sectors (R-51)")
    weight_category = django_filters.NumberFilter(label="Weight category 1-3 (R-51)")

    class Meta:
        model = Sector
        fields = ["is_focus", "weight_category", "lead_organisation"]


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "updated_at"]


class OrganisationViewSet(ReadOnlyViewSet):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter


class UserViewSet(ReadOnlyViewSet):
    # colleagues of every partner are known by name; no personal data beyond work contact.
    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserFilter

    @extend_schema(responses=UserSerializer)
    @action(detail=False, methods=["get"])
    def me(self, request):
        if not isinstance(request.user, User):
            raise NotFound(_("An organisation token has no user."))
        return Response(self.get_serializer(request.user).data)


class SectorViewSet(ReadOnlyViewSet):
    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    filterset_class = SectorFilter
