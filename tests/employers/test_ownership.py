"""Ownership: one main account holder (R-03), admission by request (R-04), takeover after 12 months (R-05)."""

import threading
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from accounts.choices import Role
from employers import services
from employers.choices import AccessRequestStatus, AccountHolderVia
from employers.models import AccessRequest, AccountHolder, Employer
from tests.factories import AccessRequestFactory, AccountHolderFactory, EmployerFactory, UserFactory
from wsp.errors import Conflict, NotVisible, RuleRefused

pytestmark = pytest.mark.django_db

THIRTEEN_MONTHS = relativedelta(months=13)


# --- admission requests ----------------------------------------------------------------------------------


def test_adviser_asks_the_main_account_holder_for_admission_R04(employer, other_adviser):
    request = services.access_request_create(employer_id=employer.pk, by=other_adviser, message=" Graag ")
    assert (request.status, request.requester, request.message) == (AccessRequestStatus.PENDING, other_adviser, "Graag")
    assert not AccountHolder.objects.filter(employer=employer, user=other_adviser).exists()


def test_second_pending_request_is_a_conflict_R04(employer, other_adviser, counts):
    services.access_request_create(employer_id=employer.pk, by=other_adviser)
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.access_request_create(employer_id=employer.pk, by=other_adviser)
    assert refused.value.code == "access_request_pending"
    assert counts() == before


def test_main_or_existing_account_holder_does_not_ask_R04(employer, adviser, colleague, counts):
    AccountHolderFactory(employer=employer, user=colleague)
    before = counts()
    for user, code in ((adviser, "already_main_account_holder"), (colleague, "already_account_holder")):
        with pytest.raises(Conflict) as refused:
            services.access_request_create(employer_id=employer.pk, by=user)
        assert refused.value.code == code
    assert counts() == before


def test_request_for_unknown_or_merged_employer_is_not_found_R04(employer, other_adviser):
    merged = EmployerFactory(merged_into=employer)
    for employer_id in (merged.pk, 999_999_999):
        with pytest.raises(NotVisible):
            services.access_request_create(employer_id=employer_id, by=other_adviser)


def test_approval_by_the_main_account_holder_admits_the_requester_R04(employer, adviser, other_adviser):
    request = AccessRequestFactory(employer=employer, requester=other_adviser)

    decided = services.access_request_decide(request_id=request.pk, by=adviser, approve=True, note="Welkom")

    assert (decided.status, decided.decided_by, decided.decision_note) == ("approved", adviser, "Welkom")
    assert decided.decided_at is not None
    assert AccountHolder.objects.get(employer=employer, user=other_adviser).via == AccountHolderVia.ACCESS_REQUEST


def test_decline_is_recorded_and_admits_nobody_R04(employer, adviser, other_adviser):
    request = AccessRequestFactory(employer=employer, requester=other_adviser)

    services.access_request_decide(request_id=request.pk, by=adviser, approve=False)

    request.refresh_from_db()
    assert (request.status, request.decided_by) == (AccessRequestStatus.DECLINED, adviser)
    assert not AccountHolder.objects.filter(employer=employer).exists()


@pytest.mark.parametrize("decider", ["colleague", "other_adviser", "manager"])
def test_only_the_main_account_holder_decides_R04(request, employer, decider, counts):
    access = AccessRequestFactory(employer=employer)
    before = counts()
    for approve in (True, False):
        with pytest.raises(RuleRefused) as refused:
            services.access_request_decide(request_id=access.pk, by=request.getfixturevalue(decider), approve=approve)
        assert refused.value.rule == "R-04"
    access.refresh_from_db()
    assert access.status == AccessRequestStatus.PENDING
    assert counts() == before


def test_a_request_is_decided_once_R04(employer, adviser):
    access = AccessRequestFactory(employer=employer)
    services.access_request_decide(request_id=access.pk, by=adviser, approve=False)
    with pytest.raises(Conflict):
        services.access_request_decide(request_id=access.pk, by=adviser, approve=True)
    assert not AccountHolder.objects.filter(employer=employer).exists()


def test_after_a_decline_the_adviser_may_ask_again_R04(employer, adviser, other_adviser):
    first = services.access_request_create(employer_id=employer.pk, by=other_adviser)
    services.access_request_decide(request_id=first.pk, by=adviser, approve=False)
    second = services.access_request_create(employer_id=employer.pk, by=other_adviser)
    assert second.status == AccessRequestStatus.PENDING
    assert AccessRequest.objects.filter(employer=employer, requester=other_adviser).count() == 2


# --- takeover --------------------------------------------------------------------------------------------


def test_takeover_refused_within_12_months_R05(employer, adviser, other_adviser, set_last_contact, now, counts):
    last = now - relativedelta(months=11)
    set_last_contact(employer, last)
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        services.employer_take_over(employer_id=employer.pk, by=other_adviser)

    assert (refused.value.code, refused.value.rule) == ("takeover_too_early", "R-05")
    expected = timezone.localdate(last + relativedelta(months=12)).isoformat()
    assert refused.value.extra["possible_from"] == expected
    employer.refresh_from_db()
    assert (employer.main_account_holder, employer.last_contact_at) == (adviser, last)
    assert counts() == before


def test_takeover_refused_one_day_before_the_12_months_are_over_R05(employer, other_adviser, set_last_contact, now):
    set_last_contact(employer, now - relativedelta(months=12) + timedelta(days=1))
    with pytest.raises(RuleRefused):
        services.employer_take_over(employer_id=employer.pk, by=other_adviser)


def test_takeover_after_12_months_makes_the_old_main_an_account_holder_R05(
    employer, adviser, other_adviser, set_last_contact, now
):
    AccountHolderFactory(employer=employer, user=other_adviser)  # an account holder may take over too
    set_last_contact(employer, now - relativedelta(months=12) - timedelta(days=1))

    taken = services.employer_take_over(employer_id=employer.pk, by=other_adviser)

    assert taken.main_account_holder == other_adviser
    holders = {h.user_id: h.via for h in AccountHolder.objects.filter(employer=employer)}
    assert holders == {adviser.pk: AccountHolderVia.OWNERSHIP_CHANGE}
    # The takeover is itself an audit-trail entry: the clock restarts.
    assert abs(timezone.now() - taken.last_contact_at) < timedelta(minutes=1)
    assert services.takeover_possible_from(taken) > now + relativedelta(months=11)


def test_takeover_of_employer_without_any_contact_is_possible_R05(employer, other_adviser):
    Employer.objects.filter(pk=employer.pk).update(last_contact_at=None)
    assert services.employer_take_over(employer_id=employer.pk, by=other_adviser).main_account_holder == other_adviser


def test_only_advisers_take_over_R03(employer, uwv, manager, set_last_contact, now, counts):
    set_last_contact(employer, now - THIRTEEN_MONTHS)
    acquirer = UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER)
    before = counts()
    for user in (manager, acquirer):
        with pytest.raises(RuleRefused) as refused:
            services.employer_take_over(employer_id=employer.pk, by=user)
        assert refused.value.rule == "R-03"
    assert counts() == before


def test_main_account_holder_cannot_take_over_own_employer_R05(employer, adviser, set_last_contact, now):
    set_last_contact(employer, now - THIRTEEN_MONTHS)
    with pytest.raises(Conflict):
        services.employer_take_over(employer_id=employer.pk, by=adviser)


def test_second_takeover_right_after_the_first_is_refused_R05(
    employer, other_adviser, colleague, set_last_contact, now, counts
):
    """Sequential form of the race: the first takeover resets the clock, so the second is too early."""
    set_last_contact(employer, now - THIRTEEN_MONTHS)
    services.employer_take_over(employer_id=employer.pk, by=other_adviser)
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        services.employer_take_over(employer_id=employer.pk, by=colleague)

    assert refused.value.rule == "R-05"
    employer.refresh_from_db()
    assert employer.main_account_holder == other_adviser
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_two_advisers_taking_over_at_once_exactly_one_wins_R03_R05():
    """Two threads, two database connections, one barrier: the row lock lets one through and the clock it resets
    refuses the other, so the employer never gets a second main account holder (R-03)."""
    old_main = UserFactory()
    rivals = [UserFactory(), UserFactory()]
    employer = EmployerFactory(main_account_holder=old_main)
    Employer.objects.filter(pk=employer.pk).update(last_contact_at=timezone.now() - THIRTEEN_MONTHS)
    barrier = threading.Barrier(len(rivals))
    outcomes: dict[int, object] = {}

    def take_over(user):
        try:
            barrier.wait(timeout=10)
            outcomes[user.pk] = services.employer_take_over(employer_id=employer.pk, by=user).main_account_holder_id
        except Exception as exc:  # the refusal is the outcome under test
            outcomes[user.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=take_over, args=(user,)) for user in rivals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [pk for pk, outcome in outcomes.items() if outcome == pk]
    losers = [outcome for outcome in outcomes.values() if isinstance(outcome, RuleRefused)]
    assert len(winners) == 1, outcomes
    assert [loser.rule for loser in losers] == ["R-05"]
    employer.refresh_from_db()
    assert employer.main_account_holder_id == winners[0]
    assert set(AccountHolder.objects.filter(employer=employer).values_list("user_id", flat=True)) == {old_main.pk}
