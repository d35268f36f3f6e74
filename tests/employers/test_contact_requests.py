"""R-10: an employer that asks for contact gets a response within 24 hours; requests and response times are kept."""

from datetime import timedelta

import pytest

from employers import services
from employers.models import ContactRequest
from tests.factories import ContactRequestFactory, EmployerFactory
from wsp.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def test_request_goes_to_the_fixed_contact_the_main_account_holder_R10(employer, adviser, other_adviser, now):
    request = services.contact_request_register(
        employer_id=employer.pk, by=other_adviser, received_at=now - timedelta(hours=1), question=" Bel terug "
    )
    assert (request.assigned_to, request.question, request.responded_within_24h) == (adviser, "Bel terug", None)
    assert request.due_at == request.received_at + timedelta(hours=24)


def test_request_received_in_the_future_or_for_unknown_employer_is_refused_R10(employer, adviser, now, counts):
    before = counts()
    with pytest.raises(InvalidInput):
        services.contact_request_register(
            employer_id=employer.pk, by=adviser, received_at=now + timedelta(hours=1), question="?"
        )
    with pytest.raises(InvalidInput) as unknown:
        services.contact_request_register(employer_id=999_999_999, by=adviser, received_at=now, question="?")
    assert "employer" in unknown.value.fields
    assert counts() == before


@pytest.mark.parametrize(("hours", "within"), [(1, True), (24, True), (25, False)])
def test_response_time_decides_within_24h_R10(employer, adviser, now, hours, within):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=30))

    answered = services.contact_request_respond(
        request_id=request.pk,
        by=adviser,
        response="Teruggebeld",
        responded_at=request.received_at + timedelta(hours=hours),
    )

    assert answered.responded_within_24h is within
    assert answered.responded_by == adviser


def test_respond_twice_is_a_conflict_R10(employer, adviser, now, counts):
    request = ContactRequestFactory(employer=employer)
    services.contact_request_respond(request_id=request.pk, by=adviser, response="Teruggebeld")
    first = ContactRequest.objects.get(pk=request.pk).responded_at
    before = counts()
    with pytest.raises(Conflict):
        services.contact_request_respond(request_id=request.pk, by=adviser, response="Nogmaals")
    request.refresh_from_db()
    assert (request.responded_at, request.response) == (first, "Teruggebeld")
    assert counts() == before


@pytest.mark.parametrize("offset", [timedelta(minutes=-1), timedelta(days=2)])
def test_response_before_the_request_or_in_the_future_is_refused_R10(employer, adviser, now, counts, offset):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=1))
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.contact_request_respond(
            request_id=request.pk, by=adviser, response="Gebeld", responded_at=request.received_at + offset
        )
    assert "responded_at" in refused.value.fields
    request.refresh_from_db()
    assert request.responded_at is None
    assert counts() == before


def test_empty_response_is_refused_R10(employer, adviser):
    request = ContactRequestFactory(employer=employer)
    with pytest.raises(InvalidInput):
        services.contact_request_respond(request_id=request.pk, by=adviser, response="  ")
    request.refresh_from_db()
    assert request.responded_at is None


def test_flag_overdue_marks_unanswered_requests_past_24h_once_R10(now):
    employer = EmployerFactory()
    overdue = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=25))
    ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=23))  # still within its 24 hours
    answered = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=30))
    services.contact_request_respond(
        request_id=answered.pk,
        by=employer.main_account_holder,
        response="Gebeld",
        responded_at=now - timedelta(hours=29),
    )

    assert services.contact_requests_flag_overdue(now=now) == [overdue.pk]
    assert ContactRequest.objects.get(pk=overdue.pk).overdue_notified_at == now
    # Flagged once: a second run finds nothing new.
    assert services.contact_requests_flag_overdue(now=now + timedelta(minutes=30)) == []
