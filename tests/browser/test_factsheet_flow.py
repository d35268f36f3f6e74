"""A manager in a real browser requests a quarter's factsheet, explains a section, publishes it, and opens a
published figure down to its records; a correction afterwards shows as a difference, never as a changed figure
(R-55, R-57)."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.choices import Role
from matching.models import Placement
from tests.factories import PlacementFactory, UserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_requests_explains_publishes_and_drills_down_a_factsheet_R55_R57(page, login, uwv):
    manager = UserFactory(organisation=uwv, role=Role.MANAGER, first_name="Mira")
    year = timezone.localdate().year - 1
    counted = PlacementFactory.create_batch(3, start_date=date(year, 5, 6), target_group="ww")
    login(manager)

    page.goto(page.base_url + "/sturing/factsheets/")
    page.select_option("#fs-year", str(year))
    page.select_option("#fs-quarter", "2")
    page.get_by_role("button", name="Factsheet aanvragen").click()
    page.wait_for_url("**/sturing/factsheets/*/")
    # Celery runs eagerly here: the page shows the built factsheet (or refreshes itself until it is).
    page.wait_for_selector('[data-status="done"]', timeout=15_000)
    assert page.locator('[data-figure="placements"] .value').inner_text() == "3"
    assert page.locator("#section-fulfilment svg rect").count() > 0  # a chart, no script

    page.fill("#explain-placements", "Drie plaatsingen in de zorg.")
    page.locator("#section-placements").get_by_role("button", name="Toelichting opslaan").click()
    page.wait_for_load_state()
    assert page.locator("#explain-placements").input_value() == "Drie plaatsingen in de zorg."
    screenshot(page, "factsheet-ready")

    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_selector('[data-status="published"]')
    assert "Drie plaatsingen in de zorg." in page.locator("#section-placements .explanation").inner_text()
    assert page.locator("#explain-placements").count() == 0  # frozen

    # A counted placement is cancelled afterwards: the figure stays, its drill-down shows the difference.
    Placement.objects.filter(pk=counted[0].pk).update(
        status="cancelled", cancel_reason="Nooit begonnen", cancelled_at=counted[0].booked_at
    )
    page.locator('a.stat[data-figure="placements"]').click()
    page.wait_for_url("**/placements/")
    assert page.locator("[data-value]").inner_text() == "3"
    assert page.locator("[data-value-now]").inner_text() == "2"
    assert page.locator("#difference").is_visible()
    assert page.locator(f'#dropped a[href$="/plaatsingen/{counted[0].pk}/"]').count() == 1
    assert page.locator("#counted tbody tr").count() == 3
    screenshot(page, "factsheet-figure-difference")
