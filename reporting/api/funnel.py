"""`referrals/funnel/` (API.md, R-43): the funnel from vacancy registration to durable placement.

Thin: the parameters are typed here, the figures come from `reporting.measures.funnel.referral_funnel`.

Response (one object):

    {"date_from": "2026-01-01", "date_to": "2026-06-30", "organisation": null, "sector": null,
     "registered": {"count": 120, "median_days": null},
     "proposed":   {"count": 410, "median_days": 3.5},   # days from the vacancy's registration
     "invited":    {"count": 160, "median_days": 6.0},   # days from the proposal
     "hired":      {"count": 98,  "median_days": 4.0},   # days from the invitation (0 when hired without one)
     "booked":     {"count": 91,  "median_days": 1.0},   # days from the hire
     "durable":    {"count": 40,  "median_days": 92.0},  # days from the booking to the day it counted as durable
     "stages": ["registered", "proposed", "invited", "hired", "booked", "durable"],
     "proposals_per_hire": "4.2"}

The cohort is the vacancies registered from `date_from` to `date_to` (both included; default 1 January of this year
to today); `organisation` is the vacancy's organisation, `sector` the employer's sector. Counts and days only: no
candidate data (R-40). Region-wide figures (R-02), for every member of staff and every organisation token.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from accounts.models import Organisation, Sector
from reporting.measures import funnel as measures
from wsp.api.schema import SingleObjectSchema
from wsp.errors import InvalidInput
from wsp.inputs import MAX_ID


class FunnelStageSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    median_days = serializers.FloatField(
        allow_null=True,
        help_text="median of the calendar days (local) from the previous stage, a half for an even number of "
        "records; null for registered or when nobody got here",
    )


class FunnelSerializer(serializers.Serializer):
    """R-43: per stage from vacancy registration, its count and the median days from the previous stage."""

    date_from = serializers.DateField()
    date_to = serializers.DateField()
    organisation = serializers.IntegerField(allow_null=True, help_text="the vacancies' organisation, if filtered")
    sector = serializers.IntegerField(allow_null=True, help_text="the employers' sector, if filtered")
    registered = FunnelStageSerializer(help_text="vacancies registered in the period (R-12)")
    proposed = FunnelStageSerializer(help_text="candidates proposed on them (R-21); days from registration")
    invited = FunnelStageSerializer(help_text="of those, invited (or hired straight away); days from the proposal")
    hired = FunnelStageSerializer(help_text="of those, hired; days from the invitation")
    booked = FunnelStageSerializer(help_text="placements booked from those hires (R-22, R-25); days from the hire")
    durable = FunnelStageSerializer(help_text="of those, durable (R-30); days from the booking")
    stages = serializers.ListField(child=serializers.CharField(), help_text="the stages in funnel order")
    proposals_per_hire = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="proposed / hired; the region's benchmark is 4"
    )


def _within_years(value: date) -> date:
    """R-43: a day of the funnel lies in the years FUNNEL_YEARS (a 400 with a field error otherwise, never a date the
    calendar cannot go past)."""
    first, last = measures.FUNNEL_YEARS
    if not first <= value.year <= last:
        raise serializers.ValidationError(
            _("Choose a day in the years %(first)d to %(last)d.") % {"first": first, "last": last}
        )
    return value


class FunnelParams(serializers.Serializer):
    date_from = serializers.DateField(
        required=False, validators=[_within_years], help_text="first day of registration (default: 1 January)"
    )
    date_to = serializers.DateField(
        required=False, validators=[_within_years], help_text="last day of registration (default: today)"
    )
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    sector = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            message = _("The first day lies after the last day.")
            raise serializers.ValidationError({"date_from": [message]})
        return data


FUNNEL_PARAMETERS = [
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="first day of registration (default: 1 January); years 2000-2100"
    ),
    OpenApiParameter(
        "date_to", OpenApiTypes.DATE, description="last day of registration (default: today); years 2000-2100"
    ),
    OpenApiParameter("organisation", int, description="the vacancies of one partner organisation"),
    OpenApiParameter("sector", int, description="the vacancies of employers in one sector"),
]


def _known(model, pk: int | None, field: str, code: str, message: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise InvalidInput(message, code=code, fields={field: [message]})
    return obj


def funnel_data(query_params) -> dict:
    """The funnel for the query parameters, as the response body (400 for bad parameters)."""
    params = FunnelParams(data=query_params)
    params.is_valid(raise_exception=True)
    data = params.validated_data
    today = timezone.localdate()
    organisation = _known(
        Organisation, data.get("organisation"), "organisation", "unknown_organisation", _("Unknown organisation.")
    )
    sector = _known(Sector, data.get("sector"), "sector", "unknown_sector", _("Unknown sector."))
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date(date_to.year, 1, 1)
    if date_from > date_to:
        message = _("The first day lies after the last day.")
        raise InvalidInput(message, code="invalid", fields={"date_from": [message]})
    funnel = measures.referral_funnel(date_from=date_from, date_to=date_to, organisation=organisation, sector=sector)
    body = {
        "date_from": funnel.date_from,
        "date_to": funnel.date_to,
        "organisation": funnel.organisation_id,
        "sector": funnel.sector_id,
        **{stage.stage: {"count": stage.count, "median_days": stage.median_days} for stage in funnel.stages},
        "stages": [stage.stage for stage in funnel.stages],
        "proposals_per_hire": funnel.proposals_per_hire,
    }
    return FunnelSerializer(body).data


class FunnelViewSet(viewsets.ViewSet):
    """R-43: the funnel from vacancy registration (registered, proposed, invited, hired, booked, durable), each stage
    with its count and the median days from the previous stage."""

    schema = SingleObjectSchema()  # one object: the stages

    @extend_schema(parameters=FUNNEL_PARAMETERS, responses=FunnelSerializer)
    def list(self, request):
        return Response(funnel_data(request.query_params))
