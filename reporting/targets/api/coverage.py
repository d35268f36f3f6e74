"""`coverage/?year=` (API.md; R-52): the coverage ratio per sector; POST (an extension) lets managers enter the
number of employers with 10 or more staff in the region for a sector and year."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from reporting.targets import selectors, services
from wsp.errors import InvalidInput
from wsp.inputs import int_or_none

from .serializers import CoverageInput, CoverageRowSerializer
from .targets import _valid

MSG_YEAR = _("Enter a year, such as 2025.")


def coverage_year(raw) -> int:
    if raw in (None, ""):
        return timezone.localdate().year
    year = int_or_none(raw)
    if year is None or not 2000 <= year <= 2100:
        raise InvalidInput(MSG_YEAR, fields={"year": [MSG_YEAR]})
    return year


class CoverageViewSet(viewsets.ViewSet):
    """R-52: per sector, focus sectors first: employers with 10 or more staff in the region (entered), those in
    contact in the last 12 months (counted), their ratio, the focus flag and the ambition."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="default: this year")],
        responses=CoverageRowSerializer(many=True),
    )
    def list(self, request):
        rows = selectors.coverage(year=coverage_year(request.query_params.get("year")))
        return Response(CoverageRowSerializer(rows, many=True).data)

    @extend_schema(request=CoverageInput, responses={201: CoverageRowSerializer, 200: CoverageRowSerializer})
    def create(self, request):
        data = _valid(CoverageInput, request.data)
        item, created = services.sector_employer_count_set(by=request.user, **data)
        row = next(r for r in selectors.coverage(year=item.year) if r.sector.pk == item.sector_id)
        return Response(
            CoverageRowSerializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
