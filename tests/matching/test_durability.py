"""Durable placements (R-30): only time that has passed counts; the daily task that decides them and reminds advisers
of aftercare once per day, recorded in the database (R-32)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import translation

from accounts.choices import NotificationKind
from accounts.models import Notification
from matching import tasks
from matching.choices import PlacementStatus, TargetGroup
from matching.models import Placement
from matching.selectors import placements as selectors
from matching.services import placements as services

from .placement_helpers import at, book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

START = date(2025, 1, 15)


def booked(owner, **fields) -> Placement:
    """Received ten days before, hired the day before and booked on its start day, so durability is still open."""
    start = fields.setdefault("start_date", START)
    received = start - timedelta(days=10)
    vacancy = make_vacancy(owner, received_at=at(received), registered_at=at(received, 10))
    group = TargetGroup.PWET if owner.organisation.kind != "uwv" else TargetGroup.WW
    candidate = make_candidate(owner, vacancy, target_group=group, work_ready_since=start - timedelta(days=60))
    referral = hire(vacancy, candidate, now=at(start - timedelta(days=1)))
    if Decimal(str(fields.get("hours_per_week", "32"))) < 15 or fields.get("end_date"):
        fields.setdefault("conditions", "Na drie maanden evaluatie; jobcoach betrokken")
    return book(owner, referral, now=at(start), **fields)


def decided(placement: Placement):
    placement.refresh_from_db()
    return placement.is_durable


def test_durable_after_more_than_6_months_for_uwv_and_3_for_municipalities_R30(adviser, other_adviser):
    uwv, municipal = booked(adviser), booked(other_adviser)
    assert uwv.durable_after == START + relativedelta(months=6) == date(2025, 7, 15)
    assert municipal.durable_after == START + relativedelta(months=3) == date(2025, 4, 15)

    # On the day itself not yet: "more than" 3 or 6 months.
    services.placements_check_durability(today=date(2025, 4, 15))
    assert (decided(uwv), decided(municipal)) == (None, None)

    result = services.placements_check_durability(today=date(2025, 4, 16))
    assert result.durable == [municipal.pk]
    assert (decided(uwv), decided(municipal)) == (None, True)

    result = services.placements_check_durability(today=date(2025, 7, 16))
    assert result.durable == [uwv.pk]
    assert decided(uwv) is True
    uwv.refresh_from_db()
    assert uwv.durability_checked_on == date(2025, 7, 16)


def test_fewer_than_15_hours_is_never_durable_known_at_booking_and_said_so_R30(adviser):
    short = booked(adviser, hours_per_week=Decimal("14.5"))
    assert short.is_durable is False
    services.placements_check_durability(today=date(2026, 1, 1))
    assert decided(short) is False
    assert booked(adviser, hours_per_week=Decimal("15")).is_durable is None
    with translation.override("nl"):
        outlook = selectors.durability_outlook(
            start_date=START, hours_per_week=Decimal("14.5"), end_date=None, organisation_kind="uwv", today=START
        )
    assert outlook.counts is False and outlook.short
    assert "telt niet als duurzame plaatsing" in outlook.text.lower()


def test_a_future_end_date_decides_nothing_ahead_of_time_R30(adviser):
    """R-30: only time that has passed counts. A fixed end within the durable period is not "not durable" until that
    end has really come (a contract may be extended); a fixed end after it is not "durable" before the months passed."""
    ends_early = booked(adviser, end_date=START + relativedelta(months=4))
    ends_late = booked(adviser, end_date=START + relativedelta(months=8))
    assert (ends_early.is_durable, ends_late.is_durable) == (None, None)

    services.placements_check_durability(today=START + relativedelta(months=4))  # the last day itself
    assert (decided(ends_early), decided(ends_late)) == (None, None)
    result = services.placements_check_durability(today=START + relativedelta(months=4, days=1))
    assert result.not_durable == [ends_early.pk]
    assert (decided(ends_early), decided(ends_late)) == (False, None)
    services.placements_check_durability(today=date(2025, 7, 15))
    assert decided(ends_late) is None
    services.placements_check_durability(today=date(2025, 7, 16))
    assert decided(ends_late) is True


def test_durability_follows_a_correction_of_the_end_on_the_real_duration_R30(adviser):
    placement = booked(adviser, end_date=START + relativedelta(months=4))
    extended = services.placement_correct(
        placement=placement,
        by=adviser,
        reason="Contract verlengd",
        end_date=START + relativedelta(months=12),
        now=at(START + relativedelta(months=3)),
    )
    assert extended.is_durable is None
    services.placements_check_durability(today=date(2025, 7, 16))
    assert decided(placement) is True


def test_the_check_is_idempotent_and_leaves_cancelled_placements_alone_R30(adviser):
    placement = booked(adviser)
    cancelled = booked(adviser)
    services.placement_cancel(placement=cancelled, by=adviser, reason="Niet gestart", now=at(START))
    first = services.placements_check_durability(today=date(2025, 8, 1))
    placement.refresh_from_db()
    updated_at = placement.updated_at

    second = services.placements_check_durability(today=date(2025, 8, 2))

    assert (first.durable, second.durable, second.not_durable) == ([placement.pk], [], [])
    placement.refresh_from_db()
    assert (placement.updated_at, placement.durability_checked_on) == (updated_at, date(2025, 8, 1))
    assert decided(cancelled) is None


def test_durability_checks_due_on_the_advisers_home_page_R30(adviser, colleague):
    today = date(2025, 7, 5)
    soon = booked(adviser)  # durable after 15 July: within the 14 days
    booked(colleague, start_date=date(2025, 1, 10))  # not mine
    booked(adviser, start_date=date(2025, 3, 1))  # durable after 1 September: not yet
    short = booked(adviser, hours_per_week=Decimal("10"))  # already decided: not durable

    due = selectors.placements_due_for_durability_check(user=adviser, today=today)

    assert [p.pk for p in due] == [soon.pk]
    assert short.pk not in [p.pk for p in due]


def test_the_daily_task_reminds_each_adviser_once_a_day_recorded_in_the_database_R32(
    adviser, colleague, django_capture_on_commit_callbacks
):
    """Security defect: the "send once" guard lived in per-process memory. The reminder is now a notice keyed per
    adviser and day (once-only by a unique constraint), so a second run, a retry or another worker sends nothing."""
    mine = [booked(adviser) for _ in range(2)]  # aftercare due 14 February
    other = booked(colleague)
    Placement.objects.filter(pk=other.pk).update(next_aftercare_on=date(2025, 2, 20))
    ended = booked(adviser)
    Placement.objects.filter(pk=ended.pk).update(next_aftercare_on=None, aftercare_ended_at="2025-02-01T10:00Z")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        result = tasks.check_placement_durability.delay(today="2025-02-14").get()
        tasks.check_placement_durability(today="2025-02-14")  # run twice the same day

    assert result["reminders"] == 1
    [message] = mail.outbox
    assert message.to == [adviser.email]
    for placement in mine:
        assert f"Placement {placement.pk} " in message.body
    assert f"Placement {ended.pk} " not in message.body
    # Personal data stays out of the e-mail: the candidate by id only.
    assert mine[0].candidate.last_name not in message.body
    [notice] = Notification.objects.filter(kind=NotificationKind.AFTERCARE_DUE)
    assert (notice.user, notice.key, notice.emailed_at is not None) == (adviser, "aftercare:2025-02-14", True)

    # The next day sends nothing new; a week later the overdue ones come up again, once.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_placement_durability(today="2025-02-15")
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_placement_durability(today="2025-02-21")
        tasks.check_placement_durability(today="2025-02-21")
    assert sorted(m.to[0] for m in mail.outbox) == [adviser.email]
    assert Notification.objects.filter(kind=NotificationKind.AFTERCARE_DUE, user=adviser).count() == 2
    assert Placement.objects.filter(status=PlacementStatus.BOOKED).count() == 4


def test_no_cache_is_involved_in_the_reminder_guard_R32(adviser, django_capture_on_commit_callbacks):
    """The guard survives a cleared cache (a restarted process, another worker): the database decides."""
    from django.core.cache import cache

    booked(adviser)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_placement_durability(today="2025-02-14")
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.check_placement_durability(today="2025-02-14")
    assert len(mail.outbox) == 1


def test_the_reminder_is_composed_by_the_service_and_the_task_only_adapts_R32(adviser, colleague):
    """STYLE habit 8 (the review): the task fetches and calls a service; the service composes and sends the reminder,
    so the reminder is the same from any caller. The placements it is given decide it: only those due today or a
    week after, per booker."""
    mine = booked(adviser)
    theirs = booked(colleague)
    Placement.objects.filter(pk=theirs.pk).update(next_aftercare_on=date(2025, 2, 10))  # due 4 days ago: not today
    due = selectors.placements_aftercare_due(today=date(2025, 2, 14))
    with translation.override("nl"):
        assert services.aftercare_reminders_send(placements=due, today=date(2025, 2, 14)) == 1
    [notice] = Notification.objects.filter(kind=NotificationKind.AFTERCARE_DUE)
    assert notice.user == adviser and f"Plaatsing {mine.pk} " in notice.body
    assert services.remind_today(date(2025, 2, 10), date(2025, 2, 17)) and not services.remind_today(
        date(2025, 2, 10), date(2025, 2, 14)
    )
    with open(tasks.__file__) as module:
        source = module.read()
    assert " notify(" not in source and "gettext" not in source and "import " not in source.split("def ", 1)[1]
