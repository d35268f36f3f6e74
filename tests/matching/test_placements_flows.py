"""The flows the system carries out for chain partners: a partner's hire on a single position moves the vacancy
(R-24); on 2 to 9 positions the owner books its own, closes, and the partner books on its duplicate (R-25). The
labour-market positions stay honest (R-20): registered positions equal the placements booked."""

import pytest
from django.db.models import Sum

from accounts.choices import Role
from matching.choices import PlacementStatus, ReferralStatus, TargetGroup
from matching.models import Placement, Referral
from matching.services import placements as services
from matching.services import referrals as referral_services
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
    # ...nor by the owner, who books only its own organisation's candidates on the original.
    with pytest.raises(RuleRefused) as refused:
        book(adviser, partner)
    assert (refused.value.code, refused.value.rule) == ("book_on_duplicate", "R-25")
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


def test_the_owner_does_not_book_a_partners_candidate_on_a_two_to_nine_original_R25(adviser, other_adviser, counts):
    """R-25: even a target group the owner may book (R-23: "other / unknown" is either side's) is booked by the
    partner on its duplicate, never by the owner on the original."""
    vacancy = make_vacancy(adviser, requested_positions=3)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    partner = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.OTHER))
    book(adviser, own)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        book(adviser, partner)
    assert (refused.value.code, refused.value.rule) == ("book_on_duplicate", "R-25")
    assert counts() == before

    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    placement = book(other_adviser, Referral.objects.get(vacancy=duplicate))
    assert (placement.vacancy, placement.organisation) == (duplicate, other_adviser.organisation)


def _partner_candidate_with_adviser(vacancy, other_adviser, municipality, **adviser_fields):
    """A partner candidate whose adviser is not an active adviser (an account manager, or one who left)."""
    candidate = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)
    candidate.adviser = UserFactory(organisation=municipality, **adviser_fields)
    candidate.save()
    return candidate


@pytest.mark.parametrize("adviser_fields", [{"role": Role.ACCOUNT_MANAGER}, {"is_active": False}])
def test_a_partners_hire_goes_to_an_active_adviser_of_the_partner_R24(
    adviser, other_adviser, municipality, adviser_fields
):
    """R-24: a vacancy owner is an active adviser; when the candidate's adviser is not one, the partner's first active
    adviser takes the vacancy over."""
    vacancy = make_vacancy(adviser)
    candidate = _partner_candidate_with_adviser(vacancy, other_adviser, municipality, **adviser_fields)
    UserFactory(organisation=municipality, is_active=False)  # an inactive adviser is passed over

    referral = hire(vacancy, candidate)

    vacancy.refresh_from_db()
    assert referral.status == ReferralStatus.HIRED
    assert (vacancy.owner, vacancy.organisation) == (other_adviser, municipality)
    assert VacancyHandover.objects.get(vacancy=vacancy).to_user == other_adviser


def test_a_partners_hire_is_refused_when_the_partner_has_no_active_adviser_R24(
    adviser, other_adviser, municipality, counts
):
    vacancy = make_vacancy(adviser)
    candidate = _partner_candidate_with_adviser(vacancy, other_adviser, municipality, role=Role.ACCOUNT_MANAGER)
    other_adviser.is_active = False
    other_adviser.save()
    referral = propose(vacancy, candidate)
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        referral_services.referral_set_status(referral=referral, by=adviser, status=ReferralStatus.HIRED)

    assert (refused.value.code, refused.value.rule) == ("no_partner_adviser", "R-24")
    assert counts() == before
    referral.refresh_from_db()
    vacancy.refresh_from_db()
    assert (referral.status, vacancy.owner) == (ReferralStatus.PROPOSED, adviser)


def test_a_duplicate_goes_to_an_active_adviser_of_the_partner_or_the_close_is_refused_R24_R25(
    adviser, other_adviser, municipality, counts
):
    vacancy = make_vacancy(adviser, requested_positions=3)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    hire(vacancy, _partner_candidate_with_adviser(vacancy, other_adviser, municipality, is_active=False))
    book(adviser, own)
    other_adviser.is_active = False
    other_adviser.save()
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    assert (refused.value.code, refused.value.rule) == ("no_partner_adviser", "R-24")
    assert counts() == before
    vacancy.refresh_from_db()
    assert vacancy.status == "open"  # not closed either: the refusal came before any write

    other_adviser.is_active = True
    other_adviser.save()
    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    assert duplicate.owner == other_adviser


def test_pawa_is_not_carried_over_to_a_municipal_partners_referral_R21(adviser, other_adviser):
    """R-21: PAWA is for UWV staff; the municipal partner's own referral on its duplicate is no PAWA referral."""
    vacancy = make_vacancy(adviser, requested_positions=2)
    own = hire(vacancy, make_candidate(adviser, vacancy))
    partner = propose(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET), pawa=True)
    referral_services.referral_set_status(referral=partner, by=adviser, status=ReferralStatus.HIRED)
    book(adviser, own)

    [duplicate] = services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    assert Referral.objects.get(pk=partner.pk).pawa is True  # the UWV owner's referral keeps it
    assert Referral.objects.get(vacancy=duplicate).pawa is False
