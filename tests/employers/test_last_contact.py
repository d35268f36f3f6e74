"""R-05: the 12-month clock (`last_contact_at`) counts real contact only, whatever path writes it.

Contact is what the main account holder or an admitted account holder registered or changed about the employer: a
contact moment or visit (at the moment it occurred), a reported vacancy (at its receipt), a change of the record, a
response to a contact request. System jobs, cease and reactivation, merges, admission decisions and entries by
anyone else are not contact. Entering the employer starts the clock; a takeover, a reassignment or an agreed
ownership move starts the new main account holder's 12 months at that moment. The clock never moves back, and the
employer records which entry set it (`last_contact_source`, `last_contact_by`, `last_contact_object_id`).
"""

from datetime import timedelta

import pghistory
import pytest
from django.apps import apps
from django.utils import timezone

from employers import services
from employers.choices import ContactKind, LastContactSource
from employers.models import AccountHolder, Employer
from tests.factories import (
    AccessRequestFactory,
    AccountHolderFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

TWO_YEARS_AGO = timedelta(days=730)


def clock(employer: Employer):
    return Employer.objects.values_list("last_contact_at", flat=True).get(pk=employer.pk)


def source(employer: Employer) -> tuple:
    return Employer.objects.values_list("last_contact_source", "last_contact_by", "last_contact_object_id").get(
        pk=employer.pk
    )


def assert_moved_to_now(employer: Employer, old) -> None:
    moved = clock(employer)
    assert moved > old
    assert abs(timezone.now() - moved) < timedelta(minutes=1)


def test_entering_an_employer_starts_the_clock_R05(employer):
    assert abs(timezone.now() - clock(employer)) < timedelta(minutes=1)
    assert source(employer) == (LastContactSource.ENTERED, employer.main_account_holder_id, None)


def test_contact_moment_of_the_main_account_holder_moves_the_clock_to_when_it_occurred_R05(
    employer, adviser, set_last_contact, now
):
    set_last_contact(employer, now - TWO_YEARS_AGO)
    occurred = now - timedelta(days=90)

    moment = services.contact_moment_register(
        employer_id=employer.pk, by=adviser, kind=ContactKind.PHONE, occurred_at=occurred, summary="Gebeld"
    )

    assert clock(employer) == occurred
    assert source(employer) == (LastContactSource.CONTACT_MOMENT, adviser.pk, moment.pk)


def test_visit_of_an_admitted_account_holder_is_contact_R05(employer, colleague, set_last_contact, now):
    set_last_contact(employer, now - TWO_YEARS_AGO)
    AccountHolderFactory(employer=employer, user=colleague)

    visit = ContactMomentFactory(employer=employer, adviser=colleague, visit=True, occurred_at=now - timedelta(days=2))

    assert clock(employer) == visit.occurred_at
    assert source(employer) == (LastContactSource.VISIT, colleague.pk, visit.pk)


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


def test_contact_moment_written_past_the_services_is_judged_the_same_R05(employer, set_last_contact, now):
    set_last_contact(employer, now - TWO_YEARS_AGO)
    moment = ContactMomentFactory(employer=employer, occurred_at=now - timedelta(days=3))
    assert clock(employer) == moment.occurred_at


def test_contact_moment_of_someone_who_is_not_a_holder_is_not_contact_R05(
    employer, other_adviser, manager, set_last_contact, now
):
    """Neither another organisation's adviser nor a manager is the main account holder or an account holder."""
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    ContactMomentFactory(employer=employer, adviser=other_adviser, occurred_at=now - timedelta(days=1))
    ContactMomentFactory(employer=employer, adviser=manager, occurred_at=now - timedelta(hours=1))

    assert clock(employer) == old


def test_vacancy_registered_by_a_holder_is_contact_at_its_receipt_R05(employer, adviser, set_last_contact, now):
    set_last_contact(employer, now - TWO_YEARS_AGO)
    vacancy = VacancyFactory(employer=employer, received_at=now - timedelta(hours=5))
    assert clock(employer) == vacancy.received_at
    assert source(employer) == (LastContactSource.VACANCY, adviser.pk, vacancy.pk)


def test_vacancy_of_someone_else_and_a_partners_duplicate_are_not_contact_R05(
    employer, adviser, other_adviser, set_last_contact, now
):
    original = VacancyFactory(employer=employer)
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    VacancyFactory(employer=employer, owner=other_adviser, created_by=other_adviser)
    VacancyFactory(employer=employer, owner=other_adviser, created_by=adviser, duplicated_from=original)
    VacancyFactory(employer=employer, owner=other_adviser, created_by=adviser, parent=original)

    assert clock(employer) == old


def test_record_change_by_the_main_account_holder_is_contact_R05(employer, adviser, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    services.employer_update(employer_id=employer.pk, by=adviser, data={"city": "Zandvoort"})

    assert_moved_to_now(employer, old)
    assert source(employer) == (LastContactSource.RECORD_CHANGE, adviser.pk, None)


def test_record_change_by_someone_else_is_not_contact_R05(employer, manager, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    with pghistory.context(user=manager.pk):
        Employer.objects.filter(pk=employer.pk).update(city="Zandvoort")

    assert clock(employer) == old


def test_a_bulk_update_without_an_actor_is_recorded_but_is_not_contact_R05(employer, set_last_contact, now):
    EmployerEvent = apps.get_model("employers", "EmployerEvent")
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at
    events_before = EmployerEvent.objects.filter(pgh_obj_id=employer.pk).count()

    Employer.objects.filter(pk=employer.pk).update(city="Zandvoort")

    assert EmployerEvent.objects.filter(pgh_obj_id=employer.pk).count() == events_before + 1
    assert clock(employer) == old


def test_cease_and_reactivation_are_not_contact_R05_R09(employer, adviser, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=timezone.localdate())
    assert clock(employer) == old
    services.employer_reactivate(employer_id=employer.pk, by=adviser)
    assert clock(employer) == old


def test_admission_decisions_are_not_contact_R05_R04(employer, adviser, other_adviser, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at
    approved = AccessRequestFactory(employer=employer, requester=other_adviser)
    services.access_request_decide(request_id=approved.pk, by=adviser, approve=True)
    assert AccountHolder.objects.filter(employer=employer, user=other_adviser).exists()

    declined = AccessRequestFactory(employer=employer, requester=UserFactory())
    services.access_request_decide(request_id=declined.pk, by=adviser, approve=False)
    AccountHolder.objects.filter(employer=employer, user=other_adviser).delete()

    assert clock(employer) == old


def test_merge_is_not_contact_for_the_record_kept_R05_R07(employer, manager, set_last_contact, now):
    duplicate = EmployerFactory(name="Bakkerij Jansen BV", postcode="2011 AB")
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at
    set_last_contact(duplicate, now - TWO_YEARS_AGO)

    services.employer_merge(keep_id=employer.pk, merge_id=duplicate.pk, by=manager)

    assert clock(employer) == old


def test_response_to_a_contact_request_by_a_holder_is_contact_R05_R10(employer, adviser, set_last_contact, now):
    request = ContactRequestFactory(employer=employer, received_at=now - timedelta(hours=3))
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    services.contact_request_respond(request_id=request.pk, by=adviser, response="Teruggebeld")

    assert_moved_to_now(employer, old)
    assert source(employer) == (LastContactSource.CONTACT_RESPONSE, adviser.pk, request.pk)


def test_registering_a_contact_request_is_not_contact_R05_R10(employer, other_adviser, set_last_contact, now):
    old = set_last_contact(employer, now - TWO_YEARS_AGO).last_contact_at

    services.contact_request_register(
        employer_id=employer.pk, by=other_adviser, received_at=now - timedelta(hours=2), question="Bel ons terug"
    )

    assert clock(employer) == old


def test_takeover_starts_the_new_holders_12_months_R05(employer, other_adviser, set_last_contact, now):
    set_last_contact(employer, now - TWO_YEARS_AGO)

    services.employer_take_over(employer_id=employer.pk, by=other_adviser)

    assert abs(timezone.now() - clock(employer)) < timedelta(minutes=1)
    assert source(employer) == (LastContactSource.TAKEOVER, other_adviser.pk, None)


def test_reassignment_starts_the_receivers_12_months_R05(employer, adviser, colleague, manager, set_last_contact, now):
    set_last_contact(employer, now - TWO_YEARS_AGO)

    services.employers_reassign(from_user=adviser, to_users=[colleague], by=manager)

    assert abs(timezone.now() - clock(employer)) < timedelta(minutes=1)
    assert source(employer) == (LastContactSource.REASSIGNMENT, colleague.pk, None)


def test_moving_the_clock_itself_is_not_an_audit_trail_entry_R05(employer, now):
    EmployerEvent = apps.get_model("employers", "EmployerEvent")
    before = EmployerEvent.objects.filter(pgh_obj_id=employer.pk).count()
    Employer.objects.filter(pk=employer.pk).update(
        last_contact_at=now - TWO_YEARS_AGO, last_contact_source=LastContactSource.VISIT
    )
    assert EmployerEvent.objects.filter(pgh_obj_id=employer.pk).count() == before
    assert clock(employer) == now - TWO_YEARS_AGO


def test_every_non_contact_write_on_an_employer_runs_under_a_named_action_R05(
    employer, adviser, colleague, manager, set_last_contact, now
):
    """Cease, reactivation, takeover, reassignment, merge and purge each leave audit-trail entries with their action
    named, so none of them is counted as contact by the trigger."""
    from datetime import date

    EmployerEvent = apps.get_model("employers", "EmployerEvent")

    def actions_of(step) -> set:
        last = EmployerEvent.objects.order_by("-pgh_id").values_list("pgh_id", flat=True).first() or 0
        step()
        return {e.pgh_context.metadata.get("action") for e in EmployerEvent.objects.filter(pgh_id__gt=last)}

    set_last_contact(employer, now - TWO_YEARS_AGO)
    duplicate = EmployerFactory(name="Bakkerij Jansen VOF", postcode="2011 AB")
    steps = {
        "cease": lambda: services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=date(2024, 1, 1)),
        "reactivate": lambda: services.employer_reactivate(employer_id=employer.pk, by=adviser),
        "take_over": lambda: services.employer_take_over(employer_id=employer.pk, by=colleague),
        "reassign": lambda: services.employers_reassign(from_user=colleague, to_users=[adviser], by=manager),
        "merge": lambda: services.employer_merge(keep_id=employer.pk, merge_id=duplicate.pk, by=manager),
    }
    for action, step in steps.items():
        assert actions_of(step) == {action}, action
    services.employer_cease(employer_id=employer.pk, by=adviser, ceased_on=date(2020, 1, 1))
    VacancyFactory(employer=employer)
    assert actions_of(lambda: services.employers_purge_ceased(ceased_before=date(2021, 1, 1))) == {"purge"}
