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
from tests.factories import (
    CandidateFactory,
    ReferralFactory,
    SkillFactory,
    UserFactory,
    VacancyFactory,
    legacy_candidate,
)
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
    theirs = register(by=other_adviser, bsn="123 456 782", adviser=None, target_group=TargetGroup.PWET)
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


# --- the target group fits the organisation's kind ------------------------------------------------------

UWV_GROUPS = {TargetGroup.WW, TargetGroup.WIA, TargetGroup.WAJONG, TargetGroup.OTHER}
MUNICIPAL_GROUPS = {TargetGroup.PWET, TargetGroup.NUG, TargetGroup.OEKRAINE, TargetGroup.OTHER}


@pytest.fixture
def reintegration_adviser():
    from accounts.choices import OrganisationKind
    from tests.factories import OrganisationFactory

    return UserFactory(organisation=OrganisationFactory(code="spaarne", kind=OrganisationKind.REINTEGRATION))


@pytest.mark.parametrize("group", TargetGroup.values)
def test_target_group_fits_the_organisations_kind_on_create_R23(
    register, adviser, other_adviser, reintegration_adviser, counts, group
):
    """UWV's caseload holds WW, WIA and Wajong; municipalities and their reintegration bodies P-wet, NUG and
    Oekraine; other/unknown may be in either. A group that does not fit is a 400 field error, nothing written."""
    for by, fitting in ((adviser, UWV_GROUPS), (other_adviser, MUNICIPAL_GROUPS), (reintegration_adviser,
                                                                                  MUNICIPAL_GROUPS)):  # fmt: skip
        if group in fitting:
            assert register(by=by, adviser=None, target_group=group).target_group == group
            continue
        before = counts()
        with pytest.raises(InvalidInput) as refused:
            register(by=by, adviser=None, target_group=group)
        error = refused.value
        assert (error.code, error.rule, list(error.fields)) == ("target_group_not_of_organisation", "R-23",
                                                                ["target_group"])  # fmt: skip
        assert by.organisation.name in str(error.detail)
        assert counts() == before


def test_target_group_fits_on_change_and_nothing_changes_when_refused_R23(register, adviser, counts):
    candidate = register(target_group=TargetGroup.WAJONG)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.candidate_update(candidate=candidate, by=adviser, target_group=TargetGroup.PWET, hours_per_week=12)
    assert (refused.value.code, refused.value.rule) == ("target_group_not_of_organisation", "R-23")
    assert counts() == before
    candidate.refresh_from_db()
    assert (candidate.target_group, candidate.hours_per_week) == (TargetGroup.WAJONG, 32)
    assert services.candidate_update(candidate=candidate, by=adviser, target_group=TargetGroup.WIA).target_group == (
        TargetGroup.WIA
    )


def test_a_profile_that_breaks_the_rule_is_corrected_before_anything_else_is_saved_R23(adviser, counts):
    """A profile from before the rule (a Wajong candidate in a municipal caseload: the dead end of issue 7) must
    get a fitting group before another change is saved."""
    municipal = UserFactory()  # OrganisationFactory's kind is municipality
    legacy = legacy_candidate(adviser=municipal, target_group=TargetGroup.WAJONG)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.candidate_update(candidate=legacy, by=municipal, phone="06-11112222")
    assert refused.value.fields == {"target_group": [services.target_group_message(municipal.organisation)]}
    assert counts() == before
    legacy.refresh_from_db()
    assert legacy.phone == "06-12345678"
    fixed = services.candidate_update(candidate=legacy, by=municipal, phone="06-11112222", target_group="other")
    assert (fixed.target_group, fixed.phone) == ("other", "06-11112222")


@pytest.mark.parametrize("path", ["insert", "bulk_update", "move_to_organisation"])
def test_the_database_refuses_a_group_that_does_not_fit_the_caseload_on_every_path_R23(
    path, adviser, other_adviser, counts
):
    """R-23 on the paths past the services (a bulk update, a script, a raw insert): the database refuses a Wajong
    candidate in a municipal caseload, and a UWV candidate moved to a municipality, and nothing changes."""
    uwv_candidate = CandidateFactory(adviser=adviser, target_group=TargetGroup.WAJONG)  # adviser: UWV
    municipal = CandidateFactory(adviser=other_adviser)  # other_adviser: a municipality
    writes = {
        "insert": lambda: CandidateFactory(adviser=other_adviser, target_group=TargetGroup.WAJONG),
        "bulk_update": lambda: Candidate.objects.filter(pk=municipal.pk).update(target_group=TargetGroup.WW),
        "move_to_organisation": lambda: Candidate.objects.filter(pk=uwv_candidate.pk).update(
            organisation=other_adviser.organisation
        ),
    }
    before = counts()
    with pytest.raises(IntegrityError, match="R-23"), transaction.atomic():
        writes[path]()
    assert counts() == before
    assert Candidate.objects.get(pk=municipal.pk).target_group == TargetGroup.PWET
    assert Candidate.objects.get(pk=uwv_candidate.pk).organisation == adviser.organisation
    # "Other / unknown" fits either side.
    assert Candidate.objects.filter(pk=municipal.pk).update(target_group=TargetGroup.OTHER) == 1


def test_the_groups_offered_per_organisation_R23(adviser, other_adviser):
    assert set(services.target_groups_for(adviser.organisation)) == UWV_GROUPS
    assert set(services.target_groups_for(other_adviser.organisation)) == MUNICIPAL_GROUPS


# --- the candidate's place ---------------------------------------------------------------------------------


def test_the_place_is_turned_into_coordinates_on_every_write_R42(register, adviser):
    from wsp import geo

    candidate = register(municipality="Velsen")
    assert (candidate.latitude, candidate.longitude) == geo.coordinates("IJmuiden")
    moved = services.candidate_update(candidate=candidate, by=adviser, municipality="heemstede")
    assert (moved.latitude, moved.longitude) == geo.coordinates("Heemstede")
    unknown = services.candidate_update(candidate=candidate, by=adviser, municipality="Atlantis")
    assert (unknown.latitude, unknown.longitude) == (None, None)
    assert register().latitude is None  # no municipality given (R-58: optional)


# --- BSN typed with dots or spaces (issue 7, security) ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["123456782", "123.456.782", "123 456 782", " 1234 56 782 ", "123-456-782"])
def test_a_bsn_with_dots_or_spaces_is_accepted_everywhere_it_is_typed_R40(register, adviser, typed):
    candidate = register(bsn=typed)
    assert candidate.bsn == VALID_BSN and candidate.bsn_hash == bsn_lookup_hash(VALID_BSN)
    other = register(first_name="Ander")
    assert services.candidate_update(candidate=other, by=adviser, bsn=OTHER_VALID_BSN[:3] + " " + OTHER_VALID_BSN[3:])
    # The search box finds the candidate by BSN however it is written, in the own caseload only.
    assert list(selectors.candidate_list(user=adviser, filters={"q": typed})) == [candidate]


def test_the_bsn_search_looks_only_in_the_own_caseload_R40(register, adviser, other_adviser):
    register(bsn=VALID_BSN)
    assert list(selectors.candidate_list(user=other_adviser, filters={"q": "123.456.782"})) == []
    assert list(selectors.candidate_list(user=adviser, filters={"q": "123.456.781"})) == []  # fails the eleven-test


# --- the weekly overview -----------------------------------------------------------------------------------


def test_weeks_run_from_monday_to_sunday_and_are_named_as_iso_R41():
    week = selectors.Week.parse("2026-W49")
    assert (week.monday, week.sunday, week.key, week.number) == (date(2026, 11, 30), date(2026, 12, 6), "2026-W49",
                                                                 49)  # fmt: skip
    assert selectors.Week.parse("2026w49") == week and selectors.Week.parse("2026-W53") is not None
    for bad in ("", "2026-W54", "2026-49", "abcd-W01", "2026-W0", None, "2026-W4900"):
        assert selectors.Week.parse(bad) is None, bad
    assert selectors.last_complete_week(date(2026, 12, 7)) == week  # Monday: the week up to yesterday
    assert selectors.last_complete_week(date(2026, 12, 13)) == week  # Sunday: still the week before
    assert selectors.Week.parse("2027-W01").previous.key == "2026-W53"


@pytest.fixture
def week_of_candidates(adviser, other_adviser):
    week = selectors.Week.parse("2026-W49")
    mine = CandidateFactory(adviser=adviser, work_ready_since=week.monday, first_name="Eigen", email="e@x.nl")
    theirs = CandidateFactory(adviser=other_adviser, target_group="pwet", work_ready_since=week.sunday,
                              first_name="Geheim", last_name="Partner", email="geheim@partner.nl",
                              phone="06-99998888", birth_date=date(1990, 5, 17))  # fmt: skip
    CandidateFactory(adviser=adviser, work_ready_since=week.monday - timedelta(days=1))  # the week before
    CandidateFactory(adviser=adviser, work_ready_since=week.sunday + timedelta(days=1))  # the week after
    return week, mine, theirs


def test_weekly_overview_lists_every_partner_with_personal_data_of_the_own_caseload_only_R40_R41(
    adviser, week_of_candidates
):
    week, mine, theirs = week_of_candidates
    rows = list(selectors.weekly_overview(user=adviser, week=week))
    assert [row["id"] for row in rows] == [mine.pk, theirs.pk]
    own, other = rows
    assert (own["own"], own["own_first_name"], own["own_email"]) == (True, "Eigen", "e@x.nl")
    assert other["own"] is False
    assert (other["own_first_name"], other["own_last_name"], other["own_email"], other["own_phone"]) == (None,) * 4
    assert not {"first_name", "last_name", "email", "phone", "birth_date", "health_notes", "bsn"} & set(other)
    assert (other["organisation__name"], other["target_group"], other["hours_per_week"]) == (
        theirs.organisation.name, "pwet", 32)  # fmt: skip


def test_weekly_overview_is_sent_once_per_adviser_and_week_R41(
    adviser, colleague, other_adviser, manager, week_of_candidates, django_capture_on_commit_callbacks, mailoutbox
):
    from accounts.models import Notification

    week, _mine, theirs = week_of_candidates
    adviser.weekly_overview_email = True
    adviser.save()
    manager.weekly_overview_email = True  # a manager who asked for it gets it too
    manager.save()
    UserFactory(is_active=False)  # nobody inactive
    with django_capture_on_commit_callbacks(execute=True):
        result = services.weekly_overview_send(week=week)
    assert result == {"week": "2026-W49", "candidates": 2, "notices": 4, "emails": 2}
    notices = Notification.objects.filter(kind="weekly_overview", key="2026-W49")
    assert set(notices.values_list("user_id", flat=True)) == {adviser.pk, colleague.pk, other_adviser.pk, manager.pk}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([adviser.email, manager.email])
    # the e-mail (and the notice) carry counts only, no name, e-mail, phone or birth date of anyone.
    mail = mailoutbox[0]
    for secret in ("Geheim", "Partner", "geheim@partner.nl", "06-99998888", "1990", "Eigen", "e@x.nl"):
        assert secret not in mail.subject + mail.body, secret
    assert "2026-W49" in mail.body and theirs.organisation.name in mail.body
    # Once per adviser and week: a second run (a retry, a second beat) adds nothing and mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.weekly_overview_send(week=week)
    assert (again["notices"], again["emails"]) == (0, 0)
    assert len(mailoutbox) == 2 and notices.count() == 4


def test_the_monday_task_sends_the_past_week_in_dutch_R41(adviser, week_of_candidates, monkeypatch, mailoutbox,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    from matching import tasks
    from matching.selectors import candidates as candidate_selectors

    adviser.weekly_overview_email = True
    adviser.save()
    monkeypatch.setattr(candidate_selectors.timezone, "localdate", lambda: date(2026, 12, 7))  # a Monday
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_weekly_overview()
    assert (result["week"], result["candidates"]) == ("2026-W49", 2)
    assert mailoutbox[0].subject.startswith("Weekoverzicht week 49")
    with pytest.raises(ValueError):
        tasks.send_weekly_overview("week 49")


def test_the_beat_runs_the_overview_every_monday_R41(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-weekly-overview"]
    assert entry["task"] == "matching.tasks.send_weekly_overview"
    assert entry["schedule"].day_of_week == {1}


def test_the_email_toggle_is_the_users_own_setting_R41(adviser, colleague, uwv):
    from accounts.principals import OrganisationPrincipal

    services.weekly_overview_email_set(user=adviser, enabled=True)
    adviser.refresh_from_db()
    colleague.refresh_from_db()
    assert adviser.weekly_overview_email is True and colleague.weekly_overview_email is False
    services.weekly_overview_email_set(user=adviser, enabled=False)
    adviser.refresh_from_db()
    assert adviser.weekly_overview_email is False
    with pytest.raises(RuleRefused):
        services.weekly_overview_email_set(user=OrganisationPrincipal(organisation=uwv), enabled=True)
