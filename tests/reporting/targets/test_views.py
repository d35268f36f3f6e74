"""Browser pages /sturing/doelen/ and /sturing/dekking/ (R-50, R-51, R-52): everyone reads, managers enter and
change; refusals change nothing; no inline styles (CSP); the page's query count does not grow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from matching.choices import TargetGroup
from reporting.targets.choices import Measure
from reporting.targets.models import SectorEmployerCount, Target, TargetChange
from tests.factories import SectorFactory

pytestmark = pytest.mark.django_db


def target(by, organisation, year=2024, **fields):
    fields.setdefault("target_group", TargetGroup.WW)
    return Target.objects.create(
        year=year, measure=Measure.PLACEMENTS, organisation=organisation, target=Decimal("160"), created_by=by, **fields
    )


def test_r50_manager_page_lists_targets_with_status_and_bar(client, manager, uwv):
    target(manager, uwv)
    client.force_login(manager)
    response = client.get(reverse("targets"), {"year": 2024})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<progress" in html and 'class="badge bad"' in html and 'id="target-add"' in html
    assert "style=" not in html and "<script>" not in html


def test_r50_adviser_sees_targets_read_only(client, adviser, manager, uwv):
    target(manager, uwv)
    client.force_login(adviser)
    html = client.get(reverse("targets"), {"year": 2024}).content.decode()
    assert 'data-target="' in html and 'id="target-add"' not in html and "target-change" not in html


def test_r50_manager_adds_a_target_in_the_browser(client, manager, uwv):
    client.force_login(manager)
    data = {"year": 2024, "measure": "placements", "organisation": uwv.pk, "target_group": "wia", "target": "35"}
    response = client.post(reverse("targets"), data)
    assert response.status_code == 302
    assert Target.objects.get().target == 35


def test_r50_duplicate_in_the_browser_is_refused_and_changes_nothing(client, manager, uwv, target_counts):
    target(manager, uwv)
    client.force_login(manager)
    before = target_counts()
    data = {"year": 2024, "measure": "placements", "organisation": uwv.pk, "target_group": "ww", "target": "1"}
    response = client.post(reverse("targets"), data, follow=True)
    assert "already a target" in response.content.decode() or "al een doel" in response.content.decode()
    assert target_counts() == before


def test_r50_adviser_cannot_add_or_change_in_the_browser(client, adviser, manager, uwv, target_counts):
    item = target(manager, uwv)
    client.force_login(adviser)
    before = target_counts()
    data = {"year": 2025, "measure": "placements", "organisation": uwv.pk, "target_group": "ww", "target": "1"}
    client.post(reverse("targets"), data)
    client.post(reverse("target-change", args=[item.pk]), {"target": "1", "reason": "because"})
    assert target_counts() == before


def test_r50_manager_changes_a_target_with_a_reason(client, manager, uwv):
    item = target(manager, uwv)
    client.force_login(manager)
    client.post(reverse("target-change", args=[item.pk]), {"target": "150", "reason": "Budget cut"})
    item.refresh_from_db()
    assert item.target == 150 and TargetChange.objects.get().reason == "Budget cut"
    html = client.get(reverse("targets"), {"year": 2024}).content.decode()
    assert "Budget cut" in html


def test_r50_change_without_reason_in_the_browser_changes_nothing(client, manager, uwv, target_counts):
    item = target(manager, uwv)
    client.force_login(manager)
    before = target_counts()
    client.post(reverse("target-change", args=[item.pk]), {"target": "150", "reason": " "})
    assert target_counts() == before


@pytest.mark.parametrize("rows", [2, 20])
def test_r50_targets_page_query_count_does_not_grow(client, manager, uwv, django_assert_num_queries, rows):
    sector = SectorFactory()
    for n in range(rows):
        target(manager, uwv, year=2024, target_group="", sector=SectorFactory() if n else sector)
    client.force_login(manager)
    # session, user, the filter form's organisations, targets, their changes, one grouped realisation query, and the
    # add form's organisations, target groups' sectors and advisers
    with django_assert_num_queries(9):
        response = client.get(reverse("targets"), {"year": 2024})
    assert response.content.decode().count('data-target="') == rows


def test_r52_coverage_page_and_manager_form(client, manager, adviser):
    sector = SectorFactory(name="Techniek", is_focus=True)
    client.force_login(manager)
    response = client.post(
        reverse("coverage"), {"year": 2025, "sector": sector.pk, "employers_10_plus": 120, "source": "KvK"}
    )
    assert response.status_code == 302
    html = client.get(reverse("coverage"), {"year": 2025}).content.decode()
    assert "Techniek" in html and "120" in html and "style=" not in html
    client.force_login(adviser)
    html = client.get(reverse("coverage"), {"year": 2025}).content.decode()
    assert 'id="coverage-enter"' not in html


def test_r52_adviser_cannot_enter_counts(client, adviser, target_counts):
    sector = SectorFactory()
    client.force_login(adviser)
    before = target_counts()
    client.post(reverse("coverage"), {"year": 2025, "sector": sector.pk, "employers_10_plus": 120})
    assert target_counts() == before and not SectorEmployerCount.objects.exists()


def test_r50_targets_are_read_only_in_the_admin(rf, manager):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = manager
    for model in (Target, SectorEmployerCount):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request)
