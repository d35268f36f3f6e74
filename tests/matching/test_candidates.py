"""Candidates through the services and selectors (R-40, R-41, R-58): registering, the BSN, who sees whom,
completeness, freshness and the stale worklist."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from matching.bsn import bsn_lookup_hash
from matching.choices import CandidateStatus, TargetGroup
from matching.models import Candidate
from matching.selectors import candidates as selectors
from matching.services import candidates as services
from tests.factories import CandidateFactory, ReferralFactory, SkillFactory, UserFactory, VacancyFactory
from wsp.errors import Conflict, InvalidInput, NotVisible, RuleRefused

pytestmark = pytest.mark.django_db

VALID_BSN = "123456782"
OTHER_VALID_BSN = "111222333"
INVALID_BSNS = ["123456781", "12345678a", "1234567820", "000000000", "1234"]


@pytest.fixture
def skills():
    return SkillFactory.create_batch(3)


@pytest.fixture
def register(adviser, skills):
    def make(**overrides):
        by = overrides.pop("by", adviser)
        fields = {
            "first_name": "Sanne",
            "last_name": "de Vries",
            "target_group": TargetGroup.WW,
            "hours_per_week": 32,
            "postcode": "2011ab",
            "skills": [skills[1].pk, skills[0].pk, skills[0].pk],
        }
        fields.update(overrides)
        return services.candidate_create(by=by, **fields)

    return make


# --- Registering ------------------------------------------------------------------------------------------------


def test_register_with_the_least_data_R58(register, adviser, skills):
    candidate = register()
    assert candidate.organisation == adviser.organisation
    assert candidate.adviser == adviser
    assert candidate.created_by == adviser
    assert candidate.status == CandidateStatus.AVAILABLE
    assert candidate.postcode == "2011 AB"
    assert candidate.skills == sorted({skills[0].pk, skills[1].pk})
    assert candidate.bsn == "" and candidate.bsn_hash is None
    assert candidate.profile_reviewed_at is not None


def test_adviser_must_be_a_colleague_of_the_own_organisation_R40(register, other_adviser, colleague, counts):
    assert register(adviser=colleague.pk).adviser == colleague
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(adviser=other_adviser.pk)
    assert refused.value.code == "invalid_adviser"
    assert counts() == before


def test_unknown_or_retired_skills_are_refused_R42(register, counts):
    retired = SkillFactory(is_active=False)
    before = counts()
    for bad in ([999_999], [retired.pk]):
        with pytest.raises(InvalidInput) as refused:
            register(skills=bad)
        assert "skills" in refused.value.fields
    assert counts() == before


def test_model_rules_are_field_errors(register, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(postcode="nope", hours_per_week=0, birth_date=timezone.localdate() + timedelta(days=1))
    assert {"postcode", "hours_per_week", "birth_date"} <= set(refused.value.fields)
    assert counts() == before


def test_organisation_token_and_unknown_roles_do_not_write_R01(register, uwv):
    from accounts.principals import OrganisationPrincipal

    with pytest.raises(RuleRefused):
        register(by=OrganisationPrincipal(organisation=uwv))


# --- BSN (R-40) -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", INVALID_BSNS)
def test_bsn_failing_the_eleven_test_is_refused_without_echoing_it_R40(register, counts, bad):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(bsn=bad)
    error = refused.value
    assert (error.code, error.rule) == ("bsn_invalid", "R-40")
    assert list(error.fields) == ["bsn"]
    assert bad not in str(error.as_dict())
    assert counts() == before


def test_bsn_is_optional_and_normalised_R58(register):
    assert register(bsn="").bsn_hash is None
    candidate = register(bsn="1234.56.782")
    assert candidate.bsn == VALID_BSN
    assert candidate.bsn_hash == bsn_lookup_hash(VALID_BSN)


def test_bsn_is_encrypted_at_rest_R40(register):
    candidate = register(bsn=VALID_BSN, health_notes="Rugklachten")
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn, bsn_hash, health_notes FROM matching_candidate WHERE id = %s", [candidate.pk])
        stored_bsn, stored_hash, stored_notes = cursor.fetchone()
    assert VALID_BSN not in stored_bsn and stored_bsn.startswith("gAAAA")  # a Fernet token
    assert VALID_BSN not in stored_hash
    assert "Rugklachten" not in stored_notes
    assert Candidate.objects.get(pk=candidate.pk).bsn == VALID_BSN


def test_a_bsn_is_registered_once_per_organisation_R40(register, colleague, counts):
    register(bsn=VALID_BSN)
    before = counts()
    with pytest.raises(Conflict) as refused:
        register(by=colleague, bsn="123 456 782", adviser=None)
    error = refused.value
    assert (error.code, error.rule) == ("bsn_already_registered", "R-40")
    body = str(error.as_dict())
    assert VALID_BSN not in body and "id" not in error.extra
    assert counts() == before


def test_another_organisations_bsn_is_no_oracle_R40(register, adviser, other_adviser):
    """R-40: the duplicate check looks only at the caller's own caseload, so registering a BSN tells nothing about
    another partner's caseload; each partner may have the person in its own caseload."""
    mine = register(bsn=VALID_BSN)
    theirs = register(by=other_adviser, bsn="123 456 782", adviser=None)
    assert mine.bsn_hash == theirs.bsn_hash and mine.organisation != theirs.organisation
    # An update to a BSN another organisation holds is no oracle either.
    other = register(bsn=OTHER_VALID_BSN)
    services.candidate_update(candidate=other, by=adviser, bsn="")
    services.candidate_update(candidate=theirs, by=other_adviser, bsn=OTHER_VALID_BSN)
    assert services.candidate_update(candidate=other, by=adviser, bsn=OTHER_VALID_BSN).bsn == OTHER_VALID_BSN


def test_the_database_keeps_a_bsn_once_per_organisation_R40(register, adviser):
    candidate = register(bsn=VALID_BSN)
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(adviser=adviser, bsn=VALID_BSN, bsn_hash=candidate.bsn_hash)


def test_update_sets_changes_and_removes_the_bsn_R40_R58(register, adviser):
    candidate = register(bsn=VALID_BSN)
    services.candidate_update(candidate=candidate, by=adviser, bsn=OTHER_VALID_BSN)
    candidate.refresh_from_db()
    assert (candidate.bsn, candidate.bsn_hash) == (OTHER_VALID_BSN, bsn_lookup_hash(OTHER_VALID_BSN))
    # Setting the same BSN again is no conflict with itself.
    services.candidate_update(candidate=candidate, by=adviser, bsn=OTHER_VALID_BSN)
    services.candidate_update(candidate=candidate, by=adviser, bsn="")
    candidate.refresh_from_db()
    assert (candidate.bsn, candidate.bsn_hash) == ("", None)
    # Leaving the BSN out keeps it.
    services.candidate_update(candidate=candidate, by=adviser, bsn=VALID_BSN)
    services.candidate_update(candidate=candidate, by=adviser, hours_per_week=20)
    candidate.refresh_from_db()
    assert candidate.bsn == VALID_BSN


def test_update_to_a_taken_or_invalid_bsn_is_refused_and_changes_nothing_R40(register, adviser):
    register(bsn=VALID_BSN)
    candidate = register(bsn=OTHER_VALID_BSN, first_name="Tweede")
    for bad, error in ((VALID_BSN, Conflict), ("123456781", InvalidInput)):
        with pytest.raises(error):
            services.candidate_update(candidate=candidate, by=adviser, bsn=bad, hours_per_week=12)
    candidate.refresh_from_db()
    assert (candidate.bsn, candidate.hours_per_week) == (OTHER_VALID_BSN, 32)


# --- Writes by the own organisation only (R-40) -----------------------------------------------------------------


def test_other_organisation_cannot_update_or_review_a_candidate_R40(register, other_adviser, counts):
    candidate = register()
    # Even the owner of a vacancy the candidate is referred to: seeing contact details is not editing.
    ReferralFactory(candidate=candidate, vacancy=VacancyFactory(owner=other_adviser))
    before = counts()
    with pytest.raises(NotVisible):
        services.candidate_update(candidate=candidate, by=other_adviser, hours_per_week=10)
    with pytest.raises(NotVisible):
        services.candidate_mark_reviewed(candidate=candidate, by=other_adviser)
    assert counts() == before
    candidate.refresh_from_db()
    assert candidate.hours_per_week == 32


def test_colleague_updates_and_reviews(register, colleague, now):
    candidate = register()
    services.candidate_update(candidate=candidate.pk, by=colleague, status=CandidateStatus.INACTIVE)
    later = now + timedelta(days=3)
    reviewed = services.candidate_mark_reviewed(candidate=candidate, by=colleague, now=later)
    assert reviewed.profile_reviewed_at == later
    assert reviewed.status == CandidateStatus.INACTIVE


# --- Who sees whom (R-40) ---------------------------------------------------------------------------------------


def test_visible_are_the_own_caseload_and_candidates_referred_to_my_vacancies_R40(adviser, colleague, other_adviser):
    own = CandidateFactory(adviser=colleague)
    foreign = CandidateFactory(adviser=other_adviser)
    referred = CandidateFactory(adviser=other_adviser)
    ReferralFactory(candidate=referred, vacancy=VacancyFactory(owner=adviser))
    ReferralFactory(candidate=foreign, vacancy=VacancyFactory(owner=UserFactory(organisation=adviser.organisation)))
    assert set(selectors.candidates_visible_to(adviser)) == {own, referred}
    assert set(selectors.candidates_visible_to(colleague)) == {own}
    assert set(selectors.candidates_visible_to(other_adviser)) == {foreign, referred}


def test_access_levels_R40(adviser, other_adviser):
    own = CandidateFactory(adviser=adviser)
    referred = CandidateFactory(adviser=other_adviser)
    stranger = CandidateFactory(adviser=other_adviser)
    ReferralFactory(candidate=referred, vacancy=VacancyFactory(owner=adviser))
    assert selectors.access_level(adviser, own) == selectors.PersonalAccess.FULL
    assert selectors.access_level(adviser, referred) == selectors.PersonalAccess.CONTACT
    assert selectors.access_level(adviser, stranger) == selectors.PersonalAccess.NONE
    assert [selectors.personal_access(adviser, c) for c in (own, referred, stranger)] == [True, True, False]
    # The vacancy owner gets what proposing needs; birth date and health notes stay with the organisation.
    assert "health_notes" not in selectors.PersonalAccess.CONTACT.fields
    assert "birth_date" not in selectors.PersonalAccess.CONTACT.fields
    assert "bsn" not in selectors.PersonalAccess.FULL.fields


def test_organisation_token_sees_its_own_caseload_R40(adviser, other_adviser, uwv):
    from accounts.principals import OrganisationPrincipal

    own = CandidateFactory(adviser=adviser)
    CandidateFactory(adviser=other_adviser)
    principal = OrganisationPrincipal(organisation=uwv)
    assert list(selectors.candidates_visible_to(principal)) == [own]
    assert selectors.access_level(principal, own) == selectors.PersonalAccess.FULL


# --- Completeness, freshness, worklist ----------------------------------------------------------------------------


def test_completeness_lists_what_is_missing_and_never_asks_for_a_bsn_R58(adviser):
    bare = CandidateFactory.build(
        adviser=adviser, skills=[], work_ready_since=None, email="", phone="", municipality="", birth_date=None
    )
    result = selectors.completeness(bare)
    assert result.score == 0
    assert result.missing == ("skills", "work_ready_since", "contact", "municipality", "birth_date", "max_travel_km")
    full = CandidateFactory.build(adviser=adviser, skills=[1], birth_date=date(1990, 1, 1), max_travel_km=20)
    assert selectors.completeness(full) == selectors.Completeness(score=100, missing=())
    assert "bsn" not in dict(selectors.COMPLETENESS_ITEMS)


def test_freshness_counts_from_the_last_review(adviser, now, settings):
    settings.WSP = {**settings.WSP, "CANDIDATE_STALE_DAYS": 90}
    candidate = CandidateFactory(adviser=adviser, profile_reviewed_at=now - timedelta(days=91))
    fresh = selectors.freshness(candidate, now=now)
    assert (fresh.days, fresh.is_stale) == (91, True)
    candidate.profile_reviewed_at = now - timedelta(days=89)
    assert selectors.freshness(candidate, now=now).is_stale is False
    # Never reviewed: counts from the last change.
    candidate.profile_reviewed_at = None
    assert selectors.freshness(candidate, now=now).is_stale is False


def test_stale_worklist_of_the_own_organisation(adviser, colleague, other_adviser, now):
    old = now - timedelta(days=200)
    mine = CandidateFactory(adviser=adviser, profile_reviewed_at=old)
    colleagues = CandidateFactory(adviser=colleague, profile_reviewed_at=old + timedelta(days=1))
    never = CandidateFactory(adviser=colleague, profile_reviewed_at=None)
    Candidate.objects.filter(pk=never.pk).update(updated_at=old)
    CandidateFactory(adviser=adviser)  # fresh
    CandidateFactory(adviser=adviser, profile_reviewed_at=old, status=CandidateStatus.PLACED)  # not in mediation
    CandidateFactory(adviser=other_adviser, profile_reviewed_at=old)  # another organisation's
    assert list(selectors.stale_candidates(user=adviser, now=now)) == [never, mine, colleagues]
    assert list(selectors.stale_candidates(user=adviser, now=now, mine=True)) == [mine]
    services.candidate_mark_reviewed(candidate=mine, by=adviser)
    assert mine not in selectors.stale_candidates(user=adviser)


def test_stale_worklist_has_a_fixed_query_count(adviser, colleague, django_assert_num_queries, now):
    old = now - timedelta(days=200)
    CandidateFactory.create_batch(3, adviser=colleague, profile_reviewed_at=old)
    with django_assert_num_queries(1):
        rows = [(c.pk, c.adviser.full_name) for c in selectors.stale_candidates(user=adviser)]
    assert len(rows) == 3


def test_an_error_report_of_an_unexpected_failure_hides_the_bsn_R40(adviser, monkeypatch):
    """Reports of unexpected exceptions (the admins' e-mail, the debug page) list every frame's local variables;
    the service marks the BSN as sensitive, so the report shows stars instead."""
    from django.views.debug import ExceptionReporter

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_check_bsn_free", boom)
    with pytest.raises(RuntimeError) as failure:
        services.candidate_create(
            by=adviser, first_name="A", last_name="B", target_group="ww", hours_per_week=8, postcode="2011 AB",
            bsn="".join(["1234", "56782"]),  # not written as one literal here: this frame is in the report too
        )  # fmt: skip
    error = failure.value
    report = ExceptionReporter(None, type(error), error, error.__traceback__).get_traceback_html()
    assert "database went away" in report and "candidate_create" in report
    assert VALID_BSN not in report
