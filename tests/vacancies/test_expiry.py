"""Expiry: owners are warned first, then stale vacancies expire (R-20: reactivate before booking). Idempotent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification
from tests.factories import VacancyFactory
from vacancies import services, tasks
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def state(vacancy: Vacancy) -> tuple[str, bool]:
    vacancy.refresh_from_db()
    return vacancy.status, vacancy.expiry_warned_at is not None


def test_warning_comes_within_the_warning_days_and_once(employer, now):
    today = timezone.localdate(now)
    soon = VacancyFactory(employer=employer, expires_on=today + timedelta(days=14))
    later = VacancyFactory(employer=employer, expires_on=today + timedelta(days=15))
    closed = VacancyFactory(
        employer=employer, expires_on=today + timedelta(days=1), status=VacancyStatus.CLOSED, closed_at=now
    )

    assert services.vacancies_warn_expiring(today=today, now=now) == [soon.pk]
    assert services.vacancies_warn_expiring(today=today, now=now) == []
    assert (state(soon), state(later), state(closed)) == (("open", True), ("open", False), ("closed", False))


def test_expiry_only_after_a_warning_on_an_earlier_day(employer, now):
    today = timezone.localdate(now)
    stale = VacancyFactory(employer=employer, expires_on=today - timedelta(days=1))

    # Never warned: not expired yet, whatever its date.
    assert services.vacancies_expire_stale(today=today, now=now) == []
    services.vacancies_warn_expiring(today=today, now=now)
    # Warned today: still not expired today...
    assert services.vacancies_expire_stale(today=today, now=now) == []
    # ...but the next day.
    tomorrow = today + timedelta(days=1)
    assert services.vacancies_expire_stale(today=tomorrow, now=now + timedelta(days=1)) == [stale.pk]
    assert services.vacancies_expire_stale(today=tomorrow, now=now + timedelta(days=1)) == []
    assert state(stale) == ("expired", True)


def test_expiry_is_in_the_history_and_not_contact_with_the_employer(employer, set_last_contact, now):
    stale = VacancyFactory(
        employer=employer,
        received_at=now - timedelta(days=200),
        registered_at=now - timedelta(days=200),
        expires_on=timezone.localdate(now) - timedelta(days=3),
    )
    Vacancy.objects.filter(pk=stale.pk).update(expiry_warned_at=now - timedelta(days=14))
    set_last_contact(employer, now - timedelta(days=100))

    services.vacancies_expire_stale(today=timezone.localdate(now), now=now)

    assert stale.events.latest("pgh_id").status == "expired"
    employer.refresh_from_db()
    assert employer.last_contact_at == now - timedelta(days=100)


def test_the_daily_task_mails_each_owner_once_then_expires(
    employer, adviser, colleague, now, django_capture_on_commit_callbacks
):
    """The warning is a notice on the owner's home page, e-mailed after the commit (at least once: accounts)."""
    today = timezone.localdate()
    first = VacancyFactory(employer=employer, title="Kok", expires_on=today + timedelta(days=3))
    second = VacancyFactory(employer=employer, title="Afwasser", expires_on=today + timedelta(days=5))
    theirs = VacancyFactory(employer=employer, owner=colleague, expires_on=today + timedelta(days=2))
    past = VacancyFactory(employer=employer, owner=colleague, expires_on=today - timedelta(days=2))
    Vacancy.objects.filter(pk=past.pk).update(expiry_warned_at=now - timedelta(days=16))

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_stale_vacancies.delay().get() == {"warned": 3, "expired": 1}

    assert Notification.objects.filter(kind="vacancy_expiring").count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [adviser.email, colleague.email]
    anna = next(message for message in mail.outbox if message.to == [adviser.email])
    assert "2 " in anna.subject and "Kok" in anna.body and "Afwasser" in anna.body
    assert (state(first), state(second), state(theirs), state(past)) == (
        ("open", True), ("open", True), ("open", True), ("expired", True),
    )  # fmt: skip

    # Idempotent: a second run the same day warns nobody again and expires nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_stale_vacancies.delay().get() == {"warned": 0, "expired": 0}
    assert len(mail.outbox) == 2


def test_extending_after_the_warning_warns_again_before_the_new_date(vacancy, adviser, now):
    today = timezone.localdate(now)
    Vacancy.objects.filter(pk=vacancy.pk).update(expires_on=today + timedelta(days=5))
    assert services.vacancies_warn_expiring(today=today, now=now) == [vacancy.pk]

    services.vacancy_extend(vacancy=vacancy, by=adviser, expires_on=today + timedelta(days=60))
    assert services.vacancies_warn_expiring(today=today, now=now) == []
    assert services.vacancies_warn_expiring(today=today + timedelta(days=50), now=now) == [vacancy.pk]
