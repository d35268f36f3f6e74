"""Reads of the referral register: the pipeline of a vacancy without personal data for outsiders (R-40), the
adviser's referrals waiting for an answer, and the funnel per stage (R-43)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from matching.choices import TargetGroup
from matching.models import Placement, Referral, ReferralStatusChange
from matching.selectors import referrals as selectors
from matching.services import placements as placement_services
from matching.services import referrals as services
from reporting.measures import funnel as funnel_measures
from tests.factories import (
    CandidateFactory,
    EmployerFactory,
    PlacementFactory,
    ReferralFactory,
    SectorFactory,
    UserFactory,
    VacancyFactory,
)

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


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


# --- The funnel from registration (R-43) ---------------------------------------------------------------------


def _step(referral, to_status, moment, by):
    ReferralStatusChange.objects.create(
        referral=referral, from_status=referral.status, to_status=to_status, changed_by=by, changed_at=moment
    )
    Referral.objects.filter(pk=referral.pk).update(status=to_status, status_changed_at=moment)
    referral.status = to_status


@pytest.fixture
def funnel_example(adviser, other_adviser):
    """A cohort made by hand so every count and median can be checked on paper (March 2025).

    Vacancy A (UWV, sector S1) registered 3 March 10:00, vacancy B (the municipality, sector S2) 10 March 10:00;
    C is registered in April and D is the municipality's R-25 duplicate of A: neither is in the March cohort.

    on A  r1 proposed +1 d, invited +2 d later, hired +3 d later, booked +1 d later; durable: 92 days after booking
          r2 proposed +2 d, invited +4 d later, rejected
          r3 (the municipality's candidate) proposed +3 d, hired +1 d later without an invitation; carried over to
             duplicate D and booked there 14 days after the hire on A
          r4 proposed +5 d
    on B  r5 proposed +12 h, the same day: 0 days (days are calendar days)
    on C  r6 proposed in April

    proposed 5: days 1, 2, 3, 5, 0 -> median 2.0; invited 3 (r1 2, r2 4, r3 1) -> 2.0; hired 2 (r1 3, r3 0) ->
    1.5; booked 2 (1 and 14) -> 7.5; durable 1 (92) -> 92.0; proposals per hire 5 / 2 = 2.5.
    """
    s1, s2 = SectorFactory(), SectorFactory()
    registered_a, registered_b = at(date(2025, 3, 3)), at(date(2025, 3, 10))

    def vacancy(owner, registered, sector, **fields):
        employer = EmployerFactory(main_account_holder=owner, sector=sector)
        return VacancyFactory(employer=employer, owner=owner, received_at=registered - timedelta(hours=2),
                              registered_at=registered, **fields)  # fmt: skip

    a = vacancy(adviser, registered_a, s1, requested_positions=2)
    b = vacancy(other_adviser, registered_b, s2)
    c = vacancy(adviser, at(date(2025, 4, 2)), s1)
    d = vacancy(other_adviser, at(date(2025, 3, 20)), s1, duplicated_from=a)

    def refer(vac, candidate, moment):
        return ReferralFactory(vacancy=vac, candidate=candidate, referred_at=moment, status_changed_at=moment)

    own = [CandidateFactory(adviser=adviser) for _ in range(3)]
    partner = CandidateFactory(adviser=other_adviser, target_group="pwet")
    r1 = refer(a, own[0], registered_a + timedelta(days=1))
    _step(r1, "invited", r1.referred_at + timedelta(days=2), adviser)
    _step(r1, "hired", r1.referred_at + timedelta(days=5), adviser)
    p1 = PlacementFactory(referral=r1, vacancy=a, candidate=own[0], employer=a.employer, booked_by=adviser,
                          organisation=adviser.organisation, start_date=date(2025, 3, 10),
                          booked_at=r1.referred_at + timedelta(days=6), durable_after=date(2025, 6, 9),
                          is_durable=True)  # fmt: skip
    r2 = refer(a, own[1], registered_a + timedelta(days=2))
    _step(r2, "invited", r2.referred_at + timedelta(days=4), adviser)
    _step(r2, "rejected", r2.referred_at + timedelta(days=6), adviser)
    r3 = refer(a, partner, registered_a + timedelta(days=3))
    _step(r3, "hired", r3.referred_at + timedelta(days=1), adviser)
    carried = refer(d, partner, at(date(2025, 3, 20)))
    _step(carried, "hired", carried.referred_at, other_adviser)
    PlacementFactory(referral=carried, vacancy=d, candidate=partner, employer=a.employer, booked_by=other_adviser,
                     organisation=other_adviser.organisation, start_date=date(2025, 3, 21),
                     booked_at=r3.referred_at + timedelta(days=15))  # fmt: skip
    refer(a, own[2], registered_a + timedelta(days=5))
    refer(b, CandidateFactory(adviser=other_adviser, target_group="pwet"), registered_b + timedelta(hours=12))
    refer(c, CandidateFactory(adviser=adviser), at(date(2025, 4, 3)))
    return {"a": a, "b": b, "c": c, "d": d, "s1": s1, "s2": s2, "p1": p1}


MARCH = {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31)}


def test_funnel_counts_and_median_days_per_stage_from_registration_R43(funnel_example):
    funnel = funnel_measures.referral_funnel(**MARCH)
    assert [(s.stage, s.count, s.median_days) for s in funnel.stages] == [
        ("registered", 2, None),
        ("proposed", 5, 2.0),
        ("invited", 3, 2.0),
        ("hired", 2, 1.5),
        ("booked", 2, 7.5),
        ("durable", 1, 92.0),
    ]
    assert str(funnel.proposals_per_hire) == "2.5"


def test_funnel_filters_on_the_vacancys_organisation_and_the_employers_sector_R43(
    funnel_example, adviser, other_adviser
):
    uwv = funnel_measures.referral_funnel(**MARCH, organisation=adviser.organisation)
    # A only; its partner's hire is booked on the partner's duplicate and still counts for A.
    assert uwv.counts() == [("registered", 1), ("proposed", 4), ("invited", 3), ("hired", 2), ("booked", 2),
                            ("durable", 1)]  # fmt: skip
    municipal = funnel_measures.referral_funnel(**MARCH, organisation=other_adviser.organisation)
    assert municipal.counts()[:3] == [("registered", 1), ("proposed", 1), ("invited", 0)]
    assert municipal.stage("proposed").median_days == 0.0  # proposed 12 hours later, on the same day
    assert municipal.stage("hired").median_days is None and municipal.proposals_per_hire is None
    s2 = funnel_measures.referral_funnel(**MARCH, sector=funnel_example["s2"])
    assert s2.counts() == municipal.counts()
    april = funnel_measures.referral_funnel(date_from=date(2025, 4, 1), date_to=date(2025, 4, 30))
    assert april.counts()[:2] == [("registered", 1), ("proposed", 1)]


def test_a_cancelled_placement_is_not_booked_and_a_duplicate_is_no_new_vacancy_R25_R43(funnel_example):
    funnel_example["p1"].status = "cancelled"
    Placement.objects.filter(pk=funnel_example["p1"].pk).update(
        status="cancelled", cancelled_at=timezone.now(), cancel_reason="Niet gestart"
    )
    funnel = funnel_measures.referral_funnel(**MARCH)
    assert (funnel.stage("registered").count, funnel.stage("booked").count, funnel.stage("durable").count) == (2, 1, 0)
    assert funnel.stage("booked").median_days == 14.0


def test_each_figure_is_one_queryset_of_its_records_R43_R57(funnel_example):
    querysets = funnel_measures.funnel_querysets(**MARCH)
    assert list(querysets) == list(funnel_measures.FUNNEL_STAGES)
    assert {v.pk for v in querysets["registered"]} == {funnel_example["a"].pk, funnel_example["b"].pk}
    assert sorted(r.days for r in querysets["proposed"]) == [0, 1, 2, 3, 5]
    assert [p.pk for p in querysets["durable"]] == [funnel_example["p1"].pk]


def test_funnel_takes_the_same_queries_whatever_the_data_R43(adviser, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            vacancy = VacancyFactory(owner=adviser)
            referral = ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=adviser))
            _step(referral, "hired", referral.referred_at + timedelta(minutes=5), adviser)
            PlacementFactory(
                referral=referral,
                vacancy=vacancy,
                candidate=referral.candidate,
                employer=vacancy.employer,
                booked_by=adviser,
                organisation=adviser.organisation,
            )

    today = timezone.localdate()
    month = {"date_from": today.replace(day=1), "date_to": (today.replace(day=1) + timedelta(days=32)).replace(day=1)}
    month["date_to"] -= timedelta(days=1)
    add(2)
    # A day: the cohort's count and its records' stages (each stage's count and days, one query for all stages). A
    # whole month: the cohort's count and its cells (matching.summaries).
    with django_assert_num_queries(2):
        small = funnel_measures.referral_funnel(date_from=today, date_to=today)
    with django_assert_num_queries(2):
        small_month = funnel_measures.referral_funnel(**month)
    add(20)
    with django_assert_num_queries(2):
        large = funnel_measures.referral_funnel(date_from=today, date_to=today)
    with django_assert_num_queries(2):
        large_month = funnel_measures.referral_funnel(**month)
    assert small.stage("booked").count == small_month.stage("booked").count == 2
    assert large.stage("booked").count == large_month.stage("booked").count == 22
    assert large.stages == large_month.stages


def test_funnel_through_the_services_carries_a_partners_hire_over_once_R25_R43(adviser, other_adviser):
    """The same chain through the services (propose, invite, hire, book, close for the partner's duplicate)."""
    vacancy = make_vacancy(adviser, requested_positions=2)
    own, partner, *rest = (
        [make_candidate(adviser, vacancy)]
        + [make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)]
        + [make_candidate(adviser, vacancy) for _ in range(6)]
    )
    referrals = {
        c.pk: services.referral_propose(by=adviser, vacancy=vacancy, candidate=c) for c in (own, partner, *rest)
    }
    for candidate in (own, partner, rest[0]):
        services.referral_set_status(referral=referrals[candidate.pk], by=adviser, status="invited")
    for candidate in (own, partner):
        services.referral_set_status(referral=referrals[candidate.pk], by=adviser, status="hired")
    book(adviser, referrals[own.pk])
    [duplicate] = placement_services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    book(other_adviser, duplicate.referrals.get())

    today = timezone.localdate()
    funnel = funnel_measures.referral_funnel(date_from=today, date_to=today)
    assert funnel.counts() == [("registered", 1), ("proposed", 8), ("invited", 3), ("hired", 2), ("booked", 2),
                               ("durable", 0)]  # fmt: skip
    assert str(funnel.proposals_per_hire) == "4.0"  # the region's benchmark
