"""Booked placements per month, kept by the database (R-50, R-55, R-57; `matching.summaries`).

The placement figures of whole months are read from `PlacementMonth`. These tests show that the trigger keeps it as
a recount from the records finds it (the same SQL the migration and the demo's bulk load run), after the services'
bookings, corrections, cancellations and durability checks and after writes that bypass the services (bulk updates,
deletes), and that the figures read from it equal the figures counted from the records, for whole and broken months.
"""

import contextlib
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from employers.choices import EmployerType
from matching.choices import PlacementStatus, ReferralStatus, TargetGroup
from matching.models import Placement, PlacementMonth, Referral
from matching.services import placements as placement_services
from matching.summaries import FILL
from reporting.measures.placements import booked_placements, placement_figures, placement_stats
from reporting.measures.registry import MEASURES
from reporting.measures.scope import Scope
from tests.factories import SectorFactory
from tests.reporting.factsheets.sql_data import Region
from wsp.errors import InvalidInput

from .placement_helpers import at, book, hire, make_candidate, make_vacancy
from .summary_helpers import assert_kept_as_recounted

pytestmark = pytest.mark.django_db

_CELL = (
    "month", "organisation_id", "target_group", "employer_type", "job_agreement", "sector_id", "is_durable",
    "placements", "job_agreement_jobs",
)  # fmt: skip


def _assert_kept_as_recounted() -> set[tuple]:
    kept = assert_kept_as_recounted(PlacementMonth, _CELL, FILL)
    assert all(cell[-2] > 0 for cell in kept)  # a cell that reached zero is gone
    return kept


def _live(first: date, last: date, **filters) -> dict:
    """The figures counted from the records themselves, as before the months were kept."""
    jobs = "job_agreement_jobs"
    found = (
        booked_placements(first=first, last=last)
        .filter(**filters)
        .aggregate(
            n=Count("id"),
            n_durable=Count("id", filter=Q(is_durable=True)),
            jobs=Sum(jobs, default=Decimal(0)),
            market=Sum(jobs, filter=Q(employer_type=EmployerType.MARKET), default=Decimal(0)),
            government=Sum(jobs, filter=Q(employer_type=EmployerType.GOVERNMENT), default=Decimal(0)),
        )
    )
    return {
        "placements": found["n"],
        "durable": found["n_durable"],
        "job_agreement_jobs": found["jobs"],
        "job_agreement_jobs_market": found["market"],
        "job_agreement_jobs_government": found["government"],
    }


def _assert_figures_equal_the_records(days: list[date]) -> None:
    """For whole months, broken months and single days around `days`: every figure, in total and per key."""
    for day in days:
        for first, last in (
            (day.replace(day=1), (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)),
            (day - timedelta(days=40), day + timedelta(days=40)),
            (day, day),
            (date(day.year, 1, 1), date(day.year, 12, 31)),
            (date(day.year - 1, 1, 1), day),
        ):
            assert placement_figures(first=first, last=last)[()] == _live(first, last)
            per_group = placement_figures(first=first, last=last, by=("target_group", "organisation_id"))
            for (target_group, organisation), figures in per_group.items():
                assert figures == _live(first, last, target_group=target_group, organisation_id=organisation)
            counted = booked_placements(first=first, last=last).values("target_group", "organisation_id").distinct()
            assert len(per_group) == counted.count()


def test_on_the_factsheet_region_the_months_are_what_a_recount_finds_R50_R57():
    Region()
    kept = _assert_kept_as_recounted()
    assert len(kept) > 5 and sum(cell[-2] for cell in kept) == Placement.objects.filter(status="booked").count()
    days = sorted(set(Placement.objects.values_list("start_date", flat=True)))
    _assert_figures_equal_the_records(days[:: max(1, len(days) // 6)])


def test_after_random_bookings_corrections_cancellations_and_durability_R50_R57(adviser, other_adviser):
    rng = random.Random(50)
    today = date.today()
    long_ago = timezone.now() - timedelta(days=450)
    vacancies = [
        make_vacancy(owner, requested_positions=9, received_at=long_ago, registered_at=long_ago)
        for owner in (adviser, other_adviser)
        for _ in range(4)
    ]
    for _ in range(36):
        action = rng.choice(["book", "book", "correct", "cancel", "durability", "rebook"])
        booked = list(Placement.objects.filter(status=PlacementStatus.BOOKED))
        if action == "book" or not booked:
            vacancy = rng.choice(vacancies)
            groups = [g for g in TargetGroup.values if TargetGroup.may_book(g, vacancy.owner.organisation.kind)]
            candidate = make_candidate(
                vacancy.owner, vacancy, target_group=rng.choice(sorted(groups)),
                job_agreement=rng.random() < 0.5,
                work_ready_since=long_ago.date(),
            )
            start = today - timedelta(days=rng.randrange(0, 400))
            book(vacancy.owner, hire(vacancy, candidate, now=at(start - timedelta(days=40))), start_date=start)
        elif action == "correct":
            placement = rng.choice(booked)
            fields = rng.choice(
                [
                    {"hours_per_week": str(rng.choice([12, 20, 30, 36]))},
                    {"start_date": placement.start_date + timedelta(days=rng.choice([-35, -3, 3, 35]))},
                ]
            )
            # Refused before the proposal, too far ahead or too short without conditions: then nothing moved.
            with contextlib.suppress(InvalidInput):
                placement_services.placement_correct(
                    placement=placement, by=placement.booked_by, reason="Fout", **fields
                )
        elif action == "cancel":
            placement = rng.choice(booked)
            placement_services.placement_cancel(placement=placement, by=placement.booked_by, reason="Niet begonnen")
        elif action == "durability":
            placement_services.placements_check_durability(today=today + timedelta(days=rng.randrange(0, 400)))
        elif action == "rebook":
            hired = Referral.objects.filter(status=ReferralStatus.HIRED).exclude(placements__status="booked")
            referral = hired.first()
            if referral is not None:
                book(referral.vacancy.owner, referral, start_date=today)
    assert Placement.objects.filter(status=PlacementStatus.CANCELLED).exists()
    assert PlacementMonth.objects.filter(is_durable__isnull=False).exists()
    _assert_kept_as_recounted()
    _assert_figures_equal_the_records([today, today - timedelta(days=200)])


def test_writes_around_the_services_are_followed_R50_R57(adviser, other_adviser):
    """Bulk updates of status, start date, sector and target group, an admin's delete: each moves the cells."""
    vacancy = make_vacancy(adviser, requested_positions=6)
    placements = [book(adviser, hire(vacancy, make_candidate(adviser, vacancy))) for _ in range(4)]
    _assert_kept_as_recounted()
    ids = [p.pk for p in placements]
    ahead = date.today() + timedelta(days=70)  # a month of its own
    Placement.objects.filter(pk=ids[0]).update(start_date=ahead)
    Placement.objects.filter(pk__in=ids[1:3]).update(sector=SectorFactory(), target_group=TargetGroup.WIA)
    Placement.objects.filter(pk=ids[3]).update(
        status=PlacementStatus.CANCELLED, cancel_reason="Dubbel", cancelled_at=timezone.now(), cancelled_by=adviser
    )
    _assert_kept_as_recounted()
    Placement.objects.filter(pk=ids[3]).update(
        status=PlacementStatus.BOOKED, cancel_reason="", cancelled_at=None, cancelled_by=None, job_agreement=True
    )
    Placement.objects.filter(pk=ids[0]).delete()
    kept = _assert_kept_as_recounted()
    assert sum(cell[-2] for cell in kept) == 3
    assert not PlacementMonth.objects.filter(month=ahead.replace(day=1)).exists()  # its cell reached zero
    _assert_figures_equal_the_records([date.today()])


def test_the_dashboard_figures_read_from_the_months_equal_their_records_R57(adviser):
    """A measure's value (from the months) is the aggregate of the records its drill-down lists."""
    weeks_ago = timezone.now() - timedelta(days=60)
    vacancy = make_vacancy(adviser, requested_positions=3, received_at=weeks_ago, registered_at=weeks_ago)
    for start in (date.today(), date.today() - timedelta(days=45)):
        candidate = make_candidate(adviser, vacancy, job_agreement=True, work_ready_since=weeks_ago.date())
        book(adviser, hire(vacancy, candidate, now=at(start - timedelta(days=5))), start_date=start)
    for quarter in (None, 1, 2, 3, 4):
        scope = Scope(year=date.today().year, quarter=quarter, organisation=adviser.organisation)
        for key in ("placements", "durable-placements", "job-agreement-jobs"):
            measure = MEASURES[key]
            from_records = measure.records(scope).aggregate(value=measure.aggregate())["value"] or 0
            assert measure.value(scope) == from_records
    stats = placement_stats(group_by="month", year=date.today().year)
    in_year = booked_placements(first=date(date.today().year, 1, 1), last=date(date.today().year, 12, 31)).count()
    assert stats.total.placements == in_year == sum(row.placements for row in stats.results) > 0
