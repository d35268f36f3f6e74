"""The funnel's moments, kept by the database on each referral and placement (R-43, R-57; `matching.moments`).

The funnel reads a record's request, the request's registration and the moments of invitation and hire from the
record itself. These tests show that the triggers keep them as a recount from the records finds them (the same SQL
the migration and the demo's bulk load run), after the services' work and after writes that bypass the services
(bulk inserts, updates and deletes of status changes), and that the bookkeeping leaves the audit trail alone.
"""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from matching.choices import ReferralStatus
from matching.models import Placement, PlacementEvent, Referral, ReferralStatusChange
from matching.moments import FILL
from matching.services import placements as placement_services
from matching.services import referrals as referral_services
from tests.factories import PlacementFactory, ReferralFactory, VacancyFactory
from tests.reporting.factsheets.sql_data import Region

from .placement_helpers import book, hire, make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db


def _moments() -> tuple[list, list]:
    referrals = Referral.objects.order_by("pk").values_list(
        "pk", "request_id", "request_registered_at", "invited_at", "hired_at", "carried_over"
    )
    placements = Placement.objects.order_by("pk").values_list("pk", "request_id", "request_registered_at", "hired_at")
    return list(referrals), list(placements)


def _recount() -> None:
    with connection.cursor() as cursor:
        for statement in FILL:
            cursor.execute(statement)


def _assert_kept_as_recounted() -> tuple[list, list]:
    kept = _moments()
    _recount()
    assert _moments() == kept
    return kept


def test_on_the_factsheet_region_the_triggers_keep_what_a_recount_finds_R43():
    """Co-productions, duplicates, carried-over hires, cancellations, boundaries: the whole generated region."""
    Region()
    referrals, placements = _assert_kept_as_recounted()
    assert any(row[3] for row in referrals) and any(row[4] for row in referrals)  # invitations and hires were kept
    assert any(row[5] for row in referrals)  # and a hire carried over to a duplicate
    assert any(row[3] for row in placements)


def test_after_random_proposals_hires_bookings_corrections_and_cancellations_R43(adviser, other_adviser):
    rng = random.Random(43)
    vacancies = [make_vacancy(adviser, requested_positions=3) for _ in range(4)]
    referrals = []
    for _ in range(40):
        vacancy = rng.choice(vacancies)
        action = rng.choice(["propose", "invite", "hire", "reject", "book", "cancel", "correct"])
        open_referrals = [r for r in referrals if r.status in (ReferralStatus.PROPOSED, ReferralStatus.INVITED)]
        if action == "propose" or not referrals:
            owner = rng.choice([adviser, other_adviser])
            referrals.append(propose(vacancy, make_candidate(owner, vacancy)))
        elif action in ("invite", "reject") and open_referrals:
            referral = rng.choice(open_referrals)
            fields = {"reason": "past niet", "rejection_reason": "other"} if action == "reject" else {}
            status = ReferralStatus.INVITED if action == "invite" else ReferralStatus.REJECTED
            if action == "invite" and referral.status == ReferralStatus.INVITED:
                continue
            referral_services.referral_set_status(referral=referral, by=adviser, status=status, **fields)
        elif action == "hire":
            referrals.append(hire(vacancy, make_candidate(adviser, vacancy)))
        elif action == "book":
            hired = [r for r in Referral.objects.filter(status=ReferralStatus.HIRED, placements__isnull=True)]
            if hired:
                referral = rng.choice(hired)
                book(referral.booker, referral)
        elif action in ("cancel", "correct"):
            booked = list(Placement.objects.filter(status="booked"))
            if booked:
                placement = rng.choice(booked)
                by = placement.booked_by
                if action == "cancel":
                    placement_services.placement_cancel(placement=placement, by=by, reason="Niet begonnen")
                else:
                    placement_services.placement_correct(
                        placement=placement, by=by, reason="Uren verkeerd", hours_per_week="30"
                    )
        for referral in referrals:
            referral.refresh_from_db()
    referrals_kept, placements_kept = _assert_kept_as_recounted()
    assert all(row[1] is not None for row in referrals_kept)  # every referral is on a request
    assert Placement.objects.filter(hired_at__isnull=False).exists()


def test_a_proposal_on_a_chain_partners_vacancy_counts_on_the_request_R19_R43(adviser, other_adviser):
    request = make_vacancy(adviser)
    partner = VacancyFactory(owner=other_adviser, employer=request.employer, parent=request)
    referral = ReferralFactory(vacancy=partner)
    referral.refresh_from_db()
    assert (referral.request_id, referral.request_registered_at) == (request.pk, request.registered_at)
    assert referral.carried_over is False


def test_a_chain_under_a_chain_is_no_request_R19_R43(adviser, other_adviser):
    """A vacancy whose co-production is itself a partner's vacancy counts nowhere, as before the moments."""
    request = make_vacancy(adviser)
    partner = VacancyFactory(owner=other_adviser, employer=request.employer, parent=request)
    below = VacancyFactory(owner=other_adviser, employer=request.employer, parent=partner)
    referral = ReferralFactory(vacancy=below)
    referral.refresh_from_db()
    assert referral.request_id is None


def test_a_hire_carried_over_to_a_duplicate_is_the_originals_proposal_and_hire_R25_R43(adviser, other_adviser):
    original = make_vacancy(adviser)
    candidate = make_candidate(other_adviser, original)
    on_original = hire(original, candidate)
    duplicate = VacancyFactory(owner=other_adviser, employer=original.employer, duplicated_from=original)
    carried = ReferralFactory(vacancy=duplicate, candidate=candidate, status=ReferralStatus.HIRED)
    ReferralStatusChange.objects.create(
        referral=carried, to_status=ReferralStatus.HIRED, changed_by=other_adviser, changed_at=timezone.now()
    )
    carried.refresh_from_db()
    on_original.refresh_from_db()
    assert carried.carried_over is True and on_original.carried_over is False
    assert carried.request_id == original.pk
    placement = PlacementFactory(referral=carried, booked_by=other_adviser)
    placement.refresh_from_db()
    assert placement.hired_at == on_original.hired_at  # the hire it comes from is the original's
    _assert_kept_as_recounted()


def test_status_changes_written_around_the_services_are_followed_R43(adviser):
    vacancy = make_vacancy(adviser)
    referral = propose(vacancy, make_candidate(adviser, vacancy))
    placed = hire(vacancy, make_candidate(adviser, vacancy))
    placement = book(adviser, placed)
    hire_line = ReferralStatusChange.objects.filter(referral=placed, to_status=ReferralStatus.HIRED)
    # An update of the hire line, then a bulk insert of an earlier one, then an update and a delete: each recomputes
    # the moments of the referral and of the placement made from it.
    later = placed.referred_at + timedelta(hours=5)
    hire_line.update(changed_at=later)
    placed.refresh_from_db()
    placement.refresh_from_db()
    assert placed.hired_at == later and placement.hired_at == later
    earlier = placed.referred_at + timedelta(hours=1)
    ReferralStatusChange.objects.bulk_create(
        [ReferralStatusChange(referral=placed, to_status=ReferralStatus.HIRED, changed_by=adviser, changed_at=earlier)]
    )
    placed.refresh_from_db()
    placement.refresh_from_db()
    assert placed.hired_at == earlier and placement.hired_at == earlier
    ReferralStatusChange.objects.filter(referral=referral).update(to_status=ReferralStatus.INVITED)
    referral.refresh_from_db()
    assert referral.invited_at is not None
    ReferralStatusChange.objects.filter(referral=referral).delete()
    referral.refresh_from_db()
    assert referral.invited_at is None
    _assert_kept_as_recounted()


def test_the_bookkeeping_adds_nothing_to_the_placements_audit_trail_R57(adviser):
    vacancy = make_vacancy(adviser)
    placed = hire(vacancy, make_candidate(adviser, vacancy))
    placement = book(adviser, placed)
    events = PlacementEvent.objects.filter(pgh_obj_id=placement.pk).count()
    later = placed.referred_at + timedelta(hours=1)
    ReferralStatusChange.objects.filter(referral=placed, to_status=ReferralStatus.HIRED).update(changed_at=later)
    placement.refresh_from_db()
    assert placement.hired_at == later
    assert PlacementEvent.objects.filter(pgh_obj_id=placement.pk).count() == events
