"""No backdating (R-22, R-57): a placement starts on or after the day the vacancy was received and the day the
candidate was proposed on it, and at most three months ahead, on booking and on correction, in the service, the API
and the browser, and behind them in the database. Corrections of the dates need a reason and are in the audit trail.
"""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from matching.choices import TargetGroup
from matching.models import Placement, PlacementEvent
from matching.services import placements as services
from wsp.errors import InvalidInput

from .placement_helpers import at, book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

API = "/api/v1/placements/"


@pytest.fixture
def received_a_month_ago(adviser):
    """A vacancy received 30 days ago, its candidate proposed and hired 20 days ago."""
    today = timezone.localdate()
    vacancy = make_vacancy(
        adviser, received_at=at(today - timedelta(days=30)), registered_at=at(today - timedelta(days=30), 11)
    )
    candidate = make_candidate(adviser, vacancy, work_ready_since=today - timedelta(days=90))
    referral = hire(vacancy, candidate, now=at(today - timedelta(days=20)))
    return vacancy, referral


def assert_invalid(call, *, code: str, rule: str, counts) -> InvalidInput:
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        call()
    assert (refused.value.code, refused.value.rule) == (code, rule)
    assert "start_date" in refused.value.fields
    assert counts() == before
    return refused.value


def test_a_placement_starting_200_days_before_the_vacancy_was_received_is_refused_R22_R57(adviser, counts):
    """The issue: "a placement starting 200 days before the vacancy was received is accepted and durable at once"."""
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    start = timezone.localdate(vacancy.received_at) - timedelta(days=200)

    refused = assert_invalid(
        lambda: book(adviser, referral, start_date=start), code="start_before_receipt", rule="R-22", counts=counts
    )

    assert timezone.localdate(vacancy.received_at).strftime("%d-%m-%Y") in str(refused.detail)
    assert not Placement.objects.exists()
    assert not Placement.objects.filter(is_durable=True).exists()
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.positions) == ("open", 1)


def test_a_placement_cannot_start_before_the_candidate_was_proposed_R22(adviser, received_a_month_ago, counts):
    _, referral = received_a_month_ago
    proposed_on = timezone.localdate(referral.referred_at)
    assert_invalid(
        lambda: book(adviser, referral, start_date=proposed_on - timedelta(days=1)),
        code="start_before_proposal",
        rule="R-22",
        counts=counts,
    )
    assert book(adviser, referral, start_date=proposed_on).start_date == proposed_on


def test_a_placement_is_booked_at_most_three_months_ahead_R57(adviser, received_a_month_ago, counts):
    _, referral = received_a_month_ago
    latest = timezone.localdate() + relativedelta(months=3)
    assert_invalid(
        lambda: book(adviser, referral, start_date=latest + timedelta(days=1)),
        code="start_too_far_ahead",
        rule="R-57",
        counts=counts,
    )
    assert book(adviser, referral, start_date=latest).start_date == latest


def test_a_correction_keeps_the_start_window_and_changes_nothing_when_refused_R22_R57(
    adviser, received_a_month_ago, counts
):
    vacancy, referral = received_a_month_ago
    placement = book(adviser, referral, start_date=timezone.localdate())
    events = PlacementEvent.objects.filter(pgh_obj=placement).count()
    for start, code, rule in (
        (timezone.localdate(vacancy.received_at) - timedelta(days=1), "start_before_receipt", "R-22"),
        (timezone.localdate(referral.referred_at) - timedelta(days=1), "start_before_proposal", "R-22"),
        (timezone.localdate() + relativedelta(months=3, days=1), "start_too_far_ahead", "R-57"),
    ):
        assert_invalid(
            lambda start=start: services.placement_correct(
                placement=placement, by=adviser, reason="Eerder begonnen", start_date=start
            ),
            code=code,
            rule=rule,
            counts=counts,
        )
    placement.refresh_from_db()
    assert placement.start_date == timezone.localdate()
    assert PlacementEvent.objects.filter(pgh_obj=placement).count() == events


def test_a_date_correction_needs_a_reason_and_is_in_the_audit_trail_on_the_page_R57(
    client, adviser, received_a_month_ago, counts
):
    _, referral = received_a_month_ago
    placement = book(adviser, referral, start_date=timezone.localdate())
    earlier = timezone.localdate() - timedelta(days=10)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.placement_correct(placement=placement, by=adviser, reason="  ", start_date=earlier)
    assert refused.value.code == "reason_required"
    assert counts() == before

    services.placement_correct(
        placement=placement, by=adviser, reason="Startte al eerder volgens contract", start_date=earlier
    )

    event = PlacementEvent.objects.filter(pgh_obj=placement).order_by("-pgh_id").first()
    assert event.start_date == earlier
    assert event.pgh_context.metadata["reason"] == "Startte al eerder volgens contract"
    assert event.pgh_context.metadata["action"] == "correct_placement"
    client.force_login(adviser)
    page = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert "Startte al eerder volgens contract" in page
    assert earlier.strftime("%d-%m-%Y") in page


def test_the_api_answers_400_with_the_field_and_the_rule_R22(adviser_client, adviser, counts):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    start = timezone.localdate(vacancy.received_at) - timedelta(days=200)
    before = counts()
    response = adviser_client.post(
        API,
        {
            "referral": referral.pk,
            "start_date": start.isoformat(),
            "hours_per_week": "32",
            "placement_type": "permanent",
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], body["rule"]) == ("start_before_receipt", "R-22")
    assert "start_date" in body["fields"]
    assert counts() == before

    placement = book(adviser, referral)
    response = adviser_client.patch(
        f"{API}{placement.pk}/", {"start_date": start.isoformat(), "reason": "Terugdateren"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "start_before_receipt")
    placement.refresh_from_db()
    assert placement.start_date == timezone.localdate()


def test_the_booking_form_shows_the_refusal_on_the_start_date_and_books_nothing_R22(client, adviser, counts):
    vacancy = make_vacancy(adviser)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    start = timezone.localdate(vacancy.received_at) - timedelta(days=200)
    client.force_login(adviser)
    before = counts()
    response = client.post(
        reverse("placement-book", args=[referral.pk]),
        {"placement_type": "permanent", "start_date": start.isoformat(), "hours_per_week": "32"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"]
    assert "vóór de vacature binnenkwam" in response.content.decode()
    assert counts() == before


def test_the_database_refuses_a_start_before_the_receipt_on_any_path_R22(adviser, received_a_month_ago):
    """Defence in depth: a bulk update past the services is refused by a trigger."""
    vacancy, referral = received_a_month_ago
    placement = book(adviser, referral, start_date=timezone.localdate())
    for start in (
        timezone.localdate(vacancy.received_at) - timedelta(days=1),
        timezone.localdate(referral.referred_at) - timedelta(days=1),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Placement.objects.filter(pk=placement.pk).update(start_date=start)
    placement.refresh_from_db()
    assert placement.start_date == timezone.localdate()


def test_on_a_partners_duplicate_the_originals_receipt_and_proposal_count_R22_R25(adviser, other_adviser):
    """The duplicate is received when the owner closes; the partner's candidate was proposed and hired on the
    original weeks before, and may have started then."""
    today = timezone.localdate()
    vacancy = make_vacancy(
        adviser,
        requested_positions=2,
        received_at=at(today - timedelta(days=40)),
        registered_at=at(today - timedelta(days=40), 11),
    )
    candidate = make_candidate(
        other_adviser, vacancy, target_group=TargetGroup.PWET, work_ready_since=today - timedelta(days=90)
    )
    hire(vacancy, candidate, now=at(today - timedelta(days=30)))
    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    carried = duplicate.referrals.get()

    with pytest.raises(InvalidInput) as refused:
        book(other_adviser, carried, start_date=today - timedelta(days=31))
    assert refused.value.code == "start_before_proposal"
    placement = book(other_adviser, carried, start_date=today - timedelta(days=25))
    assert placement.vacancy == duplicate
