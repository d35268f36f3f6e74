"""Aftercare ends placements (R-30, R-32): an aftercare contact that finds the candidate no longer employed ends the
placement on their last day, through the rules of a correction with the contact as its reason in the audit trail,
and durability is judged on the real duration."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from matching.choices import CandidateStatus, TargetGroup
from matching.models import AftercareContact, Placement, PlacementEvent
from matching.services import placements as services
from wsp.errors import InvalidInput

from .placement_helpers import at, book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

API = "/api/v1/placements/"


def running_since(owner, start: date, **fields) -> Placement:
    vacancy = make_vacancy(
        owner, received_at=at(start - timedelta(days=20)), registered_at=at(start - timedelta(days=20), 11)
    )
    group = TargetGroup.WW if owner.organisation.kind == "uwv" else TargetGroup.PWET
    candidate = make_candidate(owner, vacancy, target_group=group, work_ready_since=start - timedelta(days=60))
    referral = hire(vacancy, candidate, now=at(start - timedelta(days=10)))
    return book(owner, referral, start_date=start, now=at(start), **fields)


def test_no_longer_employed_ends_the_placement_on_the_last_day_with_the_contact_as_reason_R32(adviser):
    today = timezone.localdate()
    placement = running_since(adviser, today - relativedelta(months=2))  # UWV: durable after 6 months
    last_day = today - timedelta(days=5)

    contact = services.aftercare_register(
        placement=placement,
        by=adviser,
        occurred_at=timezone.now(),
        summary="Werkgever belde: contract in proeftijd beëindigd",
        still_employed=False,
        employment_ended_on=last_day,
    )

    placement.refresh_from_db()
    assert (contact.still_employed, contact.employment_ended_on) == (False, last_day)
    assert placement.end_date == last_day
    # R-30 on the real duration: it ended within the 6 months, so it is not durable (and that is known now).
    assert (placement.is_durable, placement.durability_checked_on) == (False, today)
    assert placement.aftercare_ended_at == contact.occurred_at and placement.next_aftercare_on is None
    event = PlacementEvent.objects.filter(pgh_obj=placement).order_by("-pgh_id").first()
    assert event.end_date == last_day
    assert event.pgh_context.metadata["action"] == "aftercare_ends_placement"
    assert last_day.strftime("%d-%m-%Y") in event.pgh_context.metadata["reason"]
    assert placement.correction_reason == event.pgh_context.metadata["reason"]
    placement.candidate.refresh_from_db()
    assert placement.candidate.status == CandidateStatus.AVAILABLE


def test_a_placement_that_lasted_more_than_3_months_stays_durable_when_it_ends_later_R30(other_adviser):
    today = timezone.localdate()
    placement = running_since(other_adviser, today - relativedelta(months=5))  # municipal: 3 months
    services.placements_check_durability(today=today)
    placement.refresh_from_db()
    assert placement.is_durable is True

    services.aftercare_register(
        placement=placement,
        by=other_adviser,
        occurred_at=timezone.now(),
        summary="Vertrokken naar andere baan",
        still_employed=False,
        employment_ended_on=today - timedelta(days=2),
    )
    placement.refresh_from_db()
    assert (placement.end_date, placement.is_durable) == (today - timedelta(days=2), True)


def test_an_earlier_end_stays_when_the_aftercare_finds_them_gone_later_R32(adviser):
    today = timezone.localdate()
    placement = running_since(
        adviser, today - relativedelta(months=2), end_date=today - timedelta(days=10), conditions="Tijdelijk project"
    )
    services.aftercare_register(
        placement=placement,
        by=adviser,
        occurred_at=timezone.now(),
        summary="Project afgerond",
        still_employed=False,
        employment_ended_on=today - timedelta(days=3),
    )
    placement.refresh_from_db()
    assert placement.end_date == today - timedelta(days=10)


@pytest.mark.parametrize(
    ("still_employed", "ended", "why"),
    [
        (False, None, "missing"),
        (False, "before_start", "before the start"),
        (False, "future", "in the future"),
        (False, "after_contact", "after the contact"),
        (True, "yesterday", "still employed with a last day"),
    ],
)
def test_the_last_day_is_checked_and_a_refusal_changes_nothing_R32(adviser, counts, still_employed, ended, why):
    today = timezone.localdate()
    start = today - relativedelta(months=2)
    placement = running_since(adviser, start)
    occurred = timezone.now() - timedelta(days=3)
    ended_on = {
        None: None,
        "before_start": start - timedelta(days=1),
        "future": today + timedelta(days=1),
        "after_contact": today - timedelta(days=1),
        "yesterday": today - timedelta(days=1),
    }[ended]
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.aftercare_register(
            placement=placement,
            by=adviser,
            occurred_at=occurred,
            summary="Nazorg",
            still_employed=still_employed,
            employment_ended_on=ended_on,
        )
    assert refused.value.rule == "R-32", why
    assert "employment_ended_on" in refused.value.fields
    assert counts() == before
    placement.refresh_from_db()
    assert (placement.end_date, placement.aftercare_ended_at) == (None, None)


def test_the_aftercare_form_on_the_placement_page_ends_the_placement_R32(client, adviser):
    today = timezone.localdate()
    placement = running_since(adviser, today - relativedelta(months=1))
    client.force_login(adviser)
    page = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert 'name="employment_ended_on"' in page and "Laatste werkdag" in page

    response = client.post(
        reverse("aftercare-register", args=[placement.pk]),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Niet meer in dienst",
            "employment_ended_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end_date == today - timedelta(days=1)
    page = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert "beëindigd via nazorg" in page and "Nazorgcontact van" in page


def test_the_api_records_the_last_day_and_defaults_it_to_the_day_of_the_contact_R32(adviser_client, adviser):
    today = timezone.localdate()
    placement = running_since(adviser, today - relativedelta(months=1))
    url = f"{API}{placement.pk}/aftercare/"
    response = adviser_client.post(
        url, {"summary": "Gestopt", "still_employed": False, "employment_ended_on": "1999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"employment_ended_on"}
    assert not AftercareContact.objects.exists()

    response = adviser_client.post(url, {"summary": "Gestopt", "still_employed": False}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["employment_ended_on"] == today.isoformat()
    placement.refresh_from_db()
    assert placement.end_date == today
    assert adviser_client.get(f"{API}{placement.pk}/").json()["end_date"] == today.isoformat()


def test_a_refused_aftercare_contact_in_the_browser_says_which_field_and_saves_nothing_R32(client, adviser, counts):
    placement = running_since(adviser, timezone.localdate() - relativedelta(months=1))
    client.force_login(adviser)
    before = counts()
    response = client.post(
        reverse("aftercare-register", args=[placement.pk]),
        {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "summary": "Gestopt"},
        follow=True,
    )
    assert "Vul de laatste werkdag van de kandidaat in (R-32)." in response.content.decode()
    assert counts() == before
