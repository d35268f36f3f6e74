"""What a dashboard, a drill-down and an export are about: a period (a year or one of its quarters), optionally one
partner organisation and one sector (R-50, R-55). Parsed once from the query string, refused with field errors."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Sector
from wsp.errors import InvalidInput
from wsp.inputs import int_or_none

from .placements import _validate, period_days


@dataclass(frozen=True)
class Scope:
    year: int
    quarter: int | None
    organisation: Organisation | None = None
    sector: Sector | None = None
    # The year up to the end of the period (a factsheet's year to date, against a year's target: ).
    from_year_start: bool = False

    @property
    def first(self) -> date:
        return date(self.year, 1, 1) if self.from_year_start else period_days(self.year, self.quarter)[0]

    @property
    def last(self) -> date:
        """The last day of the period (included)."""
        return period_days(self.year, self.quarter)[1]

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        """The moment after the period (excluded)."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())

    @property
    def label(self) -> str:
        if self.quarter and self.from_year_start and self.quarter > 1:
            return f"{self.year}-Q1..Q{self.quarter}"
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    def to_date(self) -> "Scope":
        """The same scope from the first of January (the year to date)."""
        return replace(self, from_year_start=True)

    def narrow(self, qs: QuerySet, *, organisation: str, sector: str) -> QuerySet:
        """`qs` limited to the scope's organisation and sector, each through the path the records reach it by."""
        if self.organisation is not None:
            qs = qs.filter(**{organisation: self.organisation})
        if self.sector is not None:
            qs = qs.filter(**{sector: self.sector})
        return qs

    def query(self) -> dict[str, str]:
        """The scope as query parameters, for links to drill-downs and exports."""
        params = {"year": str(self.year)}
        if self.quarter:
            params["quarter"] = str(self.quarter)
        if self.organisation is not None:
            params["organisation"] = str(self.organisation.pk)
        if self.sector is not None:
            params["sector"] = str(self.sector.pk)
        return params


def _known(model, raw, field: str, message: str):
    if raw in (None, ""):
        return None
    found = model.objects.filter(pk=int_or_none(raw) or 0).first()
    if found is None:
        raise InvalidInput(message, code="invalid", fields={field: [message]})
    return found


def scope_from(params) -> Scope:
    """The scope of `?year=&quarter=&organisation=&sector=` (default: this year, the whole region)."""
    year, quarter = _validate("month", params.get("year"), params.get("quarter"))
    return Scope(
        year=year,
        quarter=quarter,
        organisation=_known(Organisation, params.get("organisation"), "organisation", _("Unknown organisation.")),
        sector=_known(Sector, params.get("sector"), "sector", _("Unknown sector.")),
    )
