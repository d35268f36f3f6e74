"""The funnel per month of registration, kept by the database (R-43, R-57; `matching.summaries`, `FunnelCell`).

The funnel of whole months is read from the cells. These tests show that the triggers keep them as a recount from
the records finds them (the same SQL the migration and the demo's bulk load run), after the services' work, after
writes that bypass the services, and after a request changes organisation or its employer changes sector; and that
the funnel read from them equals the funnel counted from its records (each stage's count and the median of its
records' days), for whole and for broken months, with and without filters.
"""

import random
from datetime import date, timedelta

import pytest
from django.db.models import Aggregate, FloatField
from django.utils import timezone

from employers.models import Employer
from matching.choices import PlacementStatus, ReferralStatus
from matching.models import FunnelCell, Placement, Referral, ReferralStatusChange
from matching.services import placements as placement_services
from matching.services import referrals as referral_services
from matching.summaries import FUNNEL_FILL
from reporting.measures.funnel import FUNNEL_STAGES, funnel_querysets, referral_funnel
from tests.factories import EmployerFactory, SectorFactory
from tests.reporting.factsheets.sql_data import Region
from vacancies.models import Vacancy

from .placement_helpers import at, book, hire, make_candidate, make_vacancy, propose
from .summary_helpers import assert_kept_as_recounted

pytestmark = pytest.mark.django_db


class _Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _assert_kept_as_recounted() -> set[tuple]:
    columns = ("month", "organisation_id", "sector_id", "stage", "days", "records")
    kept = assert_kept_as_recounted(FunnelCell, columns, FUNNEL_FILL)
    assert all(cell[-1] > 0 for cell in kept)  # a cell that reached zero is gone
    return kept


def _assert_funnel_is_its_records(date_from: date, date_to: date, **filters) -> None:
    funnel = referral_funnel(date_from=date_from, date_to=date_to, **filters)
    records = funnel_querysets(date_from=date_from, date_to=date_to, **filters)
    for stage in funnel.stages:
        assert stage.count == records[stage.stage].count(), stage
        if stage.stage != "registered":
            median = records[stage.stage].aggregate(m=_Median("days"))["m"]
            assert stage.median_days == (None if median is None else round(median, 1)), stage


def _assert_funnels_are_their_records(days: list[date], organisations=(), sectors=()) -> None:
    for day in days:
        month = day.replace(day=1)
        for first, last in (
            (month, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)),
            (day - timedelta(days=45), day + timedelta(days=20)),
            (date(day.year, 1, 1), date(day.year, 12, 31)),
        ):
            _assert_funnel_is_its_records(first, last)
            for organisation in organisations:
                _assert_funnel_is_its_records(first, last, organisation=organisation)
            for sector in sectors:
                _assert_funnel_is_its_records(first, last, sector=sector)


def test_on_the_factsheet_region_the_cells_are_what_a_recount_finds_R43():
    region = Region()
    kept = _assert_kept_as_recounted()
    assert {cell[3] for cell in kept} == set(FUNNEL_STAGES) - {"registered"}
    days = sorted({timezone.localdate(v.registered_at) for v in Vacancy.objects.exclude(registered_at=None)})
    _assert_funnels_are_their_records(
        days[:: max(1, len(days) // 4)], organisations=[region.uwv, region.gem], sectors=[region.care]
    )


def test_after_random_proposals_hires_bookings_and_cancellations_R43(adviser, other_adviser):
    rng = random.Random(43)
    long_ago = timezone.now() - timedelta(days=120)
    vacancies = [
        make_vacancy(owner, requested_positions=9, received_at=long_ago, registered_at=long_ago + timedelta(hours=3))
        for owner in (adviser, other_adviser)
        for _ in range(3)
    ]
    for _ in range(40):
        vacancy = rng.choice(vacancies)
        moment = at(timezone.localdate() - timedelta(days=rng.randrange(1, 100)), hour=rng.randrange(8, 18))
        action = rng.choice(["propose", "invite", "hire", "book", "cancel", "reject"])
        candidate = make_candidate(vacancy.owner, vacancy, work_ready_since=long_ago.date())
        if action == "propose":
            propose(vacancy, candidate, now=moment)
        elif action == "hire":
            hire(vacancy, candidate, now=moment)
        elif action in ("invite", "reject"):
            open_ones = Referral.objects.filter(status=ReferralStatus.PROPOSED)
            referral = open_ones.order_by("?").first()
            if referral is not None:
                status = ReferralStatus.INVITED if action == "invite" else ReferralStatus.REJECTED
                fields = {"reason": "past niet", "rejection_reason": "other"} if action == "reject" else {}
                referral_services.referral_set_status(
                    referral=referral, by=referral.vacancy.owner, status=status, **fields
                )
        elif action == "book":
            referral = Referral.objects.filter(status=ReferralStatus.HIRED, placements__isnull=True).first()
            if referral is not None:
                book(referral.vacancy.owner, referral)
        elif action == "cancel":
            placement = Placement.objects.filter(status=PlacementStatus.BOOKED).first()
            if placement is not None:
                placement_services.placement_cancel(placement=placement, by=placement.booked_by, reason="Afgezegd")
    assert Placement.objects.filter(status=PlacementStatus.BOOKED).exists()
    _assert_kept_as_recounted()
    _assert_funnels_are_their_records([timezone.localdate() - timedelta(days=60)], organisations=[adviser.organisation])


def test_writes_around_the_services_and_moved_requests_are_followed_R07_R43(adviser, other_adviser):
    """Status changes repaired in bulk, a referral deleted, a request handed to another organisation or moved to
    another employer (a merge), an employer whose sector changes: each moves the cells with it."""
    request = make_vacancy(adviser, requested_positions=5)
    partner = make_vacancy(other_adviser, employer=request.employer, parent=request)
    referrals = [hire(request, make_candidate(adviser, request)) for _ in range(3)]
    propose(request, make_candidate(adviser, request))
    book(adviser, referrals[0])
    partner_referral = propose(partner, make_candidate(other_adviser, partner))
    _assert_kept_as_recounted()
    hire_lines = ReferralStatusChange.objects.filter(referral=referrals[1], to_status=ReferralStatus.HIRED)
    hire_lines.update(changed_at=referrals[1].referred_at + timedelta(days=3))
    earlier = partner_referral.referred_at - timedelta(days=2)
    Referral.objects.filter(pk=partner_referral.pk).update(referred_at=earlier, status_changed_at=earlier)
    ReferralStatusChange.objects.filter(referral=referrals[2]).delete()
    Referral.objects.filter(pk=referrals[2].pk).delete()
    _assert_kept_as_recounted()
    # Handed to the other organisation, then its employer changes sector, then merged into another employer.
    Vacancy.objects.filter(pk=request.pk).update(organisation=other_adviser.organisation)
    cells = _assert_kept_as_recounted()
    assert {cell[1] for cell in cells} == {other_adviser.organisation.pk}
    Employer.objects.filter(pk=request.employer_id).update(sector=SectorFactory())
    _assert_kept_as_recounted()
    survivor = EmployerFactory(sector=SectorFactory())
    Vacancy.objects.filter(employer=request.employer_id).update(employer=survivor)
    cells = _assert_kept_as_recounted()
    assert {cell[2] for cell in cells} == {survivor.sector_id}
    Placement.objects.filter(referral=referrals[0]).update(
        status=PlacementStatus.CANCELLED, cancel_reason="Dubbel", cancelled_at=timezone.now(), cancelled_by=adviser
    )
    cells = _assert_kept_as_recounted()
    assert "booked" not in {cell[3] for cell in cells}
    _assert_funnels_are_their_records([timezone.localdate()], organisations=[other_adviser.organisation])
