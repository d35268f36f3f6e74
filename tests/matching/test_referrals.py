"""The referral register: who proposes (R-17, R-18), on which vacancies (R-16), PAWA (R-21), which candidates
(R-41), and the timestamped stages of the funnel (R-21, R-43)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.principals import OrganisationPrincipal
from matching.choices import CandidateStatus, ReferralStatus, RejectionReason, TargetGroup
from matching.models import ReferralStatusChange
from matching.services import referrals as services
from tests.factories import UserFactory
from vacancies.choices import VacancyStatus, Visibility
from vacancies.models import RecruitmentPlan
from wsp.errors import Conflict, InvalidInput, RuleRefused

from .placement_helpers import make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy(adviser):
    return make_vacancy(adviser)


@pytest.fixture
def candidate(adviser, vacancy):
    return make_candidate(adviser, vacancy)


def assert_refused(exc_type, call, *, code: str, rule: str | None, counts):
    before = counts()
    with pytest.raises(exc_type) as refused:
        call()
    assert (refused.value.code, refused.value.rule) == (code, rule)
    assert counts() == before
    return refused.value


# --- Proposing (R-17, R-18, R-21) --------------------------------------------------------------------------------


def test_owner_proposes_and_the_register_has_the_line_at_that_moment_R21(adviser, vacancy, candidate):
    now = timezone.now()

    referral = services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate, note=" Sterk ", now=now)

    assert (referral.status, referral.referred_by, referral.organisation_id) == (
        "proposed",
        adviser,
        adviser.organisation_id,
    )
    assert referral.referred_at == referral.status_changed_at == now
    assert referral.note == "Sterk"
    line = ReferralStatusChange.objects.get(referral=referral)
    assert (line.from_status, line.to_status, line.changed_by, line.changed_at) == ("", "proposed", adviser, now)


def test_a_chain_partners_candidate_is_proposed_too_R18(adviser, other_adviser, vacancy):
    partner_candidate = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)
    referral = services.referral_propose(by=adviser, vacancy=vacancy, candidate=partner_candidate)
    assert referral.candidate.organisation != adviser.organisation


@pytest.mark.parametrize("who", ["colleague", "other_adviser", "manager"])
def test_only_the_vacancy_owner_proposes_R17(request, vacancy, candidate, who, counts):
    user = request.getfixturevalue(who)
    assert_refused(
        RuleRefused,
        lambda: services.referral_propose(by=user, vacancy=vacancy, candidate=candidate),
        code="not_vacancy_owner",
        rule="R-17",
        counts=counts,
    )


def test_an_organisation_token_does_not_propose_R01(uwv, vacancy, candidate, counts):
    assert_refused(
        RuleRefused,
        lambda: services.referral_propose(
            by=OrganisationPrincipal(organisation=uwv), vacancy=vacancy, candidate=candidate
        ),
        code="role_not_allowed",
        rule="R-01",
        counts=counts,
    )


def test_no_referral_on_a_blocked_vacancy_R16(adviser, candidate, vacancy, counts):
    vacancy.visibility, vacancy.blocked_reason = Visibility.BLOCKED, "Werkgever heeft tijdelijk een stop"
    vacancy.save()
    refused = assert_refused(
        RuleRefused,
        lambda: services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate),
        code="vacancy_blocked",
        rule="R-16",
        counts=counts,
    )
    assert refused.extra["blocked_reason"] == "Werkgever heeft tijdelijk een stop"


@pytest.mark.parametrize("status", [VacancyStatus.CLOSED, VacancyStatus.FILLED, VacancyStatus.EXPIRED])
def test_no_referral_on_a_vacancy_that_is_not_open_R16(adviser, candidate, vacancy, status, counts):
    vacancy.status = status
    vacancy.closed_at = timezone.now() if status != VacancyStatus.EXPIRED else None
    vacancy.save()
    assert_refused(
        RuleRefused,
        lambda: services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate),
        code="vacancy_not_open",
        rule="R-16",
        counts=counts,
    )


def test_pawa_is_for_uwv_staff_only_R21(adviser, other_adviser, counts):
    municipal_vacancy = make_vacancy(other_adviser)
    candidate = make_candidate(other_adviser, municipal_vacancy, target_group=TargetGroup.PWET)
    assert_refused(
        RuleRefused,
        lambda: services.referral_propose(by=other_adviser, vacancy=municipal_vacancy, candidate=candidate, pawa=True),
        code="pawa_uwv_only",
        rule="R-21",
        counts=counts,
    )
    # UWV staff may.
    uwv_vacancy = make_vacancy(adviser)
    uwv_candidate = make_candidate(adviser, uwv_vacancy)
    assert services.referral_propose(by=adviser, vacancy=uwv_vacancy, candidate=uwv_candidate, pawa=True).pawa


@pytest.mark.parametrize(
    ("change", "code", "rule"),
    [
        ({"status": CandidateStatus.PLACED}, "candidate_not_available", "R-41"),
        ({"work_ready_since": None}, "candidate_not_work_ready", "R-41"),
        ({"work_ready_since": timezone.localdate() + timedelta(days=7)}, "candidate_not_work_ready", "R-41"),
        ({"skills": []}, "requirements_not_met", "R-17"),
    ],
)
def test_only_available_work_ready_candidates_who_fit_are_proposed_R17_R41(
    adviser, vacancy, candidate, change, code, rule, counts
):
    for name, value in change.items():
        setattr(candidate, name, value)
    candidate.save()
    assert_refused(
        RuleRefused,
        lambda: services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate),
        code=code,
        rule=rule,
        counts=counts,
    )


def test_target_group_vacancy_refuses_a_candidate_outside_its_groups_R14_R17(adviser, counts):
    vacancy = make_vacancy(adviser, target_group_flags=["wajong"])
    ww_candidate = make_candidate(adviser, vacancy, target_group=TargetGroup.WW)
    refused = assert_refused(
        RuleRefused,
        lambda: services.referral_propose(by=adviser, vacancy=vacancy, candidate=ww_candidate),
        code="requirements_not_met",
        rule="R-17",
        counts=counts,
    )
    assert refused.extra["failures"] == ["target_group_mismatch"]
    wajong = make_candidate(adviser, vacancy, target_group=TargetGroup.WAJONG)
    assert services.referral_propose(by=adviser, vacancy=vacancy, candidate=wajong).status == "proposed"


def test_a_candidate_is_in_a_vacancys_register_once(adviser, vacancy, candidate, counts):
    propose(vacancy, candidate)
    assert_refused(
        Conflict,
        lambda: propose(vacancy, candidate),
        code="already_referred",
        rule=None,
        counts=counts,
    )


# --- Stages (R-21, R-43) -----------------------------------------------------------------------------------------


def test_every_status_change_is_a_timestamped_register_line_R21_R43(adviser, vacancy, candidate):
    start = timezone.now()
    referral = services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate, now=start)
    invited_at, hired_at = start + timedelta(days=2), start + timedelta(days=9)

    services.referral_set_status(referral=referral, by=adviser, status="invited", reason="Gesprek di", now=invited_at)
    referral = services.referral_set_status(referral=referral, by=adviser, status="hired", now=hired_at)

    assert (referral.status, referral.status_changed_at, referral.referred_at) == ("hired", hired_at, start)
    lines = list(referral.changes.values_list("from_status", "to_status", "changed_at", "reason"))
    assert lines == [
        ("", "proposed", start, ""),
        ("proposed", "invited", invited_at, "Gesprek di"),
        ("invited", "hired", hired_at, ""),
    ]


def test_rejection_needs_its_reason_R43(adviser, vacancy, candidate, counts):
    referral = propose(vacancy, candidate)
    refused = assert_refused(
        InvalidInput,
        lambda: services.referral_set_status(referral=referral, by=adviser, status="rejected"),
        code="rejection_reason_required",
        rule="R-43",
        counts=counts,
    )
    assert "rejection_reason" in refused.fields

    rejected = services.referral_set_status(
        referral=referral, by=adviser, status="rejected", rejection_reason=RejectionReason.DISTANCE
    )
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "distance")


def test_a_final_status_does_not_change_again(adviser, vacancy, candidate, counts):
    referral = services.referral_set_status(referral=propose(vacancy, candidate), by=adviser, status="withdrawn")
    for status in ("proposed", "invited", "hired"):
        assert_refused(
            Conflict,
            lambda status=status: services.referral_set_status(referral=referral, by=adviser, status=status),
            code="status_transition_not_allowed",
            rule=None,
            counts=counts,
        )


def test_the_candidates_own_organisation_may_withdraw_but_not_move_it_on_R17(
    adviser, other_adviser, municipality, vacancy, counts
):
    partner_candidate = make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET)
    referral = propose(vacancy, partner_candidate)
    partner_colleague = UserFactory(organisation=municipality)
    assert_refused(
        RuleRefused,
        lambda: services.referral_set_status(referral=referral, by=partner_colleague, status="invited"),
        code="not_vacancy_owner",
        rule="R-17",
        counts=counts,
    )

    withdrawn = services.referral_set_status(referral=referral, by=partner_colleague, status="withdrawn")

    assert withdrawn.status == "withdrawn"
    assert withdrawn.changes.last().changed_by == partner_colleague


def test_nobody_else_changes_the_status_R17(adviser, colleague, vacancy, candidate, counts):
    referral = propose(vacancy, candidate)
    other = make_candidate(colleague, vacancy)  # a colleague's candidate: same organisation as the owner
    propose(vacancy, other)
    for status in ("invited", "hired"):
        assert_refused(
            RuleRefused,
            lambda status=status: services.referral_set_status(referral=referral, by=colleague, status=status),
            code="not_vacancy_owner",
            rule="R-17",
            counts=counts,
        )


def test_hiring_needs_an_open_vacancy_R20(adviser, vacancy, candidate, counts):
    referral = propose(vacancy, candidate)
    vacancy.status = VacancyStatus.EXPIRED
    vacancy.save()
    assert_refused(
        RuleRefused,
        lambda: services.referral_set_status(referral=referral, by=adviser, status="hired"),
        code="vacancy_expired_reactivate_first",
        rule="R-20",
        counts=counts,
    )
    # Other answers are still registered on an expired vacancy: the funnel must stay complete.
    assert services.referral_set_status(referral=referral, by=adviser, status="invited").status == "invited"
    assert ReferralStatus.INVITED in referral.changes.values_list("to_status", flat=True)


def test_a_co_production_refers_only_after_its_recruitment_plan_R19(adviser, other_adviser, counts):
    vacancy = make_vacancy(adviser, requested_positions=12)
    candidate = make_candidate(adviser, vacancy)
    assert_refused(
        RuleRefused,
        lambda: services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate),
        code="co_production_plan_first",
        rule="R-19",
        counts=counts,
    )
    RecruitmentPlan.objects.create(vacancy=vacancy, activities=["speed_meet"], created_by=adviser)
    assert services.referral_propose(by=adviser, vacancy=vacancy, candidate=candidate).status == "proposed"
