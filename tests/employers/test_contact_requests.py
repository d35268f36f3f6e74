"""R-10: an employer that asks for contact gets a response within 24 hours; requests and response times are kept."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings
from django.utils import translation

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


# --- the response moment is when it is recorded; an earlier moment may be stated, and stays visible --------


def test_response_without_a_stated_moment_is_the_moment_it_is_recorded_R10(employer, adviser, now):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=3))

    answered = services.contact_request_respond(request_id=request.pk, by=adviser, response="Gebeld", now=now)

    answered.refresh_from_db()
    assert answered.responded_at == answered.response_recorded_at == now
    assert answered.response_stated_afterwards is False
    assert answered.responded_within_24h is True


def test_an_earlier_stated_moment_is_kept_flagged_and_decides_the_24_hours_R10(employer, adviser, now):
    """Answered by phone two hours after the request, entered 30 hours after it: within 24 hours, stated after."""
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=30))
    phoned = request.received_at + timedelta(hours=2)

    answered = services.contact_request_respond(
        request_id=request.pk, by=adviser, response="Telefonisch beantwoord", responded_at=phoned, now=now
    )

    answered.refresh_from_db()
    assert (answered.responded_at, answered.response_recorded_at) == (phoned, now)
    assert answered.response_stated_afterwards is True
    assert answered.responded_within_24h is True


def test_a_stated_moment_just_ahead_of_the_clock_is_the_moment_of_recording_R10(employer, adviser, now):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=1))
    answered = services.contact_request_respond(
        request_id=request.pk, by=adviser, response="Gebeld", responded_at=now + timedelta(minutes=2), now=now
    )
    assert (answered.responded_at, answered.response_stated_afterwards) == (now, False)


@pytest.mark.parametrize("offset", [timedelta(seconds=-1), timedelta(hours=3)])
def test_stated_moment_before_receipt_or_in_the_future_is_400_and_changes_nothing_R10(
    employer, adviser, now, counts, offset
):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=2))
    moment = request.received_at + offset if offset < timedelta(0) else now + offset
    before = counts()

    with pytest.raises(InvalidInput) as refused:
        services.contact_request_respond(
            request_id=request.pk, by=adviser, response="Gebeld", responded_at=moment, now=now
        )

    assert (refused.value.status_code, refused.value.rule, list(refused.value.fields)) == (
        400,
        "R-10",
        ["responded_at"],
    )
    request.refresh_from_db()
    assert (request.responded_at, request.response_recorded_at, request.response) == (None, None, "")
    assert counts() == before


def test_a_response_written_past_the_service_gets_its_recorded_moment_from_the_database_R10_R57(employer, adviser):
    """A bulk update (an import, a script) cannot hide that the moment was set afterwards: the database records
    when it happened, and moving an answered moment into the past is recorded again."""
    request = ContactRequestFactory(employer=employer)
    ContactRequest.objects.filter(pk=request.pk).update(
        responded_at=request.received_at + timedelta(minutes=5), responded_by=adviser, response="Gebeld"
    )
    request.refresh_from_db()
    assert request.response_recorded_at is not None
    assert request.response_stated_afterwards is True
    first_recorded = request.response_recorded_at

    ContactRequest.objects.filter(pk=request.pk).update(responded_at=request.received_at + timedelta(minutes=1))
    request.refresh_from_db()
    assert request.response_recorded_at >= first_recorded
    assert request.response_stated_afterwards is True


def test_the_database_refuses_a_response_moment_after_its_recording_R10(employer, adviser, now):
    from django.db import IntegrityError, transaction

    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=2))
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactRequest.objects.filter(pk=request.pk).update(
            responded_at=now - timedelta(minutes=5), response_recorded_at=now - timedelta(minutes=10)
        )
    request.refresh_from_db()
    assert request.responded_at is None


def test_anyone_answering_another_advisers_contact_request_is_refused_R10_R04(
    employer, other_adviser, colleague, now, counts
):
    """Security defect: "Anyone answers another adviser's contact request"."""
    from wsp.errors import RuleRefused

    request = ContactRequestFactory(employer=employer)
    before = counts()
    for outsider in (other_adviser, colleague):
        with pytest.raises(RuleRefused) as refused:
            services.contact_request_respond(request_id=request.pk, by=outsider, response="Ik bel wel")
        assert (refused.value.code, refused.value.rule) == ("admission_required", "R-04")
    request.refresh_from_db()
    assert (request.responded_at, request.responded_by, request.response) == (None, None, "")
    assert counts() == before


def test_open_requests_follow_the_main_account_holder_on_takeover_and_reassignment_R10_R05(
    employer, adviser, colleague, other_adviser, manager, set_last_contact, now
):
    open_request = ContactRequestFactory(employer=employer)
    answered = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=5))
    services.contact_request_respond(request_id=answered.pk, by=adviser, response="Gebeld")
    set_last_contact(employer, now - timedelta(days=400))

    services.employer_take_over(employer_id=employer.pk, by=colleague)
    assert ContactRequest.objects.get(pk=open_request.pk).assigned_to == colleague
    assert ContactRequest.objects.get(pk=answered.pk).assigned_to == adviser  # the record of who had it stays

    services.employers_reassign(from_user=colleague, to_users=[adviser], by=manager)
    assert ContactRequest.objects.get(pk=open_request.pk).assigned_to == adviser


# --- moments far in the past --------------------------------------------------------------------------------


def test_a_request_received_before_2000_is_refused_with_a_field_error_R10(employer, adviser, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused, translation.override("nl"):
        services.contact_request_register(
            employer_id=employer.pk, by=adviser, received_at=datetime(1999, 12, 31, 23, tzinfo=UTC), question="?"
        )
    assert refused.value.rule == "R-10"
    with translation.override("nl"):
        assert [str(m) for m in refused.value.fields["received_at"]] == ["Kies een moment na 1 januari 2000."]
    assert counts() == before


# --- the overdue e-mail goes out at least once --------------------------------------------------------------


class RefusingMailServer(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_overdue_request_whose_e_mail_failed_is_not_flagged_and_is_mailed_on_the_retry_R10(now):
    """Before: the request was flagged before the e-mail and `fail_silently=True` swallowed the SMTP error, so the
    adviser was never told and the request never came up again."""
    from employers.tasks import flag_overdue_contact_requests

    overdue = ContactRequestFactory(employer=EmployerFactory(), received_at=now - timedelta(hours=25))
    refusing = override_settings(EMAIL_BACKEND="tests.employers.test_contact_requests.RefusingMailServer")
    with refusing, pytest.raises(Retry) as retry:
        flag_overdue_contact_requests.delay()
    assert isinstance(retry.value.exc, smtplib.SMTPException)
    overdue.refresh_from_db()
    assert overdue.overdue_notified_at is None and mail.outbox == []

    assert flag_overdue_contact_requests.delay().get() == 1  # the mail server is back
    overdue.refresh_from_db()
    assert overdue.overdue_notified_at is not None
    assert [m.to for m in mail.outbox] == [[overdue.assigned_to.email]]
    assert flag_overdue_contact_requests.delay().get() == 0  # told once
    assert len(mail.outbox) == 1


def test_the_overdue_task_retries_on_smtp_and_connection_errors_R10():
    from employers.tasks import flag_overdue_contact_requests

    assert issubclass(smtplib.SMTPException, flag_overdue_contact_requests.autoretry_for)
    assert issubclass(ConnectionResetError, flag_overdue_contact_requests.autoretry_for)
    assert flag_overdue_contact_requests.retry_backoff
