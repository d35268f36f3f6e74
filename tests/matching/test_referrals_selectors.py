"""Reads of the referral register: the pipeline of a vacancy without personal data for outsiders (R-40), the
adviser's referrals waiting for an answer, and the funnel per stage (R-43)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from matching.choices import TargetGroup
from matching.selectors import referrals as selectors
from matching.services import placements as placement_services
from matching.services import referrals as services
from tests.factories import UserFactory

from .placement_helpers import book, hire, make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db


def test_pipeline_columns_per_status_and_names_only_with_personal_access_R40(
    adviser, other_adviser, municipality, django_assert_max_num_queries
):
    vacancy = make_vacancy(adviser, requested_positions=3)
    own = make_candidate(adviser, vacancy)
    partner = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)
    propose(vacancy, partner)
    book(adviser, hire(vacancy, own))

    columns = selectors.vacancy_pipeline(vacancy=vacancy, user=adviser)

    assert [c.status for c in columns] == ["proposed", "invited", "hired", "rejected", "withdrawn"]
    by_status = {c.status: c.cards for c in columns}
    [hired] = by_status["hired"]
    assert (hired.candidate_id, hired.booked, hired.display_name) == (own.pk, True, own.full_name)
    # The owner sees the name of a partner's candidate referred to the vacancy.
    assert by_status["proposed"][0].display_name == partner.full_name

    # A third organisation's adviser sees organisation, target group and id only.
    outsider = UserFactory(organisation=UserFactory().organisation)
    with django_assert_max_num_queries(2):
        columns = selectors.vacancy_pipeline(vacancy=vacancy, user=outsider)
    cards = [card for column in columns for card in column.cards]
    assert [card.display_name for card in cards] == [None, None]
    assert cards[0].label == f"{municipality.name} · P-wet · #{partner.pk}"
    # The partner's colleague sees its own candidate's name but not the UWV candidate's.
    names = {
        c.candidate_id: c.display_name
        for col in selectors.vacancy_pipeline(vacancy=vacancy, user=other_adviser)
        for c in col.cards
    }
    assert names == {partner.pk: partner.full_name, own.pk: None}


def test_referrals_waiting_for_an_answer_on_my_vacancies(adviser, colleague):
    vacancy = make_vacancy(adviser)
    now = timezone.now()
    old = services.referral_propose(
        by=adviser, vacancy=vacancy, candidate=make_candidate(adviser, vacancy), now=now - timedelta(days=10)
    )
    invited = services.referral_propose(
        by=adviser, vacancy=vacancy, candidate=make_candidate(adviser, vacancy), now=now - timedelta(days=20)
    )
    services.referral_set_status(referral=invited, by=adviser, status="invited", now=now - timedelta(days=8))
    propose(vacancy, make_candidate(adviser, vacancy))  # fresh: not waiting long enough
    answered = services.referral_propose(
        by=adviser, vacancy=vacancy, candidate=make_candidate(adviser, vacancy), now=now - timedelta(days=30)
    )
    services.referral_set_status(
        referral=answered, by=adviser, status="rejected", rejection_reason="skills", now=now - timedelta(days=29)
    )
    colleague_vacancy = make_vacancy(colleague)
    services.referral_propose(
        by=colleague,
        vacancy=colleague_vacancy,
        candidate=make_candidate(colleague, colleague_vacancy),
        now=now - timedelta(days=10),
    )

    waiting = selectors.referrals_waiting(user=adviser, now=now)

    assert [r.pk for r in waiting] == [old.pk, invited.pk]  # longest waiting first


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


def test_funnel_counts_each_stage_once_and_proposals_per_hire_R43(adviser, other_adviser):
    day = date(2025, 3, 3)
    vacancy = make_vacancy(adviser, requested_positions=2)
    ready = date(2024, 6, 1)
    own, partner, *rest = (
        [make_candidate(adviser, vacancy, work_ready_since=ready)]
        + [make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET, work_ready_since=ready)]
        + [make_candidate(adviser, vacancy, work_ready_since=ready) for _ in range(6)]
    )
    referrals = {}
    for candidate in (own, partner, *rest):
        referrals[candidate.pk] = services.referral_propose(
            by=adviser, vacancy=vacancy, candidate=candidate, now=at(day)
        )
    for candidate in (own, partner, rest[0]):
        services.referral_set_status(referral=referrals[candidate.pk], by=adviser, status="invited", now=at(day))
    for candidate in (own, partner):
        services.referral_set_status(referral=referrals[candidate.pk], by=adviser, status="hired", now=at(day))
    book(adviser, referrals[own.pk], start_date=day, now=at(day))
    # the partner's hire is carried over to its duplicate and booked there; it is still one hire.
    [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser, now=at(day))
    carried = duplicate.referrals.get()
    book(other_adviser, carried, start_date=day, now=at(day))

    funnel = selectors.referral_funnel(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))

    assert funnel.stages() == [("proposed", 8), ("invited", 3), ("hired", 2), ("booked", 2), ("durable", 0)]
    assert str(funnel.proposals_per_hire) == "4.0"  # the region's benchmark
    assert selectors.referral_funnel(date_from=date(2025, 4, 1), date_to=date(2025, 4, 30)).proposed == 0
    mine = selectors.referral_funnel(
        date_from=date(2025, 3, 1), date_to=date(2025, 3, 31), organisation=adviser.organisation
    )
    assert (mine.proposed, mine.booked) == (8, 1)
