"""The flows the system carries out for chain partners: a partner's hire on a single position moves the vacancy
(R-24); on 2 to 9 positions the owner books its own, closes, and the partner books on its duplicate (R-25). The
labour-market positions stay honest (R-20): registered positions equal the placements booked."""

import pytest
from django.db.models import Sum

from matching.choices import PlacementStatus, ReferralStatus, TargetGroup
from matching.models import Placement, Referral
from matching.services import placements as services
from tests.factories import UserFactory
from vacancies.choices import CloseReason, HandoverReason
from vacancies.models import Vacancy, VacancyHandover
from wsp.errors import Conflict, RuleRefused

from .placement_helpers import book, hire, make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db


def test_partners_hire_on_a_single_position_moves_the_vacancy_to_the_partner_R24(adviser, other_adviser, counts):
    vacancy = make_vacancy(adviser)  # UWV owns it, one position
    partner_candidate = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)

    referral = hire(vacancy, partner_candidate)

    vacancy.refresh_from_db()
    assert (vacancy.owner, vacancy.organisation) == (other_adviser, other_adviser.organisation)
    handover = VacancyHandover.objects.get(vacancy=vacancy)
    assert (handover.reason, handover.from_user, handover.to_user) == (
        HandoverReason.PARTNER_HIRED,
        adviser,
        other_adviser,
    )
    # The original owner can no longer book; the partner does.
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        book(adviser, referral)
    assert (refused.value.code, refused.value.rule) == ("not_vacancy_owner", "R-24")
    assert counts() == before

    placement = book(other_adviser, referral)

    assert (placement.organisation, placement.target_group) == (other_adviser.organisation, TargetGroup.PWET)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.positions) == ("filled", 1)


def test_own_organisations_hire_on_a_single_position_moves_nothing_R24(adviser, colleague):
    vacancy = make_vacancy(adviser)
    hire(vacancy, make_candidate(colleague, vacancy))
    vacancy.refresh_from_db()
    assert vacancy.owner == adviser
    assert not VacancyHandover.objects.exists()


def test_two_to_nine_owner_books_own_then_partner_books_on_its_duplicate_R25(adviser, other_adviser, counts):
    vacancy = make_vacancy(adviser, requested_positions=3)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    vacancy.refresh_from_db()
    assert vacancy.owner == adviser  # no R-24 move on more than one position

    book(adviser, own)

    # The partner's hired candidate is not booked on the original: neither by the partner...
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        book(other_adviser, partner)
    assert (refused.value.code, refused.value.rule) == ("book_on_duplicate", "R-25")
    assert refused.value.extra == {"duplicate": None}
    # ...nor by the owner, who does not book a municipal target group.
    with pytest.raises(RuleRefused) as refused:
        book(adviser, partner)
    assert refused.value.rule == "R-23"
    assert counts() == before

    duplicates = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.close_reason, vacancy.positions) == ("closed", CloseReason.PLACEMENT, 1)
    [duplicate] = duplicates
    assert (duplicate.duplicated_from, duplicate.employer, duplicate.owner) == (
        vacancy,
        vacancy.employer,
        other_adviser,
    )
    assert (duplicate.requested_positions, duplicate.positions) == (1, 1)
    carried = Referral.objects.get(vacancy=duplicate)
    assert (carried.candidate, carried.status, carried.referred_by) == (partner.candidate, "hired", other_adviser)
    assert list(carried.changes.values_list("from_status", "to_status")) == [("", "proposed"), ("proposed", "hired")]
    # Booking on the original now tells the partner where to book.
    with pytest.raises(RuleRefused) as refused:
        book(other_adviser, partner)
    assert refused.value.extra == {"duplicate": duplicate.pk}

    placement = book(other_adviser, carried)

    assert (placement.vacancy, placement.organisation) == (duplicate, other_adviser.organisation)
    duplicate.refresh_from_db()
    assert duplicate.status == "filled"
    # Honest figures: two placements booked, two positions registered, one per vacancy.
    family = Vacancy.objects.filter(pk__in=[vacancy.pk, duplicate.pk])
    booked = Placement.objects.filter(vacancy__in=family, status=PlacementStatus.BOOKED)
    assert family.aggregate(total=Sum("positions"))["total"] == booked.count() == 2
    assert set(booked.values_list("candidate", flat=True)) == {own.candidate_id, partner.candidate_id}


def test_one_duplicate_per_partner_with_all_its_hired_candidates_R25(adviser, other_adviser, municipality):
    vacancy = make_vacancy(adviser, requested_positions=4)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    partner_colleague = UserFactory(organisation=municipality)
    hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    hire(vacancy, make_candidate(partner_colleague, vacancy, target_group=TargetGroup.NUG))
    rejected = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)
    propose(vacancy, rejected)  # only hired candidates are carried over
    book(adviser, own)

    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    assert duplicate.requested_positions == 2
    assert Referral.objects.filter(vacancy=duplicate, status=ReferralStatus.HIRED).count() == 2


def test_closing_with_placements_needs_a_booking_and_the_owner_R22_R25(adviser, other_adviser, counts):
    vacancy = make_vacancy(adviser, requested_positions=3)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    assert (refused.value.code, refused.value.rule) == ("placement_outcome_needs_booking", "R-22")
    assert counts() == before
    book(adviser, own)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_close_with_placements(vacancy=vacancy, by=other_adviser)
    assert (refused.value.code, refused.value.rule) == ("not_vacancy_owner", "R-25")
    assert counts() == before
    services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    with pytest.raises(Conflict):
        services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)


def test_a_vacancy_filled_by_the_owner_still_gets_duplicates_for_partner_hires_R25(adviser, other_adviser):
    vacancy = make_vacancy(adviser, requested_positions=2)
    own = [hire(vacancy, make_candidate(adviser, vacancy)) for _ in range(2)]
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    for referral in own:
        book(adviser, referral)
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"

    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    vacancy.refresh_from_db()
    assert vacancy.status == "filled"  # stays filled; only the duplicate is made
    assert Referral.objects.get(vacancy=duplicate).candidate == partner.candidate
    # Nothing left to carry over: a second call is refused.
    with pytest.raises(Conflict):
        services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
