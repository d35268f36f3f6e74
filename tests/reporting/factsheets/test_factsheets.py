"""The quarterly factsheet (R-55) and its published figures that stay true (R-57)."""

from datetime import date

import pytest
from django.db import IntegrityError, InternalError, transaction

from matching.models import Placement
from reporting.factsheets import services
from reporting.factsheets.choices import FactsheetStatus
from reporting.factsheets.models import Factsheet, FactsheetFigure
from reporting.factsheets.selectors import figure_now, figure_records
from reporting.measures.registry import MEASURES
from reporting.measures.scope import Scope
from tests.factories import PlacementFactory
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db

Q1 = {"year": 2025, "quarter": 1}


@pytest.fixture
def counted(db):
    return PlacementFactory.create_batch(3, start_date=date(2025, 2, 3))


def _built(manager, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        factsheet = services.factsheet_request(by=manager, **(Q1 | kwargs))
    factsheet.refresh_from_db()
    return factsheet


def test_a_requested_factsheet_is_built_by_the_worker_with_every_figure_and_its_records_R55_R57(
    manager, counted, django_capture_on_commit_callbacks
):
    factsheet = _built(manager, django_capture_on_commit_callbacks)
    assert factsheet.status == FactsheetStatus.DONE
    figure = factsheet.figures.get(key="placements")
    assert figure.value == 3 and sorted(figure.record_ids) == sorted(p.pk for p in counted)
    # Every figure of every section is there, and each equals its cell of the measure computed again on the same
    # period (the drill-down's queryset), counting exactly its records. (test_figures_sql.py recomputes them from
    # the raw rows without the measures.)
    figures = list(factsheet.figures.all())
    assert {f.section for f in figures} >= {"fulfilment", "placements", "funnel", "employers", "compliance", "budget"}
    for figure in figures:
        now = figure_now(figure)
        if now.known:
            assert (now.value_now, now.added_ids, now.dropped_ids) == (figure.value, [], []), figure.key
        else:
            assert not figure.listable, figure.key
    whole = Scope(year=2025, quarter=1)
    assert factsheet.figures.get(key="durable-placements").value == MEASURES["durable-placements"].value(whole)


def test_publishing_then_correcting_a_counted_placement_shows_the_difference_R57(
    manager, counted, django_capture_on_commit_callbacks
):
    factsheet = services.factsheet_publish(by=manager, factsheet=_built(manager, django_capture_on_commit_callbacks))
    cancelled = counted[0]
    Placement.objects.filter(pk=cancelled.pk).update(
        status="cancelled", cancel_reason="Nooit begonnen", cancelled_at=cancelled.booked_at
    )
    late = PlacementFactory(start_date=date(2025, 3, 30))  # a late booking in the quarter
    figure = factsheet.figures.get(key="placements")
    assert figure.value == 3  # never recomputed silently
    now = figure_now(figure)
    assert (now.value_now, now.dropped_ids, now.added_ids) == (3, [cancelled.pk], [late.pk])
    assert {p.pk for p in figure_records(figure)} == {p.pk for p in counted}


def test_a_published_factsheet_and_its_figures_never_change_on_any_path_R57(
    manager, counted, django_capture_on_commit_callbacks, counts
):
    factsheet = services.factsheet_publish(by=manager, factsheet=_built(manager, django_capture_on_commit_callbacks))
    before = counts()
    for write in (
        lambda: Factsheet.objects.filter(pk=factsheet.pk).update(change_note="mooier"),
        lambda: Factsheet.objects.filter(pk=factsheet.pk).delete(),
        lambda: FactsheetFigure.objects.filter(factsheet=factsheet).update(value=99),
        lambda: FactsheetFigure.objects.filter(factsheet=factsheet).delete(),
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            write()
    assert counts() == before
    assert factsheet.figures.get(key="placements").value == 3
    with pytest.raises(Conflict):
        services.factsheet_publish(by=manager, factsheet=factsheet)
    # A correction is a new version, with a note of what changed.
    with pytest.raises(InvalidInput) as refused:
        services.factsheet_request(by=manager, **Q1)
    assert refused.value.code == "change_note_required"
    second = _built(manager, django_capture_on_commit_callbacks, change_note="Plaatsing geannuleerd")
    assert second.version == 2


def test_a_quarter_not_ended_is_only_a_draft_and_a_draft_is_never_published_R55(
    manager, adviser, django_capture_on_commit_callbacks, counts
):
    from django.utils import timezone

    today = timezone.localdate()
    running = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.factsheet_request(by=manager, **running)
    assert refused.value.code == "quarter_not_ended" and counts() == before
    with pytest.raises(RuleRefused):
        services.factsheet_request(by=adviser, **Q1)
    with pytest.raises(InvalidInput):
        services.factsheet_request(by=manager, year=2025, quarter=5)
    assert counts() == before
    draft = _built(manager, django_capture_on_commit_callbacks, draft=True, **running)
    assert draft.status == FactsheetStatus.DONE
    with pytest.raises(RuleRefused):
        services.factsheet_publish(by=manager, factsheet=draft)


def test_a_build_that_fails_half_way_leaves_no_figures_and_a_rerun_builds_cleanly(
    manager, counted, monkeypatch, django_capture_on_commit_callbacks
):
    from reporting.factsheets import services as module

    real = MEASURES["vacancies-late"]

    class Broken:
        def __getattr__(self, name):
            return getattr(real, name)

        def records(self, scope):  # the compliance section, after the placements have been counted
            raise RuntimeError("worker killed")

    monkeypatch.setitem(MEASURES, "vacancies-late", Broken())
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        factsheet = module.factsheet_request(by=manager, **Q1)
    factsheet = Factsheet.objects.get(year=2025, quarter=1)
    assert factsheet.status == FactsheetStatus.FAILED and not factsheet.figures.exists()
    monkeypatch.setitem(MEASURES, "vacancies-late", real)
    assert module.factsheet_build(factsheet_id=factsheet.pk).status == FactsheetStatus.DONE
    assert module.factsheet_build(factsheet_id=factsheet.pk).figures.count() == factsheet.figures.count()


def test_the_api_requests_lists_figures_and_their_records_R57(
    manager_client, counted, django_capture_on_commit_callbacks, token_client, uwv
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post("/api/v1/factsheets/", Q1, format="json")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    pk = response.json()["id"]
    figures = manager_client.get(f"/api/v1/factsheets/{pk}/figures/").json()
    placements = next(f for f in figures if f["key"] == "placements")
    assert placements["count"] == 3
    records = manager_client.get(placements["records_url"]).json()
    assert sorted(records["record_ids"]) == sorted(p.pk for p in counted)
    assert manager_client.post(f"/api/v1/factsheets/{pk}/publish/").json()["status"] == "published"
    assert manager_client.get(f"/api/v1/factsheets/{pk}/figures/no-such/records/").status_code == 404
    client, _token = token_client(organisation=uwv)
    assert client.get("/api/v1/factsheets/").status_code == 200
    assert client.post("/api/v1/factsheets/", Q1, format="json").status_code == 403


def test_the_api_gives_the_pdf_of_a_built_factsheet_R55(manager_client, counted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pk = manager_client.post("/api/v1/factsheets/", Q1, format="json").json()["id"]
    response = manager_client.get(f"/api/v1/factsheets/{pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    queued = Factsheet.objects.create(year=2024, quarter=4, version=1)
    response = manager_client.get(f"/api/v1/factsheets/{queued.pk}/pdf/")
    assert response.status_code == 404 and response.json()["code"] == "not_ready"


def test_the_quarterly_task_builds_the_quarter_just_ended_once_after_its_drafts_R55(
    manager, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from reporting.factsheets import tasks

    today = timezone.localdate()
    quarter = (today.month - 1) // 3 or 4
    year = today.year if (today.month - 1) // 3 else today.year - 1
    Factsheet.objects.create(year=year, quarter=quarter, version=1, is_draft=True, status="done")
    pk = tasks.build_last_quarter.delay().get()
    built = Factsheet.objects.get(pk=pk)
    assert (built.year, built.quarter, built.version, built.status) == (year, quarter, 2, FactsheetStatus.DONE)
    assert tasks.build_last_quarter.delay().get() is None  # a re-run adds nothing
