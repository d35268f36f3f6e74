"""The figures of the quarterly evaluation (R-55, R-56) besides placements, the funnel and compliance: employer
relations and visits, coverage (R-52), events and project activities (R-19, R-54), employer satisfaction (R-11),
instruments (R-33), reach through channels, and the budget (R-53). Each is a measure: the queryset of the records
it counts and one SQL aggregate over them, so its number, drill-down and export agree (R-57).

Registered in `reporting.measures.registry.MEASURES` with the dashboard's figures.
"""

from django.db.models import Avg, DecimalField, Exists, IntegerField, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from employers.choices import EmployerStatus
from employers.models import ContactMoment, Employer, EmployerFeedback
from employers.models.contacts import instrument_labels
from matching.models import Placement, Referral
from reporting.budgets.choices import COST_KINDS
from reporting.budgets.models import BudgetLine, BudgetSpend
from reporting.projects.models import Activity, ChannelReach, Event, EventPlacement, EventReferral
from reporting.targets import measures as target_measures
from reporting.targets.selectors import employers_in_contact

from .base import Column, Measure
from .placements import booked_placements
from .scope import Scope


def _day(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _moment(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _amount():
    return DecimalField(max_digits=14, decimal_places=2)


# --- Employer relations and visits (R-50, ZKIJ plan 5.3) ---


def employers_total(scope: Scope) -> QuerySet[Employer]:
    """R-55 (total employer relations): the current employers registered before the end of the period and still
    active (merged duplicates left out), by the organisation of the adviser who registered them."""
    qs = Employer.objects.current().filter(status=EmployerStatus.ACTIVE, created_at__lt=scope.end)
    return scope.narrow(qs, organisation="created_by__organisation", sector="sector")


def visits(scope: Scope) -> QuerySet[ContactMoment]:
    """R-08, R-50: company visits in the period, as a visits target counts them."""
    return target_measures.visits(
        first=scope.first, last=scope.last, organisation=scope.organisation, sector=scope.sector
    )


def coverage_in_contact(scope: Scope) -> QuerySet[Employer]:
    """R-52: the employers with 10 or more staff in contact during the 12 months up to the end of the period (or up
    to now, while it runs)."""
    qs = employers_in_contact(end=min(scope.end, timezone.now()))
    return scope.narrow(qs, organisation="main_account_holder__organisation", sector="sector")


_EMPLOYER_COLUMNS = (
    Column(_("Employer"), lambda e: e.name, lambda e: reverse("employer-detail", args=[e.pk])),
    Column(_("Sector"), lambda e: e.sector.name if e.sector else ""),
    Column(_("Staff"), lambda e: e.staff_count if e.staff_count is not None else ""),
    Column(_("Last contact"), lambda e: _moment(e.last_contact_at)),
)

# --- Events and project activities (R-19, R-54, R-56) ---


def events(scope: Scope) -> QuerySet[Event]:
    """R-19, R-56: the events held in the period; of an organisation: those it organised; of a sector: those an
    employer of the sector took part in."""
    qs = Event.objects.filter(date__gte=scope.first, date__lte=scope.last)
    if scope.organisation is not None:
        qs = qs.filter(
            Exists(Event.organisers.through.objects.filter(event=OuterRef("pk"), organisation=scope.organisation))
        )
    if scope.sector is not None:
        qs = qs.filter(
            Exists(Event.employers.through.objects.filter(event=OuterRef("pk"), employer__sector=scope.sector))
        )
    return qs


def event_employers(scope: Scope) -> QuerySet[Employer]:
    """The employers that took part in an event of the period (each once)."""
    taking_part = Event.employers.through.objects.filter(employer=OuterRef("pk"), event__in=events(scope))
    return Employer.objects.filter(Exists(taking_part))


def event_referrals(scope: Scope) -> QuerySet[Referral]:
    """The referrals that came from an event of the period (each once)."""
    return Referral.objects.filter(
        Exists(EventReferral.objects.filter(referral=OuterRef("pk"), event__in=events(scope)))
    )


def event_placements(scope: Scope) -> QuerySet[Placement]:
    """The booked placements that came from an event of the period (each once; a cancelled one is left out)."""
    return Placement.objects.booked().filter(
        Exists(EventPlacement.objects.filter(placement=OuterRef("pk"), event__in=events(scope)))
    )


def activities(scope: Scope) -> QuerySet[Activity]:
    """R-54: the activities of the projects whose subsidy period overlaps the period."""
    return Activity.objects.filter(project__period_start__lte=scope.last, project__period_end__gte=scope.first)


def activities_realised(scope: Scope) -> QuerySet[Activity]:
    """R-54: of those, the ones with a realisation recorded (a number or a range)."""
    return activities(scope).filter(realised_low__isnull=False)


_EVENT_COLUMNS = (
    Column(_("Event"), lambda e: e.title, lambda e: reverse("events") + f"?year={e.date.year}"),
    Column(_("Date"), lambda e: _day(e.date)),
    Column(_("Kind"), lambda e: e.get_kind_display()),
    Column(_("Participants"), lambda e: e.participants),
)
_ACTIVITY_COLUMNS = (
    Column(_("Project"), lambda a: a.project.title, lambda a: reverse("project-detail", args=[a.project_id])),
    Column(_("Code"), lambda a: a.code),
    Column(_("Activity"), lambda a: a.description),
    Column(_("Target"), lambda a: "" if a.target is None else a.target),
    Column(_("Realised"), lambda a: a.realised or (_("not realised") if a.is_not_realised else "")),
)
_PLACEMENT_COLUMNS = (
    Column(_("Placement"), lambda p: p.pk, lambda p: reverse("placement-detail", args=[p.pk])),
    Column(_("Start"), lambda p: _day(p.start_date)),
    Column(_("Employer"), lambda p: p.employer.name, lambda p: reverse("employer-detail", args=[p.employer_id])),
    Column(_("Candidate"), lambda p: f"#{p.candidate_id}"),  # the number, never the name
    Column(_("Booked by"), lambda p: p.organisation.name),
)
_REFERRAL_COLUMNS = (
    Column(_("Referral"), lambda r: r.pk),
    Column(_("Vacancy"), lambda r: r.vacancy.title, lambda r: reverse("vacancy-detail", args=[r.vacancy_id])),
    Column(_("Candidate"), lambda r: f"#{r.candidate_id}"),
    Column(_("Status"), lambda r: r.get_status_display()),
)

# --- Employer satisfaction (R-11) ---


def feedback(scope: Scope) -> QuerySet[EmployerFeedback]:
    """R-11: the employers' feedback received in the period that did not come from a manager's own hand (as
    `employers.selectors.feedback_aggregates` counts it). Private: its records are never listed, and the factsheet
    shows only groups of 5 or more answers about 3 or more advisers."""
    qs = EmployerFeedback.objects.filter(
        registered_by_manager=False, received_at__gte=scope.start, received_at__lt=scope.end
    )
    return scope.narrow(qs, organisation="adviser__organisation", sector="employer__sector")


def average_score(filter=None):
    return Avg("score", filter=filter, output_field=DecimalField(max_digits=5, decimal_places=2))


# --- Instruments (R-33) ---


def _instruments(model_records: QuerySet, field: str) -> QuerySet:
    return model_records.exclude(**{field: []})


def instruments_placements(field: str):
    def records(scope: Scope) -> QuerySet[Placement]:
        """R-33: the booked placements starting in the period with an instrument advised (or applied)."""
        return _instruments(
            booked_placements(first=scope.first, last=scope.last, organisation=scope.organisation, sector=scope.sector),
            field,
        )

    return records


def instruments_contacts(field: str):
    def records(scope: Scope) -> QuerySet[ContactMoment]:
        """R-33: the contacts of the period in which an instrument was advised (or applied)."""
        qs = ContactMoment.objects.filter(occurred_at__gte=scope.start, occurred_at__lt=scope.end)
        return _instruments(scope.narrow(qs, organisation="organisation", sector="employer__sector"), field)

    return records


def _instrument_columns(field: str, kind: str):
    if kind == "placement":
        first = (
            Column(_("Placement"), lambda p: p.pk, lambda p: reverse("placement-detail", args=[p.pk])),
            Column(_("Start"), lambda p: _day(p.start_date)),
        )
    else:
        first = (
            Column(_("Contact"), lambda c: _moment(c.occurred_at)),
            Column(_("Adviser"), lambda c: _name(c.adviser)),
        )
    return (
        *first,
        Column(_("Employer"), lambda r: r.employer.name, lambda r: reverse("employer-detail", args=[r.employer_id])),
        Column(_("Instruments"), lambda r: ", ".join(instrument_labels(getattr(r, field)))),
    )


# --- Reach (ZKIJ plan 3.4, 5.3) and budget (R-53) ---


def reach(scope: Scope) -> QuerySet[ChannelReach]:
    """The reach through the communication channels entered for the quarters of the period."""
    first_quarter = (scope.first.month - 1) // 3 + 1
    last_quarter = (scope.last.month - 1) // 3 + 1
    return ChannelReach.objects.filter(year=scope.year, quarter__gte=first_quarter, quarter__lte=last_quarter)


def participants_sum(filter=None):
    return Coalesce(Sum("participants", filter=filter), 0, output_field=IntegerField())


def reach_sum(filter=None):
    return Coalesce(Sum("reach", filter=filter), 0, output_field=IntegerField())


def budget_cost(scope: Scope) -> QuerySet[BudgetLine]:
    """R-53: the planned cost lines (personnel and other costs) of the year's budget."""
    return BudgetLine.objects.filter(budget__year=scope.year, kind__in=COST_KINDS)


def planned_sum(filter=None):
    return Coalesce(Sum("planned", filter=filter), 0, output_field=_amount())


def budget_spend(scope: Scope) -> QuerySet[BudgetSpend]:
    """R-53: the realised spend on the cost lines of the year's budget in the months of the period."""
    return BudgetSpend.objects.filter(
        line__budget__year=scope.year, line__kind__in=COST_KINDS, month__gte=scope.first, month__lte=scope.last
    )


def spend_sum(filter=None):
    return Coalesce(Sum("amount", filter=filter), 0, output_field=_amount())


EVALUATION_MEASURES = (
    Measure(
        "employers-total",
        _("Employer relations"),
        "R-55",
        employers_total,
        _EMPLOYER_COLUMNS,
        ("sector",),
    ),
    Measure(
        "visits",
        _("Company visits"),
        "R-08",
        visits,
        (
            Column(_("Visit"), lambda c: _moment(c.occurred_at)),
            Column(
                _("Employer"), lambda c: c.employer.name, lambda c: reverse("employer-detail", args=[c.employer_id])
            ),
            Column(_("Adviser"), lambda c: _name(c.adviser)),
            Column(_("Organisation"), lambda c: c.organisation.name),
        ),
        ("employer", "adviser", "organisation"),
    ),
    Measure(
        "coverage-in-contact",
        _("Employers with 10 or more staff in contact during 12 months"),
        "R-52",
        coverage_in_contact,
        _EMPLOYER_COLUMNS,
        ("sector",),
    ),
    Measure("events", _("Events"), "R-19", events, _EVENT_COLUMNS),
    Measure(
        "event-participants",
        _("Participants in events"),
        "R-19",
        events,
        _EVENT_COLUMNS,
        aggregate=participants_sum,
    ),
    Measure(
        "event-employers", _("Employers taking part in events"), "R-19", event_employers, _EMPLOYER_COLUMNS, ("sector",)
    ),
    Measure(
        "event-referrals",
        _("Candidates proposed from events"),
        "R-19",
        event_referrals,
        _REFERRAL_COLUMNS,
        ("vacancy",),
    ),
    Measure(
        "event-placements",
        _("Placements from events"),
        "R-19",
        event_placements,
        _PLACEMENT_COLUMNS,
        ("employer", "organisation"),
    ),
    Measure("activities", _("Project activities"), "R-54", activities, _ACTIVITY_COLUMNS, ("project",)),
    Measure(
        "activities-realised",
        _("Project activities realised"),
        "R-54",
        activities_realised,
        _ACTIVITY_COLUMNS,
        ("project",),
    ),
    Measure(
        "employer-satisfaction",
        _("Employer satisfaction (average score)"),
        "R-11",
        feedback,
        (),
        aggregate=average_score,
        private=True,
        unit="score",
    ),
    *(
        Measure(
            f"instruments-{verb}-{kind}s",
            label,
            "R-33",
            (instruments_placements if kind == "placement" else instruments_contacts)(f"instruments_{verb}"),
            _instrument_columns(f"instruments_{verb}", kind),
            ("employer",) if kind == "placement" else ("employer", "adviser"),
        )
        for verb, kind, label in (
            ("advised", "placement", _("Placements with instruments advised")),
            ("applied", "placement", _("Placements with instruments applied")),
            ("advised", "contact", _("Contacts with instruments advised")),
            ("applied", "contact", _("Contacts with instruments applied")),
        )
    ),
    Measure(
        "reach",
        _("Reach through channels"),
        "R-56",
        reach,
        (
            Column(_("Channel"), lambda r: r.get_channel_display()),
            Column(_("Quarter"), lambda r: f"{r.year}-Q{r.quarter}"),
            Column(_("Reach"), lambda r: r.reach),
            Column(_("Note"), lambda r: r.note),
        ),
        aggregate=reach_sum,
    ),
    Measure(
        "budget-cost",
        _("Planned cost"),
        "R-53",
        budget_cost,
        (
            Column(_("Line"), lambda b: b.label, lambda b: reverse("budgets") + f"?year={b.budget.year}"),
            Column(_("Kind"), lambda b: b.get_kind_display()),
            Column(_("Organisation"), lambda b: b.organisation.name if b.organisation else ""),
            Column(_("Planned"), lambda b: b.planned),
        ),
        ("budget", "organisation"),
        aggregate=planned_sum,
        unit="amount",
    ),
    Measure(
        "budget-spend",
        _("Realised cost"),
        "R-53",
        budget_spend,
        (
            Column(_("Line"), lambda s: s.line.label, lambda s: reverse("budgets") + f"?year={s.line.budget.year}"),
            Column(_("Month"), lambda s: formats.date_format(s.month, "YEAR_MONTH_FORMAT")),
            Column(_("Amount"), lambda s: s.amount),
        ),
        ("line__budget",),
        aggregate=spend_sum,
        unit="amount",
    ),
)
