"""Manager pages (R-54, R-19): projects as in an evaluation table, events with a form to add one and to record reach.

No inline styles or scripts (CSP); constant query counts for the lists; refusals change nothing.
"""

from datetime import date

import pytest
from django.urls import reverse

from reporting.projects import services
from reporting.projects.models import ChannelReach, Event
from tests.factories import PlacementFactory

from .conftest import project_fields

pytestmark = pytest.mark.django_db


def _no_inline(html: str) -> None:
    assert "style=" not in html and "<style" not in html
    assert "<script>" not in html.replace("<script src", "") and "onclick=" not in html


def test_r54_project_page_shows_evaluation_table(client, manager, project):
    services.activity_target_change(by=manager, activity=project.activities.get(code="1"), date=date(2017, 5, 1),
                                    new=3, reason="change request approved")  # fmt: skip
    client.force_login(manager)
    listing = client.get(reverse("projects"))
    assert listing.status_code == 200 and "2016DW2012" in listing.content.decode()
    response = client.get(reverse("project-detail", args=[project.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.245.313" in html or "1,245,313" in html
    assert "83%" in html and "change request approved" in html and "Geen BSN" in html
    _no_inline(html)


def test_r01_adviser_cannot_open_project_pages(client, adviser, project):
    client.force_login(adviser)
    assert client.get(reverse("projects")).status_code == 302
    assert client.get(reverse("events")).status_code == 302


def test_r19_events_page_adds_event_and_reach(client, manager, uwv):
    client.force_login(manager)
    response = client.post(
        reverse("events"),
        {"form": "event", "event-kind": "job_fair", "event-title": "Banenmarkt", "event-date": "2024-04-11",
         "event-participants": "50", "event-organisers": [uwv.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert Event.objects.get().organisers.get() == uwv
    response = client.post(
        reverse("events"),
        {"form": "reach", "reach-year": "2024", "reach-quarter": "2", "reach-channel": "website", "reach-reach": "900"},
    )
    assert response.status_code == 302
    assert ChannelReach.objects.get().reach == 900
    html = client.get(reverse("events") + "?year=2024").content.decode()
    assert "Banenmarkt" in html and "900" in html
    _no_inline(html)


def test_r19_events_page_refusal_changes_nothing(client, manager, project_counts):
    client.force_login(manager)
    before = project_counts()
    response = client.post(
        reverse("events"),
        {"form": "reach", "reach-year": "2024", "reach-quarter": "2", "reach-channel": "website", "reach-reach": "-4"},
    )
    assert response.status_code == 200 and "kan niet negatief zijn" in response.content.decode()
    response = client.post(
        reverse("events"),
        {"form": "event", "event-kind": "job_fair", "event-title": "x", "event-date": "2024-04-11",
         "event-participants": "-1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert project_counts() == before


@pytest.mark.parametrize("n", [2, 20])
def test_r54_project_list_page_queries_do_not_grow(client, manager, django_assert_num_queries, n):
    for i in range(n):
        services.project_create(by=manager, **project_fields(numbers=[f"2016DW4{i:03d}"],
                                                             placements=[PlacementFactory().pk]))  # fmt: skip
    client.force_login(manager)
    # session, user, projects, numbers, executors, signatories, subsidy changes, activities, target changes,
    # placement links (with placements), events: the same at 2 and at 20 projects.
    with django_assert_num_queries(11):
        client.get(reverse("projects"))


@pytest.mark.parametrize("n", [2, 20])
def test_r19_event_list_page_queries_do_not_grow(client, manager, uwv, django_assert_num_queries, n):
    for i in range(n):
        services.event_create(by=manager, kind="job_fair", title=f"E{i}", date=date(2024, 1, 1 + i),
                              organisers=[uwv.pk], placements=[PlacementFactory().pk])  # fmt: skip
        services.reach_record(by=manager, year=2024, quarter=1 + i % 4, channel=["website", "linkedin"][i % 2],
                              reach=i)  # fmt: skip
    client.force_login(manager)
    # session, user, events (with project and candidate count), organisers, employers, referral and placement
    # links, reach rows, and the two forms' organisations and projects: the same at 2 and at 20 events.
    with django_assert_num_queries(10):
        client.get(reverse("events") + "?year=2024")
