"""Durable placements (R-30) and the daily task that decides them and reminds advisers of aftercare (R-32)."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.cache import cache
from django.utils import timezone, translation

from matching import tasks
from matching.choices import PlacementStatus
from matching.models import Placement
from matching.selectors import placements as selectors
from matching.services import placements as services
from tests.factories import PlacementFactory

from .placement_helpers import book, hire, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

START = date(2025, 1, 15)


def at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())


def booked(owner, **fields) -> Placement:
    """Booked on its start day, START, so durability is still open."""
    vacancy = make_vacancy(owner)
    group = "pwet" if owner.organisation.kind != "uwv" else "ww"
    fields.setdefault("start_date", START)
    referral = hire(vacancy, make_candidate(owner, vacancy, target_group=group))
    return book(owner, referral, now=at(fields["start_date"]), **fields)


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


def test_fewer_than_15_hours_is_never_durable_known_at_booking_R30(adviser):
    short = booked(adviser, hours_per_week=Decimal("14.5"))
    assert short.is_durable is False
    services.placements_check_durability(today=date(2026, 1, 1))
    assert decided(short) is False
    assert booked(adviser, hours_per_week=Decimal("15")).is_durable is None


def test_a_placement_ending_on_or_before_the_durability_day_is_not_durable_R30(adviser):
    placement = PlacementFactory(start_date=START, durable_after=START + relativedelta(months=6))
    Placement.objects.filter(pk=placement.pk).update(end_date=START + relativedelta(months=6))
    lasting = PlacementFactory(start_date=START, durable_after=START + relativedelta(months=6))
    Placement.objects.filter(pk=lasting.pk).update(end_date=START + relativedelta(months=6, days=1))

    result = services.placements_check_durability(today=date(2025, 3, 1))

    assert result.not_durable == [placement.pk]  # known before the day comes
    assert (decided(placement), decided(lasting)) == (False, None)
    services.placements_check_durability(today=date(2025, 7, 16))
    assert decided(lasting) is True


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
    PlacementFactory(booked_by=colleague, start_date=START, durable_after=date(2025, 7, 10))  # not mine
    booked(adviser, start_date=date(2025, 3, 1))  # durable after 1 September: not yet
    short = booked(adviser, hours_per_week=Decimal("10"))  # already decided: not durable

    due = selectors.placements_due_for_durability_check(user=adviser, today=today)

    assert [p.pk for p in due] == [soon.pk]
    assert short.pk not in [p.pk for p in due]


def test_the_daily_task_decides_and_reminds_each_adviser_once_of_aftercare_due_R30_R32(adviser, colleague):
    cache.clear()
    mine = [booked(adviser) for _ in range(2)]  # aftercare due 14 February
    other = booked(colleague)
    Placement.objects.filter(pk=other.pk).update(next_aftercare_on=date(2025, 2, 20))
    ended = booked(adviser)
    Placement.objects.filter(pk=ended.pk).update(next_aftercare_on=None, aftercare_ended_at="2025-02-01T10:00Z")

    with translation.override("en"):  # the reminder is written in the active language (Dutch by default)
        result = tasks.check_placement_durability.delay(today="2025-02-14").get()

    assert result["reminders"] == 1
    [message] = mail.outbox
    assert message.to == [adviser.email]
    for placement in mine:
        assert f"Placement {placement.pk} " in message.body
    assert f"Placement {ended.pk} " not in message.body
    # Personal data stays out of the e-mail: the candidate by id only.
    assert mine[0].candidate.last_name not in message.body

    # A retry the same day, or the next day, sends nothing new; a week later the overdue ones come up again.
    tasks.check_placement_durability(today="2025-02-14")
    tasks.check_placement_durability(today="2025-02-15")
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    tasks.check_placement_durability(today="2025-02-21")
    assert sorted(m.to[0] for m in mail.outbox) == [adviser.email]
    assert Placement.objects.filter(status=PlacementStatus.BOOKED).count() == 4
