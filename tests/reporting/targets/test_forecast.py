"""Forecast to year end and status (R-50): the rule, with and without last year's monthly profile."""

from datetime import date
from decimal import Decimal

import pytest

from matching.choices import TargetGroup
from reporting.targets import selectors
from reporting.targets.choices import Measure
from reporting.targets.measures import forecast, status, target_records
from reporting.targets.models import Target
from tests.factories import UserFactory

from .conftest import make_placement


def test_r50_forecast_of_a_past_year_is_the_realised():
    assert forecast(year=2024, realised=Decimal(7), today=date(2026, 5, 1)) == Decimal("7.0")


def test_r50_forecast_at_the_current_rate_without_last_year():
    # 1 July 2026 is day 182 of 365: 91 realised -> 182.5
    assert forecast(year=2026, realised=Decimal(91), today=date(2026, 7, 1)) == Decimal("182.5")


def test_r50_forecast_with_last_years_monthly_profile():
    # last year 25 of 100 by the same date: 30 realised now -> 120 at year end
    got = forecast(year=2026, realised=Decimal(30), today=date(2026, 3, 1), last_year_total=100, last_year_to_date=25)
    assert got == Decimal("120.0")


@pytest.mark.parametrize(
    ("value", "expected"), [("100", "on_track"), ("120", "on_track"), ("90", "at_risk"), ("89.9", "behind")]
)
def test_r50_status_rule(value, expected):
    assert status(forecast=Decimal(value), target=Decimal(100)) == expected


@pytest.mark.django_db
def test_r50_selector_uses_last_years_profile_for_the_running_year(uwv, manager):
    booker = UserFactory(organisation=uwv)
    today = date(2026, 7, 1)
    # last year: 1 placement by 1 July, 3 more after it -> a share of 1/4 by the same date
    for start in (date(2025, 2, 1), date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1)):
        make_placement(start=start, organisation=uwv, booked_by=booker)
    for start in (date(2026, 1, 10), date(2026, 6, 30)):
        make_placement(start=start, organisation=uwv, booked_by=booker)
    target = Target.objects.create(
        year=2026,
        measure=Measure.PLACEMENTS,
        organisation=uwv,
        target_group=TargetGroup.WW,
        target=Decimal("8.5"),
        created_by=manager,
    )
    [got] = selectors.with_realisation([target], today=today)
    assert got.realised == 2 and got.forecast == Decimal("8.0") and got.status == "at_risk"
    # the drill-down: the same records the figure counts
    assert target_records(target).count() == 2
