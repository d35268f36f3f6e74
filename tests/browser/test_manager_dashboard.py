"""A manager in a real browser (R-55, R-57): the home page is the region's picture, a number opens the records it
counts, and the records can be exported; no candidate name on the way (R-40)."""

from pathlib import Path

import pytest
from django.utils import timezone

from accounts.choices import Role
from tests.factories import PlacementFactory, UserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_clicks_a_figure_down_to_its_records_and_exports_them_R55_R57(page, login, uwv):
    manager = UserFactory(organisation=uwv, role=Role.MANAGER, first_name="Mira")
    placements = PlacementFactory.create_batch(3, start_date=timezone.localdate().replace(day=1))
    login(manager)

    figure = page.locator('a.stat[data-measure="placements"]')
    assert figure.locator(".value").inner_text() == "3"
    assert page.locator("#funnel svg rect").count() == 6  # the funnel as a chart, no script
    screenshot(page, "manager-dashboard")

    figure.click()
    page.wait_for_url("**/sturing/cijfers/placements/**")
    assert page.locator("[data-figure]").inner_text() == "3"
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    body = page.locator("main").inner_text()
    for placement in placements:
        assert f"#{placement.candidate_id}" in body
        assert placement.candidate.first_name not in body
    screenshot(page, "manager-drill-down")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) == 4  # the header and the three records the figure counted


def test_a_manager_follows_a_target_s_realised_figure_and_downloads_the_target_table_R50_R57(page, login, uwv):
    from reporting.targets.models import Target

    manager = UserFactory(organisation=uwv, role=Role.MANAGER)
    start = timezone.localdate().replace(day=1)
    placements = PlacementFactory.create_batch(2, start_date=start, organisation=uwv, target_group="ww")
    PlacementFactory(start_date=start, organisation=uwv, target_group="wajong")
    Target.objects.create(
        year=start.year, measure="placements", organisation=uwv, target_group="ww", target=8, created_by=manager
    )
    login(manager)

    table = page.locator("#targets-target-group")
    assert table.locator("tbody tr").count() == 1
    assert table.locator("svg.target-bar rect.fill").count() == 1  # the progress bar, no script
    screenshot(page, "manager-dashboard-targets")

    with page.expect_download() as download:
        table.get_by_role("link", name="CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) == 2 and lines[1].split(";")[1:3] == ["8", "2"]

    table.locator("[data-realised]").click()
    page.wait_for_url("**/sturing/cijfers/placements/**target=**")
    assert page.locator("[data-figure]").inner_text() == "2"
    body = page.locator("main").inner_text()
    for placement in placements:
        assert f"#{placement.candidate_id}" in body and placement.candidate.last_name not in body
