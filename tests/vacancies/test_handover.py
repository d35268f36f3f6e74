"""Handing a vacancy over (R-13 chain partner, R-24 the system's move, a colleague's takeover)."""

import pytest

from employers.choices import AccountHolderVia, LastContactSource
from employers.models import AccountHolder
from tests.factories import AccountHolderFactory, ContactRequestFactory, UserFactory, VacancyFactory
from vacancies import services
from vacancies.choices import HandoverReason, VacancyStatus
from vacancies.models import Vacancy, VacancyHandover
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


def holders(employer) -> dict[int, str]:
    return dict(AccountHolder.objects.filter(employer=employer).values_list("user_id", "via"))


def test_hand_over_to_a_chain_partner_moves_only_the_vacancy_by_default_R13(vacancy, employer, adviser, other_adviser):
    services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=other_adviser, note="Past bij hun Wajong-groep")

    vacancy.refresh_from_db()
    employer.refresh_from_db()
    assert (vacancy.owner, vacancy.organisation) == (other_adviser, other_adviser.organisation)
    # The partner adds itself as account holder; the employer's ownership stays (R-13 default).
    assert employer.main_account_holder == adviser
    assert holders(employer) == {other_adviser.pk: AccountHolderVia.HANDOVER}
    handover = VacancyHandover.objects.get(vacancy=vacancy)
    assert (
        handover.from_user, handover.to_user, handover.from_organisation, handover.to_organisation, handover.reason,
        handover.employer_moved, handover.note, handover.handed_over_by,
    ) == (
        adviser, other_adviser, adviser.organisation, other_adviser.organisation, HandoverReason.CHAIN_PARTNER,
        False, "Past bij hun Wajong-groep", adviser,
    )  # fmt: skip


def test_employer_ownership_moves_only_when_agreed_R13(vacancy, employer, adviser, other_adviser):
    services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=other_adviser.pk, move_employer=True)

    employer.refresh_from_db()
    assert employer.main_account_holder == other_adviser
    # The old main account holder stays as account holder; the new one is not listed twice.
    assert holders(employer) == {adviser.pk: AccountHolderVia.OWNERSHIP_CHANGE}
    assert VacancyHandover.objects.get(vacancy=vacancy).employer_moved is True


def test_an_agreed_employer_move_is_the_employers_one_and_open_contact_requests_follow_R05_R10_R13(
    vacancy, employer, adviser, other_adviser, now
):
    """One implementation of the agreed ownership move (employers.services.employer_ownership_move_agreed): the new
    main account holder's 12 months start (R-05) and, as with every change of main account holder, the employer's
    open contact requests go to them (R-10; before, the vacancies copy left them with the old holder)."""
    waiting = ContactRequestFactory(employer=employer)
    answered = ContactRequestFactory(employer=employer, responded_at=now, responded_by=adviser)
    services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=other_adviser, move_employer=True)

    employer.refresh_from_db()
    assert (employer.last_contact_source, employer.last_contact_by) == (
        LastContactSource.OWNERSHIP_CHANGE, other_adviser,
    )  # fmt: skip
    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert (waiting.assigned_to, answered.assigned_to) == (other_adviser, adviser)


def test_the_vacancy_services_are_one_package_with_every_name_its_callers_use():
    """vacancies.services was split by sub-domain; every name other apps and tests import stays importable."""
    import vacancies.services as package

    names = (
        "vacancy_register", "vacancy_register_for_new_employer", "vacancy_intake_register", "vacancy_intake_dismiss",
        "vacancy_correct_receipt", "vacancy_update", "vacancy_block", "vacancy_unblock", "vacancy_close",
        "vacancy_reactivate", "vacancy_extend", "vacancy_hand_over", "vacancy_offer_to_partners",
        "vacancy_withdraw_partner_offer", "vacancy_take_from_partner", "vacancy_duplicate", "co_production_start",
        "partner_hires_to_book", "vacancies_warn_expiring", "vacancies_expire_stale",
        "refuse_discriminating_requirements", "check_texts", "booked_placements", "COPIED_FIELDS", "EDITABLE_FIELDS",
        "DISCRIMINATING_KEYS", "BOOKED", "HIRED", "CLOCK_SLACK", "MSG_CORRECT_FIELDS",
        "vacancies_anonymise_for_employers",
    )  # fmt: skip
    assert [name for name in names if not hasattr(package, name)] == []
    assert set(package.__all__) >= set(names)
    assert not hasattr(package, "_move_main_account_holder")


def test_existing_account_holder_is_not_added_twice_R13(vacancy, employer, adviser, other_adviser):
    AccountHolderFactory(employer=employer, user=other_adviser)
    services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=other_adviser)
    assert holders(employer) == {other_adviser.pk: AccountHolderVia.ACCESS_REQUEST}


def test_hand_over_within_the_own_organisation_is_not_a_chain_partner_R13(vacancy, adviser, colleague, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=colleague)
    assert (refused.value.code, refused.value.rule) == ("not_a_chain_partner", "R-13")
    assert counts() == before


def test_colleague_takes_over_with_reason_takeover(vacancy, employer, adviser, colleague, other_adviser, counts):
    services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=colleague, reason=HandoverReason.TAKEOVER)
    vacancy.refresh_from_db()
    assert (vacancy.owner, vacancy.organisation) == (colleague, adviser.organisation)

    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_hand_over(vacancy=vacancy, by=colleague, to_user=other_adviser, reason=HandoverReason.TAKEOVER)
    assert refused.value.code == "not_a_colleague"
    assert counts() == before


@pytest.mark.parametrize("caller", ["colleague", "other_adviser"])
def test_only_the_owner_hands_over_R13(request, vacancy, other_adviser, counts, caller):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_hand_over(vacancy=vacancy, by=request.getfixturevalue(caller), to_user=other_adviser)
    assert (refused.value.code, refused.value.rule) == ("not_vacancy_owner", "R-13")
    assert counts() == before


def test_system_moves_the_vacancy_when_a_partners_candidate_is_hired_R24(vacancy, employer, other_adviser):
    # The matching app calls this while the partner marks its candidate hired: not the owner's action.
    services.vacancy_hand_over(
        vacancy=vacancy,
        by=other_adviser,
        to_user=other_adviser,
        reason=HandoverReason.PARTNER_HIRED,
        enforce_owner=False,
    )
    vacancy.refresh_from_db()
    assert vacancy.owner == other_adviser
    assert VacancyHandover.objects.get(vacancy=vacancy).reason == HandoverReason.PARTNER_HIRED


def test_closed_vacancy_is_not_handed_over_R13(vacancy, adviser, other_adviser, counts, now):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.CLOSED, closed_at=now)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=other_adviser)
    assert refused.value.code == "vacancy_not_open"
    assert counts() == before


def test_hand_over_to_oneself_or_to_a_non_adviser_is_refused(vacancy, adviser, municipality, counts):
    manager = UserFactory(organisation=municipality, manager=True)
    before = counts()
    with pytest.raises(Conflict):
        services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=adviser)
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=manager)
    assert list(refused.value.fields) == ["to_user"]
    with pytest.raises(InvalidInput):
        services.vacancy_hand_over(vacancy=vacancy, by=adviser, to_user=987654321)
    assert counts() == before


def test_only_the_main_account_holder_agrees_to_move_the_employer_R03_R05_R13(
    employer, adviser, colleague, other_adviser, counts
):
    # The vacancy is the colleague's; the employer is Anna's. Handing over the vacancy may not take the
    # employer away from its main account holder: that takes her agreement, or 12 months without contact.
    vacancy = VacancyFactory(employer=employer, owner=colleague)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_hand_over(vacancy=vacancy, by=colleague, to_user=other_adviser, move_employer=True)
    assert (refused.value.code, refused.value.rule) == ("employer_move_needs_main_account_holder", "R-13")
    assert "R-05" in str(refused.value.detail)
    assert list(refused.value.fields) == ["move_employer"]
    assert counts() == before
    employer.refresh_from_db()
    assert employer.main_account_holder == adviser

    # Only the vacancy moves: allowed.
    services.vacancy_hand_over(vacancy=vacancy, by=colleague, to_user=other_adviser)
    employer.refresh_from_db()
    assert employer.main_account_holder == adviser
    assert holders(employer) == {other_adviser.pk: AccountHolderVia.HANDOVER}


def test_a_takeover_never_moves_the_employer_R13_R05(vacancy, employer, adviser, colleague, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_hand_over(
            vacancy=vacancy, by=adviser, to_user=colleague, reason=HandoverReason.TAKEOVER, move_employer=True
        )
    assert (refused.value.code, refused.value.rule) == ("employer_move_not_by_takeover", "R-13")
    assert counts() == before


def test_the_system_move_R24_never_moves_the_employer(vacancy, employer, adviser, other_adviser):
    services.vacancy_hand_over(
        vacancy=vacancy, by=other_adviser, to_user=other_adviser, reason=HandoverReason.PARTNER_HIRED,
        enforce_owner=False,
    )  # fmt: skip
    employer.refresh_from_db()
    assert employer.main_account_holder == adviser
    assert VacancyHandover.objects.get(vacancy=vacancy).employer_moved is False


def test_moving_the_employer_over_the_api_needs_the_main_account_holder_R13(
    client_for, employer, colleague, other_adviser, counts
):
    vacancy = VacancyFactory(employer=employer, owner=colleague)
    before = counts()
    response = client_for(colleague).post(
        f"/api/v1/vacancies/{vacancy.pk}/hand-over/",
        {"to_user": other_adviser.pk, "move_employer": True},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert (response.json()["code"], response.json()["rule"]) == ("employer_move_needs_main_account_holder", "R-13")
    assert counts() == before
