"""R-05: `last_contact_at` is kept by database triggers, whatever path writes the contact.

Contact = a contact moment (moves the clock to when it occurred, never backwards) or any entry in the employer's
audit trail (moves the clock to now).
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from employers import services
from employers.choices import ContactKind
from employers.models import AccountHolder, Employer
from tests.factories import AccountHolderFactory, ContactMomentFactory, UserFactory

pytestmark = pytest.mark.django_db

TWO_YEARS_AGO = timedelta(days=730)


def clock(employer: Employer):
    return Employer.objects.values_list("last_contact_at", flat=True).get(pk=employer.pk)


def assert_moved_to_now(employer: Employer, old) -> None:
    moved = clock(employer)
    assert moved > old
    assert abs(timezone.now() - moved) < timedelta(minutes=1)


def test_entering_an_employer_starts_the_clock_R05(employer):
    assert abs(timezone.now() - clock(employer)) < timedelta(minutes=1)


def test_contact_moment_moves_the_clock_to_when_it_occurred_R05(employer, adviser, set_last_contact, now):
    set_last_contact(employer, now - TWO_YEARS_AGO)
    occurred = now - timedelta(days=90)

    services.contact_moment_register(
        employer_id=employer.pk,
        by=adviser,
        kind=ContactKind.PHONE,
        occurred_at=occurred,
        summary="Gebeld over vacatures",
    )

    assert clock(employer) == occurred


def test_older_contact_moment_never_moves_the_clock_back_R05(employer, adviser, set_last_contact, now):
    recent = now - timedelta(days=30)
    set_last_contact(employer, recent)

    services.contact_moment_register(
        employer_id=employer.pk,
        by=adviser,
        kind=ContactKind.EMAIL,
        occurred_at=now - timedelta(days=200),
        summary="Mail nagekomen",
    )

    assert clock(employer) == recent


def test_contact_moment_written_past_the_services_moves_the_clock_too_R05(employer, set_last_contact, now):
    set_last_contact(employer, now - TWO_YEARS_AGO)
    moment = ContactMomentFactory(employer=employer, occurred_at=now - timedelta(days=3))
    assert clock(employer) == moment.occurred_at


def test_employer_edit_is_contact_and_moves_the_clock_to_now_R05(employer, other_adviser, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    services.employer_update(employer_id=employer.pk, by=other_adviser, data={"city": "Zandvoort"})

    assert_moved_to_now(employer, old)


def test_account_holder_change_moves_the_clock_to_now_R05(employer, colleague, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at
    holder = AccountHolderFactory(employer=employer, user=colleague)
    assert_moved_to_now(employer, old)

    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at
    holder.delete()
    assert not AccountHolder.objects.filter(employer=employer).exists()
    assert_moved_to_now(employer, old)


def test_contact_request_moves_the_clock_to_now_R05_R10(employer, adviser, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    services.contact_request_register(
        employer_id=employer.pk, by=adviser, received_at=now - timedelta(hours=2), question="Bel ons terug"
    )

    assert_moved_to_now(employer, old)


def test_bulk_update_is_recorded_in_the_audit_trail_and_counts_as_contact_R05(employer, set_last_contact, now):
    EmployerEvent = apps.get_model("employers", "EmployerEvent")
    other = UserFactory()
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at
    events_before = EmployerEvent.objects.filter(pgh_obj_id=employer.pk).count()

    Employer.objects.filter(pk=employer.pk).update(main_account_holder=other, city="Zandvoort")

    events = EmployerEvent.objects.filter(pgh_obj_id=employer.pk).order_by("pgh_id")
    assert events.count() == events_before + 1
    last = events.last()
    assert (last.pgh_label, last.main_account_holder_id, last.city) == ("update", other.pk, "Zandvoort")
    assert_moved_to_now(employer, old)


def test_moving_the_clock_itself_is_not_an_audit_trail_entry_R05(employer, now):
    EmployerEvent = apps.get_model("employers", "EmployerEvent")
    before = EmployerEvent.objects.filter(pgh_obj_id=employer.pk).count()
    Employer.objects.filter(pk=employer.pk).update(last_contact_at=now - TWO_YEARS_AGO)
    assert EmployerEvent.objects.filter(pgh_obj_id=employer.pk).count() == before
    assert clock(employer) == now - TWO_YEARS_AGO
