"""Registering a vacancy through the service: R-05, R-12, R-14, R-15, R-16, R-20, R-42."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.choices import Role
from accounts.principals import OrganisationPrincipal
from employers.choices import EmployerStatus
from employers.models import AccountHolder, Employer
from tests.factories import AccountHolderFactory, EmployerFactory, UserFactory
from vacancies.choices import TargetGroupFlag, Visibility
from vacancies.models import Vacancy
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


def test_registration_records_receipt_owner_and_one_position_R12_R20(register, adviser, employer, now, skills):
    vacancy = register(
        title="  Heftruckchauffeur ",
        requested_positions=12,
        skills=[skills[0].pk, skills[1].pk, skills[0].pk],
        received_at=now - timedelta(hours=5),
    )

    vacancy.refresh_from_db()
    assert (vacancy.owner, vacancy.organisation, vacancy.created_by) == (adviser, adviser.organisation, adviser)
    assert (vacancy.title, vacancy.requested_positions, vacancy.positions) == ("Heftruckchauffeur", 12, 1)
    assert vacancy.skills == [skills[0].pk, skills[1].pk]
    assert (vacancy.received_at, vacancy.registered_at) == (now - timedelta(hours=5), now)
    assert vacancy.registered_late is False
    assert vacancy.expires_on == timezone.localdate(now) + timedelta(days=settings.WSP["VACANCY_VALID_DAYS"])
    # The work location defaults to the employer's.
    assert (vacancy.postcode, vacancy.municipality) == (employer.postcode, employer.municipality)
    # Registering does not make anyone account holder (only a handover does, R-13).
    assert not AccountHolder.objects.filter(employer=employer).exists()


def test_registration_counts_as_contact_with_the_employer_R05(register, employer, set_last_contact, now):
    set_last_contact(employer, now - timedelta(days=400))
    vacancy = register()
    employer.refresh_from_db()
    # The employer reported it when it was received: that is the contact (registered by its main account holder).
    assert employer.last_contact_at == vacancy.received_at
    assert (employer.last_contact_source, employer.last_contact_object_id) == ("vacancy", vacancy.pk)


def test_registration_more_than_24_hours_after_receipt_is_flagged_late_R12(register, now):
    late = register(received_at=now - timedelta(hours=30))
    on_time = register(received_at=now - timedelta(hours=23))
    assert (late.registered_late, on_time.registered_late) == (True, False)
    assert set(Vacancy.objects.registered_late().values_list("pk", flat=True)) == {late.pk}


def test_receipt_in_the_future_is_refused_R12(register, now, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(received_at=now + timedelta(hours=2))
    assert (refused.value.rule, list(refused.value.fields)) == ("R-12", ["received_at"])
    assert counts() == before


def test_registration_before_receipt_is_refused_R12(register, now, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(received_at=now - timedelta(hours=1), registered_at=now - timedelta(hours=2))
    assert "registered_at" in refused.value.fields
    assert counts() == before


@pytest.mark.parametrize("positions", [2, 12])
def test_more_than_one_position_at_registration_is_refused_R20(register, counts, positions):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        register(requested_positions=12, positions=positions)
    assert (refused.value.code, refused.value.rule, refused.value.status_code) == ("positions_above_one", "R-20", 403)
    assert counts() == before


@pytest.mark.parametrize(("min_age", "max_age"), [(18, None), (None, 27), (18, 27)])
def test_age_requirement_on_an_ordinary_vacancy_is_refused_R15(register, counts, min_age, max_age):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        register(min_age=min_age, max_age=max_age)
    assert (refused.value.code, refused.value.rule) == ("age_requirement_not_allowed", "R-15")
    assert counts() == before


def test_target_group_vacancy_may_set_an_age_requirement_R14_R15(register):
    vacancy = register(target_group_flags=[TargetGroupFlag.YOUTH, TargetGroupFlag.YOUTH], max_age=27)
    assert (vacancy.target_group_flags, vacancy.max_age, vacancy.is_target_group) == (["youth"], 27, True)


def test_age_range_upside_down_is_refused(register, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(target_group_flags=[TargetGroupFlag.OVER_50], min_age=60, max_age=50)
    assert "max_age" in refused.value.fields
    assert counts() == before


def test_unknown_target_group_flag_is_refused_R14(register, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(target_group_flags=["men_only"])
    assert "target_group_flags" in refused.value.fields
    assert counts() == before


def test_blocked_without_reason_is_refused_R16(register, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(visibility=Visibility.BLOCKED, blocked_reason="  ")
    assert (refused.value.code, refused.value.rule, refused.value.status_code) == (
        "blocked_reason_required",
        "R-16",
        400,
    )
    assert list(refused.value.fields) == ["blocked_reason"]
    assert counts() == before


def test_blocked_with_reason_is_registered_and_takes_no_referrals_R16(register):
    vacancy = register(visibility=Visibility.BLOCKED, blocked_reason="Werkgever herziet de functie")
    assert (vacancy.visibility, vacancy.blocked_reason, vacancy.accepts_referrals) == (
        "blocked",
        "Werkgever herziet de functie",
        False,
    )


def test_reason_of_an_unblocked_vacancy_is_not_kept_R16(register):
    assert register(visibility=Visibility.ANONYMOUS, blocked_reason="irrelevant").blocked_reason == ""


def test_unknown_skills_are_refused_R42(register, skills, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(skills=[skills[0].pk, 987654321])
    assert "987654321" in str(refused.value.fields["skills"][0])
    assert counts() == before


def test_occupation_joins_the_skills_R42(register, occupation, skills):
    vacancy = register(occupation=occupation.pk, skills=[skills[0].pk])
    assert vacancy.occupation == occupation
    assert vacancy.skills == [occupation.pk, skills[0].pk]


def test_a_skill_is_not_an_occupation_R42(register, skills, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(occupation=skills[0].pk)
    assert "occupation" in refused.value.fields
    assert counts() == before


def test_owner_named_by_an_account_manager_gives_the_vacancy_its_organisation_R17(
    register, uwv, other_adviser, employer
):
    # both the account manager and the owner they name are admitted account holders of the employer.
    acquirer = UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER)
    AccountHolderFactory(employer=employer, user=acquirer)
    AccountHolderFactory(employer=employer, user=other_adviser)
    vacancy = register(by=acquirer, owner=other_adviser.pk)
    assert (vacancy.owner, vacancy.organisation, vacancy.created_by) == (
        other_adviser,
        other_adviser.organisation,
        acquirer,
    )


@pytest.mark.parametrize("owner", ["account_manager", "inactive", "unknown"])
def test_owner_must_be_an_active_adviser(register, uwv, counts, owner):
    user = {
        "account_manager": lambda: UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER),
        "inactive": lambda: UserFactory(organisation=uwv, is_active=False),
        "unknown": lambda: 987654321,
    }[owner]()
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(owner=user)
    assert "owner" in refused.value.fields
    assert counts() == before


def test_unknown_employer_is_invalid_input(register, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(employer=987654321)
    assert (refused.value.code, list(refused.value.fields)) == ("unknown_employer", ["employer"])
    assert counts() == before


def test_ceased_employer_takes_no_vacancy_R09(register, employer, counts, now):
    Employer.objects.filter(pk=employer.pk).update(status=EmployerStatus.CEASED, ceased_on=now.date())
    before = counts()
    with pytest.raises(Conflict) as refused:
        register()
    assert (refused.value.code, refused.value.rule) == ("employer_ceased", "R-09")
    assert counts() == before


def test_merged_record_takes_no_vacancy_R07(register, employer, counts):
    tombstone = EmployerFactory(merged_into=employer)
    before = counts()
    with pytest.raises(Conflict) as refused:
        register(employer=tombstone)
    assert (refused.value.code, refused.value.extra["merged_into"]) == ("employer_merged", employer.pk)
    assert counts() == before


def test_organisation_principal_cannot_register_R01(register, uwv, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        register(by=OrganisationPrincipal(organisation=uwv), owner=None)
    assert refused.value.code == "role_not_allowed"
    assert counts() == before


def test_registration_is_in_the_vacancy_history(register, adviser):
    vacancy = register()
    event = vacancy.events.get()
    assert (event.pgh_label, event.pgh_context.metadata["user"]) == ("insert", adviser.pk)
