"""Referrals per month, kept by the database (R-21, R-55, R-57; `matching.summaries`, `ReferralMonth`).

`stats/referrals/` reads whole months from `ReferralMonth`. These tests show that the triggers keep it as a recount
from the records finds it (the same SQL the migration and the demo's bulk load run), after the services' proposals
and status changes, after writes around the services, and after a vacancy, an employer or a candidate changes what
its referrals are counted by; and that the rows read from it are the rows counted from the records.
"""

import dataclasses
import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from employers.models import Employer
from matching.choices import ReferralStatus, TargetGroup
from matching.models import Candidate, Referral, ReferralMonth, ReferralStatusChange
from matching.services import referrals as referral_services
from matching.summaries import REFERRAL_MONTH_FILL
from reporting.measures import grouped
from reporting.measures.scope import Scope
from tests.factories import EmployerFactory, SectorFactory
from tests.reporting.factsheets.sql_data import Region
from vacancies.models import Vacancy

from .placement_helpers import at, hire, make_candidate, make_vacancy, propose
from .summary_helpers import assert_kept_as_recounted

pytestmark = pytest.mark.django_db

_CELL = (
    "month", "vacancy_organisation_id", "sector_id", "candidate_organisation_id", "target_group", "records", "hired",
)  # fmt: skip


def _assert_kept_as_recounted() -> set[tuple]:
    kept = assert_kept_as_recounted(ReferralMonth, _CELL, REFERRAL_MONTH_FILL)
    assert all(cell[-2] > 0 for cell in kept)  # a cell that reached zero is gone
    return kept


def _rows(table) -> list[tuple]:
    return [(row.key, row.label, row.value, row.extra) for row in table.rows] + [(table.total.value,)]


def _assert_rows_are_the_records(scopes) -> None:
    stat = grouped.STATS["referrals"]
    from_records = dataclasses.replace(stat, summary=None)
    for scope in scopes:
        for group_by in stat.groups:
            from_months = grouped.stat_table(name="referrals", group_by=group_by, scope=scope)
            grouped.STATS["referrals"] = from_records
            try:
                counted = grouped.stat_table(name="referrals", group_by=group_by, scope=scope)
            finally:
                grouped.STATS["referrals"] = stat
            assert _rows(from_months) == _rows(counted), (scope, group_by)


def _scopes(day: date, organisations=(), sectors=()) -> list[Scope]:
    quarter = (day.month - 1) // 3 + 1
    scopes = [Scope(year=day.year, quarter=None), Scope(year=day.year, quarter=quarter)]
    scopes += [Scope(year=day.year, quarter=None, organisation=o) for o in organisations]
    scopes += [Scope(year=day.year, quarter=quarter, sector=s) for s in sectors]
    return scopes


def test_on_the_factsheet_region_the_months_are_what_a_recount_finds_R21_R55():
    region = Region()
    kept = _assert_kept_as_recounted()
    assert sum(cell[-2] for cell in kept) == Referral.objects.count()
    years = {timezone.localdate(moment).year for moment in Referral.objects.values_list("referred_at", flat=True)}
    for year in sorted(years):
        _assert_rows_are_the_records(_scopes(date(year, 6, 1), [region.uwv, region.gem], [region.care]))


def test_after_random_proposals_and_status_changes_R21(adviser, other_adviser):
    rng = random.Random(21)
    long_ago = timezone.now() - timedelta(days=200)
    vacancies = [
        make_vacancy(owner, requested_positions=9, received_at=long_ago, registered_at=long_ago)
        for owner in (adviser, other_adviser)
        for _ in range(3)
    ]
    for _ in range(40):
        vacancy = rng.choice(vacancies)
        moment = at(timezone.localdate() - timedelta(days=rng.randrange(1, 190)))
        action = rng.choice(["propose", "propose", "hire", "invite", "reject"])
        if action in ("propose", "hire"):
            candidate = make_candidate(vacancy.owner, vacancy, work_ready_since=long_ago.date())
            (propose if action == "propose" else hire)(vacancy, candidate, now=moment)
        else:
            referral = Referral.objects.filter(status=ReferralStatus.PROPOSED).order_by("?").first()
            if referral is not None:
                status = ReferralStatus.INVITED if action == "invite" else ReferralStatus.REJECTED
                fields = {"reason": "past niet", "rejection_reason": "other"} if action == "reject" else {}
                referral_services.referral_set_status(
                    referral=referral, by=referral.vacancy.owner, status=status, **fields
                )
    assert Referral.objects.filter(status=ReferralStatus.HIRED).exists()
    _assert_kept_as_recounted()
    _assert_rows_are_the_records(_scopes(timezone.localdate() - timedelta(days=100), [adviser.organisation]))


def test_what_a_referral_is_counted_by_moving_is_followed_R07_R13_R21(adviser, other_adviser):
    """A status repaired in bulk, a referral deleted, a vacancy handed over or moved in a merge, an employer's
    sector changed, a candidate moved to another organisation and target group: each moves the counts with it."""
    vacancy = make_vacancy(adviser, requested_positions=5)
    hired = [hire(vacancy, make_candidate(adviser, vacancy)) for _ in range(2)]
    proposed = [propose(vacancy, make_candidate(adviser, vacancy)) for _ in range(2)]
    _assert_kept_as_recounted()
    Referral.objects.filter(pk=proposed[0].pk).update(status=ReferralStatus.HIRED)
    ReferralStatusChange.objects.filter(referral=proposed[1]).delete()
    Referral.objects.filter(pk=proposed[1].pk).delete()
    _assert_kept_as_recounted()
    Vacancy.objects.filter(pk=vacancy.pk).update(organisation=other_adviser.organisation)
    assert {cell[1] for cell in _assert_kept_as_recounted()} == {other_adviser.organisation.pk}
    Employer.objects.filter(pk=vacancy.employer_id).update(sector=SectorFactory())
    _assert_kept_as_recounted()
    Employer.objects.filter(pk=vacancy.employer_id).update(sector=None)
    _assert_kept_as_recounted()
    survivor = EmployerFactory(sector=SectorFactory())
    Vacancy.objects.filter(pk=vacancy.pk).update(employer=survivor)
    assert {cell[2] for cell in _assert_kept_as_recounted()} == {survivor.sector_id}
    Candidate.objects.filter(pk=hired[0].candidate_id).update(
        organisation=other_adviser.organisation, target_group=TargetGroup.PWET
    )
    cells = _assert_kept_as_recounted()
    assert (other_adviser.organisation.pk, TargetGroup.PWET) in {(cell[3], cell[4]) for cell in cells}
    assert sum(cell[-2] for cell in cells) == 3 and sum(cell[-1] for cell in cells) == 3
    _assert_rows_are_the_records(_scopes(timezone.localdate(), [other_adviser.organisation]))
