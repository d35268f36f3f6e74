"""Factsheets in the browser (R-55, R-57): request, publish, and the published figure's records with the difference."""

import subprocess
from datetime import date
from pathlib import Path

import pytest

from matching.models import Placement
from reporting.factsheets.models import Factsheet
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_a_manager_requests_publishes_and_sees_a_correction_as_a_difference_R55_R57(
    client, manager, django_capture_on_commit_callbacks
):
    counted = PlacementFactory.create_batch(2, start_date=date(2025, 5, 6))
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sturing/factsheets/", {"year": "2025", "quarter": "2"})
    factsheet = Factsheet.objects.get()
    assert response.status_code == 302 and factsheet.status == "done"
    page = client.get(f"/sturing/factsheets/{factsheet.pk}/").content.decode()
    assert 'data-figure="placements"' in page
    assert client.post(f"/sturing/factsheets/{factsheet.pk}/publiceren/").status_code == 302
    Placement.objects.filter(pk=counted[0].pk).update(
        status="cancelled", cancel_reason="Fout geboekt", cancelled_at=counted[0].booked_at
    )
    page = client.get(f"/sturing/factsheets/{factsheet.pk}/placements/").content.decode()
    assert 'id="difference"' in page and 'id="dropped"' in page
    assert f"/plaatsingen/{counted[0].pk}/" in page.split('id="dropped"')[1].split("</section>")[0]


def test_a_refused_request_says_why_and_changes_nothing_R55(client, manager, counts):
    client.force_login(manager)
    before = counts()
    response = client.post("/sturing/factsheets/", {"year": "2100", "quarter": "4"}, follow=True)
    assert counts() == before
    assert "R-55" in response.content.decode()


def test_advisers_do_not_open_factsheets(client, adviser):
    client.force_login(adviser)
    assert client.get("/sturing/factsheets/").status_code == 302


def test_the_factsheet_pdf_renders_from_its_stored_figures_R55(
    client, manager, django_capture_on_commit_callbacks, tmp_path
):
    PlacementFactory.create_batch(2, start_date=date(2025, 5, 6))
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sturing/factsheets/", {"year": "2025", "quarter": "2"})
    factsheet = Factsheet.objects.get()
    response = client.get(f"/sturing/factsheets/{factsheet.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "factsheet.pdf"
    pdf.write_bytes(response.content)
    # Rendered to PNG (poppler's pdftoppm, installed by tests/system_packages.sh) so a person can look at it.
    out = Path("test-artifacts")
    out.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf), str(out / "factsheet")], check=True)
    assert (out / "factsheet-1.png").stat().st_size > 10_000
