"""Projects (R-54): services, refusals that leave the data unchanged, and the share of the maximum."""

from datetime import date
from decimal import Decimal

import pytest

from reporting.projects import services
from reporting.projects.models import Activity, MaxSubsidyChange, Project, TargetChange
from tests.factories import PlacementFactory
from wsp.errors import Conflict, InvalidInput, RuleRefused

from .conftest import project_fields

pytestmark = pytest.mark.django_db


def test_r54_project_created_with_numbers_figures_and_activities(project):
    assert project.number_list == ["2016DW2012"]
    assert project.max_subsidy == project.initial_max_subsidy == Decimal("859265")
    assert project.requested_share == 83
    first, fourth = project.activities.all()
    assert (first.code, first.target, first.realised) == ("1", 2, "8")
    assert fourth.is_not_realised and fourth.realised is None


def test_r54_requested_share_not_yet_known(manager):
    project = services.project_create(by=manager, **project_fields(requested_subsidy=None, activities=[]))
    assert project.requested_subsidy is None and project.requested_share is None


def test_r54_several_numbers_one_project(manager):
    numbers = [f"2016DW201{i}" for i in range(5, 10)]
    project = services.project_create(by=manager, **project_fields(numbers=numbers, activities=[]))
    assert project.number_list == numbers


def test_r54_max_subsidy_change_current_is_latest(project, manager):
    services.max_subsidy_change(by=manager, project=project, date=date(2017, 3, 1), new="800000", reason="Besluit")
    services.max_subsidy_change(by=manager, project=project, date=date(2018, 3, 1), new="750000", reason="Correctie")
    project.refresh_from_db()
    assert project.max_subsidy == Decimal("750000")
    assert [(c.old, c.new) for c in project.max_subsidy_changes.all()] == [
        (Decimal("859265.00"), Decimal("800000")),
        (Decimal("800000.00"), Decimal("750000")),
    ]
    assert project.requested_share == 95  # 710,781 / 750,000


def test_r54_target_change_with_date_and_reason(project, manager):
    activity = project.activities.get(code="1")
    services.activity_target_change(by=manager, activity=activity, date=date(2017, 1, 1), new=1,
                                    reason="cut to 50%")  # fmt: skip
    activity.refresh_from_db()
    assert activity.target == 1
    change = activity.target_changes.get()
    assert (change.old, change.new, change.reason) == (2, 1, "cut to 50%")


def test_r54_update_with_target_change_reason_writes_row(project, manager):
    services.project_update(
        by=manager,
        project=project,
        activities=[{"code": "1", "description": "Landelijke events", "target": 3, "realised": "1800-1850",
                     "target_change_reason": "change request approved"}],
    )  # fmt: skip
    activity = project.activities.get(code="1")
    assert (activity.target, activity.realised_low, activity.realised_high, activity.realised) == (
        3, 1800, 1850, "1800-1850"
    )  # fmt: skip
    assert activity.target_changes.get().reason == "change request approved"


def test_r54_realisation_number_range_and_not_realised(project, manager):
    activity = project.activities.get(code="1")
    services.activity_realisation_record(by=manager, activity=activity, realised="1800-1850")
    activity.refresh_from_db()
    assert activity.realised == "1800-1850"
    services.activity_realisation_record(by=manager, activity=activity, not_realised=True, reason="Geen BSN")
    activity.refresh_from_db()
    assert activity.realised is None and activity.not_realised_reason == "Geen BSN"


def test_r54_placements_linked_by_type(manager):
    placements = [PlacementFactory(), PlacementFactory(placement_type="flex")]
    project = services.project_create(by=manager, **project_fields(placements=[p.pk for p in placements]))
    from reporting.projects.selectors import placements_by_type, projects_list

    assert placements_by_type(projects_list().get(pk=project.pk)) == {"permanent": 1, "flex": 1}


# Refusals: a clear code and rule, nothing written.


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"budgeted_direct_costs": Decimal("-1")}, "negative_amount"),
        ({"max_subsidy": Decimal("-1")}, "negative_amount"),
        ({"requested_subsidy": Decimal("-5")}, "negative_amount"),
        ({"period_end": date(2016, 7, 14)}, "period_end_before_start"),
        ({"activities": [{"code": "1", "target": 5, "realised": "1850-1800"}]}, "realised_range_reversed"),
        ({"activities": [{"code": "1", "target": 5, "not_realised": True}]}, "not_realised_reason_required"),
        ({"activities": [{"code": "1", "target": -5}]}, "negative_amount"),
        ({"activities": [{"code": "1", "realised": "8", "not_realised_reason": "x"}]}, "realised_and_not_realised"),
        ({"numbers": []}, "required"),
        ({"numbers": ["DW2012"]}, "invalid_project_number"),
    ],
)
def test_r54_create_refused_data_unchanged(manager, project_counts, overrides, code):
    before = project_counts()
    with pytest.raises(InvalidInput) as refused:
        services.project_create(by=manager, **project_fields(**overrides))
    assert refused.value.code == code and refused.value.rule == "R-54"
    assert project_counts() == before


def test_r54_duplicate_project_number_refused(project, manager, project_counts):
    before = project_counts()
    with pytest.raises(Conflict) as refused:
        services.project_create(by=manager, **project_fields(numbers=["2016DW2013", "2016DW2012"]))
    assert (refused.value.code, refused.value.rule) == ("duplicate_project_number", "R-54")
    assert project_counts() == before


def test_r54_max_subsidy_change_without_reason_refused(project, manager, project_counts):
    before = project_counts()
    with pytest.raises(InvalidInput) as refused:
        services.max_subsidy_change(by=manager, project=project, date=date(2017, 1, 1), new="1", reason="  ")
    assert refused.value.code == "reason_required"
    with pytest.raises(InvalidInput):
        services.project_update(by=manager, project=project, max_subsidy="1")
    assert project_counts() == before
    project.refresh_from_db()
    assert project.max_subsidy == Decimal("859265")


def test_r54_target_change_without_reason_refused(project, manager, project_counts):
    activity = project.activities.get(code="1")
    before = project_counts()
    with pytest.raises(InvalidInput) as refused:
        services.activity_target_change(by=manager, activity=activity, date=date(2017, 1, 1), new=1, reason="")
    assert (refused.value.code, refused.value.rule) == ("reason_required", "R-54")
    with pytest.raises(InvalidInput):
        services.project_update(by=manager, project=project, activities=[{"code": "1", "target": 9}])
    assert project_counts() == before
    activity.refresh_from_db()
    assert activity.target == 2 and not TargetChange.objects.exists()


def test_r54_update_period_before_start_refused(project, manager):
    with pytest.raises(InvalidInput) as refused:
        services.project_update(by=manager, project=project, period_end=date(2015, 1, 1))
    assert refused.value.code == "period_end_before_start"
    project.refresh_from_db()
    assert project.period_end == date(2018, 12, 31)


def test_r54_realisation_range_reversed_refused(project, manager):
    activity = project.activities.get(code="1")
    with pytest.raises(InvalidInput) as refused:
        services.activity_realisation_record(by=manager, activity=activity, realised="1850-1800")
    assert refused.value.code == "realised_range_reversed"
    activity.refresh_from_db()
    assert activity.realised == "8"


def test_r01_only_managers_write_projects(adviser, project, project_counts):
    before = project_counts()
    with pytest.raises(RuleRefused) as refused:
        services.project_create(by=adviser, **project_fields(numbers=["2016DW2099"]))
    assert refused.value.rule == "R-01"
    with pytest.raises(RuleRefused):
        services.max_subsidy_change(by=adviser, project=project, date=date(2017, 1, 1), new="1", reason="x")
    assert project_counts() == before
    assert Project.objects.count() == 1 and not MaxSubsidyChange.objects.exists()
    assert Activity.objects.count() == 2
