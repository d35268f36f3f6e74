"""The demo's projects (R-54) equal seed 004 (Evaluatie DWSRA, bijlage 6); its events have reach per quarter (R-19)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from demo.seed.projects import seed_projects_and_events
from reporting.projects.models import ChannelReach, Event, EventPlacement, Project, ProjectNumber

# Seed 004, DW2012 "Dienstverlening werkzoekenden corporatiesector 2.0": activity code -> (target, realised).
DW2012_ACTIVITIES = {
    "1": (2, "8"),  # landelijke events: 2 voorzien, 8 georganiseerd
    "2": (10, "23"),  # regionale events: 10 voorzien, 23 georganiseerd
    "3": (1, "1"),  # leermanagementsysteem ontwikkeld
    "4": (700, None),  # 700 medewerkers begeleiden: niet gerealiseerd (BSN)
    "5": (10, "11"),  # arbeidsbemiddelaars: 10 beoogd, 11 aangesteld
    "6": (67, "67"),  # masterclass Mobri: 67 medewerkers
}


def _dw2012():
    return Project.objects.get(numbers__number="2016DW2012")


@pytest.mark.django_db
def test_r54_demo_dw2012_equals_the_seed(manager):
    seed_projects_and_events(today=date(2024, 12, 31))
    project = _dw2012()
    assert project.applicant == "Stichting Fonds Leren en Ontwikkelen Wooncorporaties (FLOW)"
    assert (project.period_start, project.period_end) == (date(2016, 7, 15), date(2018, 12, 31))
    assert project.budgeted_direct_costs == Decimal("1245313")
    assert project.max_subsidy == project.initial_max_subsidy == Decimal("859265")
    assert project.requested_subsidy == Decimal("710781")
    assert project.requested_share == 83
    activities = {a.code: (a.target, a.realised) for a in project.activities.all()}
    assert activities == DW2012_ACTIVITIES
    not_realised = project.activities.get(code="4")
    assert "BSN" in not_realised.not_realised_reason
    assert project.activities.exclude(code="4").filter(not_realised_reason="").count() == 5


@pytest.mark.django_db
def test_r54_demo_five_number_project(manager):
    seed_projects_and_events(today=date(2024, 12, 31))
    project = Project.objects.get(numbers__number="2016DW2017")
    assert project.number_list == [f"2016DW201{i}" for i in range(5, 10)]
    assert project.budgeted_direct_costs == 5 * Decimal("1103863")
    assert project.max_subsidy == 5 * Decimal("761666")
    assert project.requested_subsidy == Decimal("2896446") and project.requested_share == 76
    assert ProjectNumber.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_r19_seed_demo_has_events_with_employers_placements_and_reach():
    call_command("seed_demo", employers=60, contacts_per_employer=2, verbosity=0)
    assert _dw2012().requested_share == 83
    assert Event.objects.count() >= 4
    assert Event.objects.filter(employers__isnull=False).exists()
    assert EventPlacement.objects.exists()
    years = set(Event.objects.values_list("date__year", flat=True))
    reach_years = set(ChannelReach.objects.values_list("year", flat=True))
    assert reach_years and reach_years <= years
    for year, quarter in ChannelReach.objects.values_list("year", "quarter").distinct():
        assert ChannelReach.objects.filter(year=year, quarter=quarter).count() == 4
