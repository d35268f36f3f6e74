"""Published vacancies, without authentication (R-16, API.md `public/vacancies/`)."""

import django_filters
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from wsp.api.pagination import CursorPagination

from .. import public, selectors
from ..choices import Visibility
from ..filters import PublicVacancyFilter


class PublicErrorSerializer(serializers.Serializer):
    """The error format of API.md (400 for a wrong filter, 429 when throttled)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    rule = serializers.CharField(required=False)
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class PublicContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField(help_text="an e-mail address, or empty when none is known")
    phone = serializers.CharField()


class PublicVacancySerializer(serializers.Serializer):
    """R-16: what is published of a vacancy. `employer_name` only for `open` vacancies (null for anonymous ones);
    `contact` is the employer's contact person for open vacancies and the vacancy owner for anonymous ones."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    hours_per_week = serializers.IntegerField()
    municipality = serializers.CharField()
    visibility = serializers.ChoiceField(choices=[Visibility.OPEN, Visibility.ANONYMOUS])
    employer_name = serializers.CharField(allow_null=True, help_text="open vacancies only (R-16)")
    contact = PublicContactSerializer()
    registered_at = serializers.DateTimeField()
    expires_on = serializers.DateField()
    updated_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="the vacancy's public page, with its schema.org JobPosting data")

    def to_representation(self, vacancy):
        # By hand, like VacancySerializer: one dict per row, no field machinery.
        request = self.context["request"]
        return {
            "id": vacancy.pk,
            "title": vacancy.title,
            "description": vacancy.description,
            "hours_per_week": vacancy.hours_per_week,
            "municipality": vacancy.municipality,
            "visibility": vacancy.visibility,
            "employer_name": public.employer_name(vacancy),
            "contact": public.contact(vacancy),
            "registered_at": timezone.localtime(vacancy.registered_at).isoformat(),
            "expires_on": vacancy.expires_on.isoformat(),
            "updated_at": timezone.localtime(vacancy.updated_at).isoformat(),
            "url": request.build_absolute_uri(reverse("public-vacancy-detail", args=[vacancy.pk])),
        }


class PublicRateThrottle(AnonRateThrottle):
    """Callers of the public list are anonymous: throttled per address (429 `throttled`). The rate is
    `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"]` when set, else PUBLIC_RATE."""

    scope = "public"
    PUBLIC_RATE = "600/hour"

    def get_rate(self):
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope) or self.PUBLIC_RATE


class PublicPagination(CursorPagination):
    ordering = ("-registered_at", "-id")


@extend_schema(auth=[])
class PublicVacancyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """R-16: the region's published vacancies (visibility `open` or `anonymous`, open, not expired), without
    authentication, newest first, cursor-paginated, throttled per address. Internal and blocked vacancies and
    anything about candidates are never here. `?q=` searches the job title, `?municipality=` the place."""

    serializer_class = PublicVacancySerializer
    filterset_class = PublicVacancyFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    pagination_class = PublicPagination
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    def get_queryset(self):
        # One query per page: employer and owner (with organisation) joined for the contact of R-16.
        return selectors.public_vacancies()

    @extend_schema(
        responses={200: PublicVacancySerializer(many=True), 400: PublicErrorSerializer, 429: PublicErrorSerializer}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
