"""The sections of the quarterly factsheet (R-55, R-56) and how each figure is computed (R-57).

A figure is a measure of `reporting.measures.registry` over the quarter (or the year up to its end, against a year's
target), either as one number or split into cells by a grouping: per sector, partner, target group, project, adviser,
instrument, channel or month. Each spec is one SQL query whatever the number of cells: a GROUP BY on a column, or one
row of filtered aggregates for a fixed list of cells. Per cell the query returns the value and the ids of the records
it counted (`array_agg`); nothing is counted in Python. The records of a cell are the measure's queryset filtered by
the grouping's condition (`Grouping.cell`), so the drill-down, the difference with today and the number agree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector, User
from employers.choices import EmployerType, Instrument
from employers.selectors import FEEDBACK_MIN_ADVISERS, FEEDBACK_MIN_GROUP
from matching.choices import TargetGroup
from reporting.measures.base import Measure
from reporting.measures.registry import MEASURES
from reporting.measures.scope import Scope
from reporting.projects.choices import Channel, EventKind
from reporting.projects.models import Project, ProjectPlacement
from reporting.targets.choices import Measure as TargetMeasure
from reporting.targets.models import SectorEmployerCount, Target


@dataclass(frozen=True)
class Grouping:
    """How a figure is split into cells: by a column (`column`, `label_column`: one GROUP BY), or into the fixed
    cells `choices(scope)` gives, each the records `condition(key)` selects (one row of filtered aggregates)."""

    name: str
    title: str
    column: str = ""
    label_column: str = ""
    choices: Callable[[Scope], list[tuple[object, str]]] | None = None
    condition: Callable[[object], Q] | None = None

    def cell(self, key) -> Q:
        """The records of the cell `key` (as stored: a string, "" for the records without a key)."""
        if self.condition is not None:
            return self.condition(key)
        if key in (None, ""):
            return Q(**{f"{self.column}__isnull": True})
        return Q(**{self.column: key})


@dataclass(frozen=True)
class FigureSpec:
    measure: str
    by: Grouping | None = None
    # Over the year up to the end of the quarter (against a year's target), instead of the quarter.
    year_to_date: bool = False
    # Key of a cell (None: the figure without grouping) -> the target it is held against, entered by managers.
    targets: Callable[[Scope], dict] | None = None
    # Key -> the number the value is a share of (coverage: the region's employers with 10+ staff, R-52).
    bases: Callable[[Scope], dict] | None = None
    # cells shown only when the group is large enough (extra aggregates and the condition on them).
    having: dict = field(default_factory=dict)
    having_condition: Q | None = None
    # only for an ended quarter (a running quarter's group grows answer by answer).
    only_when_ended: bool = False
    # A ratio of two figures of the same factsheet (keys): cost per placement.
    ratio_of: tuple[str, str] | None = None
    ratio_label: str = ""

    @property
    def base_measure(self) -> Measure | None:
        return MEASURES.get(self.measure)

    def key(self, cell=None) -> str:
        parts = [self.measure or "ratio"] + (["ytd"] if self.year_to_date else [])
        if self.by is not None:
            parts += [self.by.name, "none" if cell in (None, "") else str(cell)]
        return "__".join(parts)

    def scope(self, year: int, quarter: int) -> Scope:
        return Scope(year=year, quarter=quarter, from_year_start=self.year_to_date)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rule: str
    specs: tuple[FigureSpec, ...]
    chart: str = "bars"  # how the PDF draws it: bars, target (bars against a target), funnel, table


@dataclass
class Cell:
    """One computed figure: the value, the ids of the records it counted, and what it is held against."""

    spec: FigureSpec
    group_key: str
    group_label: str
    value: Decimal
    record_ids: list[int]
    target: Decimal | None = None
    base: Decimal | None = None

    @property
    def key(self) -> str:
        return self.spec.key(self.group_key if self.spec.by else None)


# --- Groupings -----------------------------------------------------------------------------------------------------


def _choices(choices) -> Callable[[Scope], list[tuple[object, str]]]:
    return lambda scope: [(value, str(label)) for value, label in choices]


def _focus_sectors(scope: Scope):
    return list(Sector.objects.filter(is_focus=True).order_by("name").values_list("pk", "name"))


def _projects_with_placements(scope: Scope):
    """The projects running in the period (R-54); their placements are those linked to them."""
    return list(
        Project.objects.filter(period_start__lte=scope.last, period_end__gte=scope.first)
        .order_by("period_start", "pk")
        .values_list("pk", "title")
    )


def _advisers_with_targets(scope: Scope):
    """ZKIJ plan 5.3: the account managers with result agreements (targets per adviser) for the year."""
    return [
        (pk, f"{first} {last}".strip() or username)
        for pk, first, last, username in User.objects.filter(
            pk__in=Target.objects.filter(year=scope.year, adviser__isnull=False).values("adviser_id")
        )
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name", "username")
    ]


def _contains(column: str) -> Callable[[object], Q]:
    return lambda key: Q(**{f"{column}__contains": [key]})


SECTOR = Grouping("sector", _("Sector"), column="sector_id", label_column="sector__name")
ORGANISATION = Grouping("organisation", _("Partner"), column="organisation_id", label_column="organisation__name")
TARGET_GROUP = Grouping("target_group", _("Target group"), column="target_group", choices=_choices(TargetGroup.choices))
EMPLOYER_TYPE = Grouping("employer_type", _("Employer"), column="employer_type", choices=_choices(EmployerType.choices))
PROJECT = Grouping(
    "project",
    _("Project"),
    choices=_projects_with_placements,
    condition=lambda key: Q(pk__in=ProjectPlacement.objects.filter(project_id=key).values("placement_id")),
)
FOCUS_SECTOR = Grouping("sector", _("Focus sector"), column="sector_id", choices=_focus_sectors)
REGISTERED_BY = Grouping(
    "organisation", _("Partner"), column="created_by__organisation_id", label_column="created_by__organisation__name"
)
EVENT_KIND = Grouping("kind", _("Kind"), column="kind", choices=_choices(EventKind.choices))
FEEDBACK_ORGANISATION = Grouping(
    "organisation", _("Partner"), column="adviser__organisation_id", label_column="adviser__organisation__name"
)
CHANNEL = Grouping("channel", _("Channel"), column="channel", choices=_choices(Channel.choices))
MONTH = Grouping("month", _("Month"), column="month")


def _instrument(column: str) -> Grouping:
    return Grouping("instrument", _("Instrument"), choices=_choices(Instrument.choices), condition=_contains(column))


def _adviser(column: str) -> Grouping:
    return Grouping("adviser", _("Account manager"), column=column, choices=_advisers_with_targets)


# --- Targets and bases ----------------------------------------------------------------------------------------------


def _targets(measure: str, column: str | None) -> Callable[[Scope], dict]:
    """R-50: the year's targets of `measure` summed per `column` (target_group, adviser_id; None: all targets of
    the measure per target group together, the region's total)."""

    def targets(scope: Scope) -> dict:
        qs = Target.objects.filter(year=scope.year, measure=measure)
        if column is None:
            total = qs.exclude(target_group="").aggregate(total=Sum("target"))["total"]
            return {None: total} if total is not None else {}
        qs = qs.exclude(target_group="") if column == "target_group" else qs.filter(**{f"{column}__isnull": False})
        return {str(row[column]): row["total"] for row in qs.values(column).annotate(total=Sum("target")).order_by()}

    return targets


def _coverage_bases(scope: Scope) -> dict:
    return {str(c.sector_id): c.employers_10_plus for c in SectorEmployerCount.objects.filter(year=scope.year)}


def _coverage_ambitions(scope: Scope) -> dict:
    return {
        str(c.sector_id): c.ambition
        for c in SectorEmployerCount.objects.filter(year=scope.year, ambition__isnull=False)
    }


# --- The sections ---------------------------------------------------------------------------------------------------

_funnel = tuple(
    FigureSpec(f"funnel-{stage}") for stage in ("registered", "proposed", "invited", "hired", "booked", "durable")
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "fulfilment",
        _("Vacancy fulfilment per target group against target"),
        "R-50",
        (
            FigureSpec("placements", year_to_date=True, targets=_targets(TargetMeasure.PLACEMENTS, None)),
            FigureSpec(
                "placements",
                TARGET_GROUP,
                year_to_date=True,
                targets=_targets(TargetMeasure.PLACEMENTS, "target_group"),
            ),
        ),
        chart="target",
    ),
    Section(
        "placements",
        _("Placements"),
        "R-55",
        (
            FigureSpec("placements"),
            FigureSpec("durable-placements"),
            FigureSpec("job-agreement-jobs"),
            FigureSpec("job-agreement-jobs", EMPLOYER_TYPE),
            FigureSpec("placements", SECTOR),
            FigureSpec("placements", ORGANISATION),
            FigureSpec("placements", TARGET_GROUP),
            FigureSpec("placements", PROJECT),
        ),
    ),
    Section("funnel", _("From vacancy to placement"), "R-43", _funnel, chart="funnel"),
    Section(
        "employers",
        _("Employer relations"),
        "R-55",
        (
            FigureSpec("employers-new"),
            FigureSpec("employers-new", REGISTERED_BY),
            FigureSpec("employers-total"),
            FigureSpec("visits"),
        ),
    ),
    Section(
        "coverage",
        _("Coverage of the focus sectors"),
        "R-52",
        (FigureSpec("coverage-in-contact", FOCUS_SECTOR, bases=_coverage_bases, targets=_coverage_ambitions),),
        chart="coverage",
    ),
    Section(
        "compliance",
        _("Within 24 hours"),
        "R-10",
        tuple(
            FigureSpec(key)
            for key in ("contact-requests", "contact-requests-late", "vacancies-received", "vacancies-late")
        ),
        chart="table",
    ),
    Section(
        "satisfaction",
        _("Employer satisfaction"),
        "R-11",
        (
            FigureSpec(
                "employer-satisfaction",
                FEEDBACK_ORGANISATION,
                having={"responses": Count("pk"), "advisers": Count("adviser", distinct=True)},
                having_condition=Q(responses__gte=FEEDBACK_MIN_GROUP, advisers__gte=FEEDBACK_MIN_ADVISERS),
                only_when_ended=True,
            ),
        ),
        chart="table",
    ),
    Section(
        "instruments",
        _("Instruments advised and applied"),
        "R-33",
        tuple(
            FigureSpec(f"instruments-{verb}-{kind}s", _instrument(f"instruments_{verb}"))
            for kind in ("contact", "placement")
            for verb in ("advised", "applied")
        ),
        chart="table",
    ),
    Section(
        "events",
        _("Events and activities"),
        "R-56",
        (
            FigureSpec("events"),
            FigureSpec("events", EVENT_KIND),
            FigureSpec("event-participants"),
            FigureSpec("event-employers"),
            FigureSpec("event-referrals"),
            FigureSpec("event-placements"),
            FigureSpec("activities"),
            FigureSpec("activities-realised"),
        ),
    ),
    Section(
        "results",
        _("Account managers' results"),
        "R-56",
        (
            FigureSpec(
                "placements",
                _adviser("booked_by_id"),
                year_to_date=True,
                targets=_targets(TargetMeasure.PLACEMENTS, "adviser_id"),
            ),
            FigureSpec(
                "employers-new",
                _adviser("created_by_id"),
                year_to_date=True,
                targets=_targets(TargetMeasure.NEW_EMPLOYERS, "adviser_id"),
            ),
            FigureSpec(
                "visits",
                _adviser("adviser_id"),
                year_to_date=True,
                targets=_targets(TargetMeasure.VISITS, "adviser_id"),
            ),
        ),
        chart="table",
    ),
    Section("reach", _("Reach through channels"), "R-56", (FigureSpec("reach"), FigureSpec("reach", CHANNEL))),
    Section(
        "budget",
        _("Budget and cost per placement"),
        "R-53",
        (
            FigureSpec("budget-cost"),
            FigureSpec("budget-spend", year_to_date=True),
            FigureSpec("budget-spend", MONTH, year_to_date=True),
            FigureSpec(
                "",
                ratio_of=("budget-spend__ytd", "placements__ytd"),
                ratio_label=_("Cost per placement (realised cost / placements, year to date)"),
            ),
        ),
        chart="table",
    ),
)

SECTION_KEYS = {section.key: section for section in SECTIONS}


def spec_of(*, measure: str, year_to_date: bool, group_by: str) -> FigureSpec | None:
    """The spec a stored figure was computed by (None for a figure of a spec no longer in the factsheet)."""
    for section in SECTIONS:
        for spec in section.specs:
            if (
                spec.measure == measure
                and spec.year_to_date == year_to_date
                and (spec.by.name if spec.by else "") == group_by
            ):
                return spec
    return None


# --- Computing ------------------------------------------------------------------------------------------------------


def _ids(records: list | None) -> list[int]:
    return list(records or [])


def _label(value) -> str:
    return "" if value is None else str(value)


def cell_records(spec: FigureSpec, scope: Scope, group_key: str | None) -> QuerySet:
    """The records of one figure as they are today (the measure's queryset, narrowed to the cell)."""
    records = spec.base_measure.records(scope)
    return records.filter(spec.by.cell(group_key)) if spec.by is not None else records


def compute(spec: FigureSpec, scope: Scope) -> list[Cell]:
    """The cells of one spec: one SQL query."""
    measure = spec.base_measure
    records = measure.records(scope)
    targets = spec.targets(scope) if spec.targets else {}
    bases = spec.bases(scope) if spec.bases else {}
    if spec.by is None:
        row = records.aggregate(value=measure.aggregate(), ids=ArrayAgg("pk", order_by="pk"))
        return [Cell(spec, "", "", row["value"] or 0, _ids(row["ids"]), targets.get(None), bases.get(None))]
    if spec.by.choices is not None:
        choices = spec.by.choices(scope)
        aggregates = {}
        for index, (key, _name) in enumerate(choices):
            condition = spec.by.cell(key)
            aggregates[f"v{index}"] = measure.aggregate(filter=condition)
            aggregates[f"i{index}"] = ArrayAgg("pk", filter=condition, order_by="pk")
        row = records.aggregate(**aggregates) if aggregates else {}
        return [
            Cell(
                spec,
                str(key),
                name,
                row[f"v{index}"] or 0,
                _ids(row[f"i{index}"]),
                targets.get(str(key)),
                bases.get(str(key)),
            )
            for index, (key, name) in enumerate(choices)
        ]
    columns = [spec.by.column] + ([spec.by.label_column] if spec.by.label_column else [])
    grouped = records.values(*columns).annotate(value=measure.aggregate(), ids=ArrayAgg("pk", order_by="pk"))
    if spec.having:
        grouped = grouped.annotate(**spec.having).filter(spec.having_condition)
    cells = []
    for row in grouped.order_by(spec.by.column):
        key = "" if row[spec.by.column] is None else str(row[spec.by.column])
        name = row.get(spec.by.label_column) if spec.by.label_column else row[spec.by.column]
        cells.append(
            Cell(spec, key, _label(name) or str(_("Not known")), row["value"] or 0, _ids(row["ids"]),
                 targets.get(key), bases.get(key))
        )  # fmt: skip
    return cells


def ratio(spec: FigureSpec, cells: dict[str, Cell]) -> Cell:
    """A figure computed from two others of the same factsheet (R-53: cost per placement = spend / placements)."""
    numerator, denominator = (cells[key].value if key in cells else None for key in spec.ratio_of)
    value = (
        (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if numerator is not None and denominator
        else Decimal(0)
    )
    return Cell(spec, "", "", value, [], base=Decimal(denominator) if denominator else None)
