"""Many positions: the co-production of 10 or more (R-19) and the chain partner's duplicate on 2-9 (R-25)."""

from datetime import timedelta

import pytest

from employers.models import Employer
from tests.factories import CandidateFactory, PlacementFactory, ReferralFactory, UserFactory, VacancyFactory
from vacancies import services
from vacancies.choices import CloseReason, RecruitmentActivity, TargetGroupFlag, VacancyStatus
from vacancies.models import RecruitmentPlan, Vacancy
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(employer, skills):
    """A co-production: the employer asks for 12 people (R-19)."""
    return VacancyFactory(
        employer=employer,
        title="Productiemedewerker",
        requested_positions=12,
        skills=[skills[0].pk],
        target_group_flags=[TargetGroupFlag.JOB_AGREEMENT],
    )


def start(vacancy, by, owners, **overrides):
    """Start the co-production with the organisations of `owners`, each owning its partner's vacancy."""
    fields = {
        "vacancy": vacancy,
        "by": by,
        "activities": [RecruitmentActivity.SPEED_MEET, RecruitmentActivity.JOB_FAIR],
        "partners": [owner.organisation for owner in owners],
        "partner_owners": {owner.organisation_id: owner for owner in owners},
        "notes": "Speeddate in de fabriek",
    }
    fields.update(overrides)
    return services.co_production_start(**fields)


def test_co_production_gives_each_partner_its_own_vacancy_under_the_same_employer_R19(
    large, employer, adviser, other_adviser, third_adviser
):
    employers_before = Employer.objects.count()
    plan = start(large, adviser, [other_adviser, third_adviser])

    assert (plan.vacancy, plan.activities, plan.notes, plan.created_by) == (
        large, ["speed_meet", "job_fair"], "Speeddate in de fabriek", adviser,
    )  # fmt: skip
    assert set(plan.partners.all()) == {other_adviser.organisation, third_adviser.organisation}
    children = list(large.children.order_by("id"))
    assert [(c.owner, c.organisation) for c in children] == [
        (other_adviser, other_adviser.organisation),
        (third_adviser, third_adviser.organisation),
    ]
    for child in children:
        assert (child.employer, child.title, child.positions, child.skills, child.target_group_flags) == (
            employer, "Productiemedewerker", 1, large.skills, ["job_agreement"],
        )  # fmt: skip
        assert child.registered_late is False
    assert [c.requested_positions for c in children] == [6, 6]
    # Never a new employer.
    assert Employer.objects.count() == employers_before


def test_requested_positions_are_split_evenly_R19(employer, adviser, other_adviser, third_adviser):
    vacancy = VacancyFactory(employer=employer, requested_positions=11)
    start(vacancy, adviser, [other_adviser, third_adviser])
    assert [c.requested_positions for c in vacancy.children.order_by("id")] == [6, 5]


def test_fewer_than_ten_positions_is_no_co_production_R19(employer, adviser, other_adviser, counts):
    vacancy = VacancyFactory(employer=employer, requested_positions=9)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        start(vacancy, adviser, [other_adviser])
    assert (refused.value.code, refused.value.rule) == ("not_a_co_production", "R-19")
    assert counts() == before


def test_one_recruitment_plan_per_co_production_R19(large, adviser, other_adviser, counts):
    start(large, adviser, [other_adviser])
    before = counts()
    with pytest.raises(Conflict) as refused:
        start(large, adviser, [other_adviser])
    assert (refused.value.code, refused.value.status_code) == ("co_production_exists", 409)
    assert counts() == before


def test_partners_vacancy_is_no_new_co_production_R19(large, adviser, other_adviser, third_adviser, counts):
    start(large, adviser, [other_adviser])
    child = large.children.get()
    Vacancy.objects.filter(pk=child.pk).update(requested_positions=12)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        start(child, other_adviser, [third_adviser])
    assert refused.value.code == "not_a_co_production"
    assert counts() == before


def test_only_the_owner_starts_the_co_production_R19(large, colleague, other_adviser, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        start(large, colleague, [other_adviser])
    assert (refused.value.code, refused.value.rule) == ("not_vacancy_owner", "R-19")
    assert counts() == before


@pytest.mark.parametrize("problem", ["own_organisation", "wrong_owner", "no_owner", "no_activity", "no_partner"])
def test_plan_with_a_wrong_partner_or_no_activity_is_refused_R19(
    large, adviser, colleague, other_adviser, third_adviser, counts, problem
):
    overrides = {
        "own_organisation": {
            "partners": [adviser.organisation],
            "partner_owners": {adviser.organisation_id: colleague},
        },
        "wrong_owner": {"partner_owners": {other_adviser.organisation_id: third_adviser}},
        "no_owner": {"partner_owners": {}},
        "no_activity": {"activities": []},
        "no_partner": {"partners": [], "partner_owners": {}},
    }[problem]
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        start(large, adviser, [other_adviser], **overrides)
    assert refused.value.rule == "R-19"
    assert counts() == before


# --- R-25 -----------------------------------------------------------------------------------------------------


def hire(vacancy, adviser, **fields):
    """A hired referral on the vacancy of a candidate in `adviser`'s caseload (the matching app's rules aside)."""
    return ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=adviser), status="hired", **fields)


@pytest.fixture
def closed_five(employer, skills, now, adviser, other_adviser):
    """A 5-position vacancy the owner closed after booking its own candidate; the chain partner (other_adviser's
    organisation) has two hired candidates on it, not booked yet (R-25)."""
    vacancy = VacancyFactory(
        employer=employer,
        title="Schoonmaker",
        requested_positions=5,
        skills=[skills[1].pk],
        received_at=now - timedelta(days=10),
        registered_at=now - timedelta(days=8),
        status=VacancyStatus.CLOSED,
        close_reason="placement",
        closed_at=now - timedelta(hours=1),
    )
    PlacementFactory(referral=hire(vacancy, adviser))
    hire(vacancy, other_adviser)
    hire(vacancy, other_adviser)
    return vacancy


def test_partner_duplicates_a_closed_two_to_nine_vacancy_R25(closed_five, employer, other_adviser, now):
    assert closed_five.registered_late is True

    duplicate = services.vacancy_duplicate(
        vacancy=closed_five, by=other_adviser, owner=other_adviser, requested_positions=2, now=now
    )

    duplicate.refresh_from_db()
    assert (duplicate.employer, duplicate.title, duplicate.skills, duplicate.duplicated_from) == (
        employer, "Schoonmaker", closed_five.skills, closed_five,
    )  # fmt: skip
    assert (duplicate.owner, duplicate.organisation, duplicate.created_by) == (
        other_adviser, other_adviser.organisation, other_adviser,
    )  # fmt: skip
    assert (duplicate.requested_positions, duplicate.positions, duplicate.status) == (2, 1, "open")
    # Received and registered now: a duplicate is no late registration of the partner.
    assert (duplicate.received_at, duplicate.registered_at, duplicate.registered_late) == (now, now, False)


def test_the_owner_may_duplicate_for_the_partner_while_closing_R25(closed_five, adviser, other_adviser):
    duplicate = services.vacancy_duplicate(vacancy=closed_five, by=adviser, owner=other_adviser, requested_positions=1)
    assert duplicate.owner == other_adviser


def test_open_vacancy_is_closed_by_its_owner_first_R25(employer, other_adviser, counts):
    vacancy = VacancyFactory(employer=employer, requested_positions=5)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_duplicate(vacancy=vacancy, by=other_adviser, owner=other_adviser, requested_positions=1)
    assert (refused.value.code, refused.value.rule) == ("vacancy_not_closed", "R-25")
    assert counts() == before


@pytest.mark.parametrize("requested", [1, 10])
def test_only_two_to_nine_positions_are_duplicated_R25(employer, other_adviser, counts, now, requested):
    vacancy = VacancyFactory(
        employer=employer, requested_positions=requested, status=VacancyStatus.CLOSED, closed_at=now
    )
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_duplicate(vacancy=vacancy, by=other_adviser, owner=other_adviser, requested_positions=1)
    assert refused.value.code == "not_a_two_to_nine_vacancy"
    assert counts() == before


def test_duplicate_is_for_a_chain_partner_and_made_by_its_staff_R25(
    closed_five, colleague, other_adviser, third_adviser, counts
):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_duplicate(vacancy=closed_five, by=colleague, owner=colleague, requested_positions=1)
    assert refused.value.code == "not_a_chain_partner"
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_duplicate(vacancy=closed_five, by=third_adviser, owner=other_adviser, requested_positions=1)
    assert refused.value.code == "not_partner_staff"
    assert counts() == before


def test_one_duplicate_per_partner_R25(closed_five, other_adviser, municipality, counts):
    first = services.vacancy_duplicate(
        vacancy=closed_five, by=other_adviser, owner=other_adviser, requested_positions=1
    )
    second_adviser = UserFactory(organisation=municipality)
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.vacancy_duplicate(vacancy=closed_five, by=second_adviser, owner=second_adviser, requested_positions=1)
    assert (refused.value.code, refused.value.extra) == ("already_duplicated", {"duplicate": first.pk})
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_duplicate(vacancy=first, by=second_adviser, owner=second_adviser, requested_positions=1)
    assert refused.value.code in {"already_a_duplicate", "not_a_two_to_nine_vacancy"}
    assert counts() == before


@pytest.mark.parametrize("requested", [0, 3, 6])
def test_duplicate_asks_at_most_the_partners_hired_candidates_R25(closed_five, other_adviser, counts, requested):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_duplicate(
            vacancy=closed_five, by=other_adviser, owner=other_adviser, requested_positions=requested
        )
    assert list(refused.value.fields) == ["requested_positions"]
    assert counts() == before


def test_duplicate_asks_by_default_for_the_partners_hired_unbooked_candidates_R25(closed_five, other_adviser):
    # One of the partner's two hires was booked already (on the duplicate of an earlier round, say): it does not
    # count again; neither does the owner's own booked hire.
    booked = closed_five.referrals.filter(candidate__organisation=other_adviser.organisation).first()
    PlacementFactory(referral=booked, booked_by=other_adviser)
    duplicate = services.vacancy_duplicate(vacancy=closed_five, by=other_adviser, owner=other_adviser)
    assert (duplicate.requested_positions, duplicate.positions) == (1, 1)


@pytest.mark.parametrize("problem", ["other_outcome", "filled_without_partner_hires", "partner_only_proposed"])
def test_nothing_to_duplicate_without_partner_hires_on_a_vacancy_closed_with_placements_R25_R22(
    employer, adviser, other_adviser, counts, now, problem
):
    """R-22: never a vacancy only to book a placement; R-25: a duplicate is for the partner's hired candidates."""
    status, reason = {
        "other_outcome": (VacancyStatus.CLOSED, CloseReason.WITHDRAWN),
        "filled_without_partner_hires": (VacancyStatus.FILLED, CloseReason.PLACEMENT),
        "partner_only_proposed": (VacancyStatus.CLOSED, CloseReason.PLACEMENT),
    }[problem]
    vacancy = VacancyFactory(
        employer=employer, requested_positions=4, status=status, close_reason=reason, closed_at=now
    )
    PlacementFactory(referral=hire(vacancy, adviser))  # the owner's own hire, booked
    if problem == "other_outcome":
        hire(vacancy, other_adviser)
    elif problem == "partner_only_proposed":
        ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=other_adviser))
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_duplicate(vacancy=vacancy, by=other_adviser, owner=other_adviser)
    assert (refused.value.code, refused.value.rule) == ("nothing_to_duplicate", "R-25")
    with pytest.raises(RuleRefused):
        services.vacancy_duplicate(vacancy=vacancy, by=adviser, owner=other_adviser, requested_positions=1)
    assert counts() == before


def test_duplicate_counts_only_the_duplicating_partners_hires_R25(closed_five, third_adviser, counts):
    # IJmond Werkt! has no hired candidate on the vacancy; the municipality's two hires are not its to book.
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_duplicate(vacancy=closed_five, by=third_adviser, owner=third_adviser)
    assert refused.value.code == "nothing_to_duplicate"
    assert counts() == before


def test_plan_is_stored_once_R19(large, adviser, other_adviser):
    start(large, adviser, [other_adviser], planned_on=None)
    assert RecruitmentPlan.objects.filter(vacancy=large).count() == 1
