"""The factsheet's sections (R-55, R-56): explanations written before publishing, frozen with it (R-57); employer
satisfaction in groups large enough only and never listed (R-11); cells per grouping with their records; a stalled or
failed build sent again."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from reporting.factsheets import services
from reporting.factsheets.choices import FactsheetStatus
from reporting.factsheets.models import Factsheet, FactsheetSection
from reporting.factsheets.selectors import figure_now
from tests.factories import EmployerFeedbackFactory, PlacementFactory, UserFactory
from wsp.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db

Q2 = {"year": 2025, "quarter": 2}
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _built(manager, django_capture_on_commit_callbacks, **kwargs) -> Factsheet:
    with django_capture_on_commit_callbacks(execute=True):
        factsheet = services.factsheet_request(by=manager, **(Q2 | kwargs))
    factsheet.refresh_from_db()
    return factsheet


def test_a_manager_explains_a_section_before_publishing_and_never_after_R55_R57(
    manager, django_capture_on_commit_callbacks, counts
):
    factsheet = _built(manager, django_capture_on_commit_callbacks)
    saved = services.factsheet_explain(
        by=manager, factsheet=factsheet, section="placements", explanation="  Meer plaatsingen in de zorg.\n"
    )
    assert saved.explanation == "Meer plaatsingen in de zorg."
    services.factsheet_explain(by=manager, factsheet=factsheet, section="placements", explanation="Tweede versie")
    assert FactsheetSection.objects.get(factsheet=factsheet, key="placements").explanation == "Tweede versie"
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.factsheet_explain(by=manager, factsheet=factsheet, section="no-such", explanation="x")
    assert refused.value.code == "unknown_section"
    with pytest.raises(InvalidInput) as refused:
        services.factsheet_explain(by=manager, factsheet=factsheet, section="budget", explanation="x" * 4001)
    assert refused.value.code == "too_long" and counts() == before
    services.factsheet_publish(by=manager, factsheet=factsheet)
    with pytest.raises(Conflict) as refused:
        services.factsheet_explain(by=manager, factsheet=factsheet, section="placements", explanation="Mooier")
    assert refused.value.code == "already_published"
    # Not on any other path either: the database refuses it.
    for write in (
        lambda: FactsheetSection.objects.filter(factsheet=factsheet).update(explanation="Mooier"),
        lambda: FactsheetSection.objects.create(factsheet=factsheet, key="budget", explanation="Nieuw"),
        lambda: FactsheetSection.objects.filter(factsheet=factsheet).delete(),
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            write()
    assert FactsheetSection.objects.get(factsheet=factsheet).explanation == "Tweede versie"
    # A new version starts from the published texts.
    second = _built(manager, django_capture_on_commit_callbacks, change_note="Correctie")
    assert FactsheetSection.objects.get(factsheet=second, key="placements").explanation == "Tweede versie"


def test_cells_per_grouping_count_their_records_and_add_up_to_the_whole_R55(
    manager, django_capture_on_commit_callbacks
):
    PlacementFactory.create_batch(3, start_date=date(2025, 4, 7), target_group="ww")
    PlacementFactory.create_batch(2, start_date=date(2025, 6, 30), target_group="wajong")
    PlacementFactory(start_date=date(2025, 7, 1), target_group="ww")  # the next quarter
    PlacementFactory(start_date=date(2025, 2, 1), target_group="ww")  # this year, before the quarter
    factsheet = _built(manager, django_capture_on_commit_callbacks)
    figures = {f.key: f for f in factsheet.figures.all()}
    assert figures["placements"].value == 5
    assert figures["placements__target_group__ww"].value == 3
    assert figures["placements__target_group__wajong"].value == 2
    per_sector = [f for f in figures.values() if f.measure == "placements" and f.group_by == "sector"]
    assert sum(f.value for f in per_sector) == 5
    assert sorted(i for f in per_sector for i in f.record_ids) == sorted(figures["placements"].record_ids)
    # The year to date, against the year's target, counts February too.
    assert figures["placements__ytd"].value == 6
    assert figures["placements__ytd__target_group__ww"].value == 4


def _feedback(adviser, n, *, at, by_manager=False):
    return EmployerFeedbackFactory.create_batch(
        n, adviser=adviser, received_at=at, score=8, registered_by_manager=by_manager
    )


def test_satisfaction_shows_only_groups_of_five_answers_about_three_advisers_and_never_lists_them_R11(
    manager, manager_client, client, django_capture_on_commit_callbacks, uwv, municipality
):
    at = datetime(2025, 5, 1, 10, tzinfo=AMSTERDAM)
    large = [UserFactory(organisation=uwv) for _ in range(3)]
    for adviser in large:
        _feedback(adviser, 2, at=at)
    small = [UserFactory(organisation=municipality) for _ in range(2)]
    for adviser in small:
        _feedback(adviser, 3, at=at)  # 6 answers, about 2 advisers: hidden
    _feedback(large[0], 4, at=at, by_manager=True)  # a manager's own answers never count
    factsheet = _built(manager, django_capture_on_commit_callbacks)
    shown = list(factsheet.figures.filter(section="satisfaction"))
    assert [(f.group_key, f.value, f.private, f.listable) for f in shown] == [(str(uwv.pk), 8, True, False)]
    assert not figure_now(shown[0]).known  # no "today it would be": it would give one late answer away
    response = manager_client.get(f"/api/v1/factsheets/{factsheet.pk}/figures/{shown[0].key}/records/")
    assert response.status_code == 403 and response.json()["code"] == "feedback_private"
    listed = manager_client.get(f"/api/v1/factsheets/{factsheet.pk}/figures/").json()
    assert next(f for f in listed if f["key"] == shown[0].key)["records_url"] is None
    client.force_login(manager)
    page = client.get(f"/sturing/factsheets/{factsheet.pk}/{shown[0].key}/").content.decode()
    assert 'id="counted"' not in page and "R-11" in page


def test_a_draft_of_a_running_quarter_has_no_satisfaction_R11(manager, django_capture_on_commit_callbacks, uwv):
    today = timezone.localdate()
    for _ in range(3):
        _feedback(UserFactory(organisation=uwv), 2, at=timezone.now() - timedelta(minutes=5))
    running = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    draft = _built(manager, django_capture_on_commit_callbacks, draft=True, **running)
    assert draft.status == FactsheetStatus.DONE
    assert not draft.figures.filter(section="satisfaction").exists()


def test_a_failed_or_stalled_build_is_sent_again_and_one_under_way_is_not(
    manager, django_capture_on_commit_callbacks, counts
):
    running = Factsheet.objects.create(**Q2, version=1, status=FactsheetStatus.RUNNING)
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.factsheet_rebuild(by=manager, factsheet=running)
    assert refused.value.code == "not_stalled" and counts() == before
    Factsheet.objects.filter(pk=running.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    running.refresh_from_db()
    assert services.is_stalled(running)
    with django_capture_on_commit_callbacks(execute=True):
        services.factsheet_rebuild(by=manager, factsheet=running)
    running.refresh_from_db()
    assert running.status == FactsheetStatus.DONE and running.figures.exists()
    failed = Factsheet.objects.create(year=2025, quarter=1, version=1, status=FactsheetStatus.FAILED, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        services.factsheet_rebuild(by=manager, factsheet=failed)
    failed.refresh_from_db()
    assert failed.status == FactsheetStatus.DONE and failed.error == ""
    services.factsheet_publish(by=manager, factsheet=failed)
    with pytest.raises(Conflict):
        services.factsheet_rebuild(by=manager, factsheet=failed)


def test_the_api_lists_sections_and_takes_an_explanation_until_published_R55_R57(
    manager_client, manager, django_capture_on_commit_callbacks
):
    factsheet = _built(manager, django_capture_on_commit_callbacks)
    url = f"/api/v1/factsheets/{factsheet.pk}/sections/"
    sections = manager_client.get(url).json()
    assert [s["key"] for s in sections][:3] == ["fulfilment", "placements", "funnel"]
    response = manager_client.patch(f"{url}placements/", {"explanation": "Goed kwartaal"}, format="json")
    assert response.status_code == 200 and response.json()["explanation"] == "Goed kwartaal"
    response = manager_client.patch(f"{url}no-such/", {"explanation": "x"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_section"
    manager_client.post(f"/api/v1/factsheets/{factsheet.pk}/publish/")
    response = manager_client.patch(f"{url}placements/", {"explanation": "Mooier"}, format="json")
    assert response.status_code == 409 and response.json()["rule"] == "R-57"
    assert manager_client.get(url).json()[1]["explanation"] == "Goed kwartaal"


def test_the_page_shows_progress_and_refreshes_while_the_worker_builds(client, manager):
    queued = Factsheet.objects.create(**Q2, version=1)
    client.force_login(manager)
    page = client.get(f"/sturing/factsheets/{queued.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'id="progress"' in page
    Factsheet.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    page = client.get(f"/sturing/factsheets/{queued.pk}/").content.decode()
    assert f"/sturing/factsheets/{queued.pk}/opnieuw/" in page


def test_the_page_takes_an_explanation_and_shows_it_in_the_pdf_R55(client, manager, django_capture_on_commit_callbacks):
    factsheet = _built(manager, django_capture_on_commit_callbacks)
    client.force_login(manager)
    response = client.post(
        f"/sturing/factsheets/{factsheet.pk}/toelichting/budget/", {"explanation": "Binnen de begroting."}
    )
    assert response.status_code == 302
    page = client.get(f"/sturing/factsheets/{factsheet.pk}/").content.decode()
    assert "Binnen de begroting." in page and 'id="section-budget"' in page
