"""Nightly monitoring (issue 8 point 10): everyone's worklist as a notice and an optional e-mail digest, counted in
grouped queries, idempotent per person and day, through the real Celery task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.choices import NotificationKind
from accounts.models import Notification
from employers.models import ContactRequest, Employer
from reporting import tasks
from reporting.monitoring import worklist_counts
from tests.factories import ContactRequestFactory, EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(adviser, other_adviser):
    now = timezone.now()
    old = EmployerFactory(main_account_holder=adviser)
    Employer.objects.filter(pk=old.pk).update(last_contact_at=now - timedelta(days=360))
    request = ContactRequestFactory(employer=old, received_at=now - timedelta(hours=30))
    ContactRequest.objects.filter(pk=request.pk).update(responded_at=None)
    return old


def test_the_worklist_counts_what_needs_each_person_R05_R10(adviser, other_adviser, work):
    counts = worklist_counts(today=timezone.localdate())
    assert counts[adviser.pk]["nearing_takeover"] == 1
    assert counts[adviser.pk]["overdue_contact_requests"] == 1
    assert other_adviser.pk not in counts or "nearing_takeover" not in counts[other_adviser.pk]


def test_the_nightly_task_leaves_one_notice_per_person_and_day_and_a_rerun_adds_nothing(
    adviser, work, django_capture_on_commit_callbacks
):
    adviser.daily_digest_email = True
    adviser.save(update_fields=["daily_digest_email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_worklists.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_worklists.delay().get() == 0  # keyed per person and day
    notices = Notification.objects.filter(user=adviser, kind=NotificationKind.WORKLIST)
    assert notices.count() == 1
    assert "12" in notices.get().body and "24" in notices.get().body
    assert len([m for m in mail.outbox if adviser.email in m.to]) == 1


def test_without_the_digest_there_is_a_notice_and_no_e_mail(adviser, work, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_worklists.delay()
    assert Notification.objects.filter(user=adviser, kind=NotificationKind.WORKLIST).exists()
    assert not [m for m in mail.outbox if adviser.email in m.to]


def test_the_worklist_costs_the_same_queries_whatever_the_data(adviser, django_assert_max_num_queries):
    seen = []
    for n in (1, 10):
        for _ in range(n):
            employer = EmployerFactory(main_account_holder=adviser)
            Employer.objects.filter(pk=employer.pk).update(last_contact_at=timezone.now() - timedelta(days=360))
        with django_assert_max_num_queries(10) as queries:
            worklist_counts(today=timezone.localdate())
        seen.append(len(queries.captured_queries))
    assert seen[0] == seen[1]


def test_a_staff_member_chooses_the_daily_e_mail_for_themself(client, adviser):
    client.force_login(adviser)
    assert client.post("/meldingen/dagelijks-per-e-mail/", {"enabled": "on"}).status_code == 302
    adviser.refresh_from_db()
    assert adviser.daily_digest_email is True
    client.post("/meldingen/dagelijks-per-e-mail/", {"enabled": "off"})
    adviser.refresh_from_db()
    assert adviser.daily_digest_email is False
    assert client.get("/meldingen/dagelijks-per-e-mail/").status_code == 405


def test_managers_worklist_names_funding_that_ends_without_cover_R53(manager, adviser):
    from decimal import Decimal

    from reporting.budgets import services as budget_services
    from reporting.budgets.choices import LineKind

    today = timezone.localdate()
    budget_services.budget_create(
        by=manager, year=today.year,
        lines=[{"kind": LineKind.PERSONNEL, "label": "Jobhunter", "planned": Decimal("37000"),
                "funded_until": today + timedelta(days=30), "uncovered": Decimal("12000")}],
    )  # fmt: skip
    counts = worklist_counts(today=today)
    assert counts[manager.pk]["budget_warnings"] == 1
    assert "budget_warnings" not in counts.get(adviser.pk, {})
