"""Changes to a vacancy by its owner: R-15, R-16, R-17, R-20, R-22."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CandidateFactory, PlacementFactory, ReferralFactory, VacancyFactory
from vacancies import services
from vacancies.choices import CloseReason, TargetGroupFlag, VacancyStatus, Visibility
from vacancies.models import Vacancy
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


def expired(vacancy: Vacancy) -> Vacancy:
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.EXPIRED)
    vacancy.refresh_from_db()
    return vacancy


def closed(vacancy: Vacancy, status=VacancyStatus.CLOSED) -> Vacancy:
    Vacancy.objects.filter(pk=vacancy.pk).update(status=status, closed_at=timezone.now())
    vacancy.refresh_from_db()
    return vacancy


# --- Who may change it (R-17) -----------------------------------------------------------------------------------


def test_owner_changes_the_description_and_skills_R17(vacancy, adviser, skills):
    changed = services.vacancy_update(
        vacancy=vacancy, by=adviser, title=" Reachtruckchauffeur ", hours_per_week=24, skills=[skills[2].pk]
    )
    vacancy.refresh_from_db()
    assert changed.pk == vacancy.pk
    assert (vacancy.title, vacancy.hours_per_week, vacancy.skills) == ("Reachtruckchauffeur", 24, [skills[2].pk])
    assert vacancy.events.latest("pgh_id").pgh_context.metadata["user"] == adviser.pk


@pytest.mark.parametrize("user", ["colleague", "other_adviser", "manager"])
def test_only_the_owner_changes_the_vacancy_R17(request, vacancy, counts, user):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=request.getfixturevalue(user), title="Anders")
    assert (refused.value.code, refused.value.rule) == ("not_vacancy_owner", "R-17")
    assert counts() == before


@pytest.mark.parametrize("field", ["owner", "employer", "organisation", "received_at", "status"])
def test_ownership_timestamps_and_status_are_not_edited_here_R13_R12(vacancy, adviser, other_adviser, counts, field):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, **{field: other_adviser.pk})
    assert (refused.value.code, list(refused.value.fields)) == ("not_editable", [field])
    assert counts() == before


@pytest.mark.parametrize("key", ["sex", "gender", "origin", "nationality", "ethnicity"])
def test_requirement_on_sex_or_origin_is_refused_R15(vacancy, adviser, counts, key):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, **{key: "any"})
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
        "discriminating_requirement",
        "R-15",
        [key],
    )
    assert counts() == before


def test_age_needs_a_target_group_also_when_the_flag_is_removed_later_R15(vacancy, adviser, counts):
    services.vacancy_update(vacancy=vacancy, by=adviser, target_group_flags=[TargetGroupFlag.OVER_50], min_age=50)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, target_group_flags=[])
    assert refused.value.code == "age_requirement_not_allowed"
    assert counts() == before
    vacancy.refresh_from_db()
    assert (vacancy.target_group_flags, vacancy.min_age) == (["over_50"], 50)


def test_blocking_through_an_update_needs_a_reason_R16(vacancy, adviser, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, visibility=Visibility.BLOCKED)
    assert (refused.value.code, refused.value.rule) == ("blocked_reason_required", "R-16")
    assert counts() == before


def test_changing_the_occupation_keeps_the_other_skills_R42(vacancy, adviser, occupation, skills):
    services.vacancy_update(vacancy=vacancy, by=adviser, skills=[skills[0].pk])
    services.vacancy_update(vacancy=vacancy, by=adviser, occupation=occupation.pk)
    vacancy.refresh_from_db()
    assert (vacancy.occupation, vacancy.skills) == (occupation, [occupation.pk, skills[0].pk])


# --- Positions (R-20) -------------------------------------------------------------------------------------------


def test_no_second_position_without_a_booked_placement_R20(vacancy, adviser, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, positions=2)
    assert (refused.value.code, refused.value.rule) == ("positions_above_booked", "R-20")
    assert refused.value.extra == {"booked_placements": 0, "max_positions": 1}
    assert counts() == before


def test_each_booked_placement_allows_one_more_position_R20(vacancy, adviser, book, counts):
    book(vacancy)
    services.vacancy_update(vacancy=vacancy, by=adviser, positions=2)
    vacancy.refresh_from_db()
    assert vacancy.positions == 2

    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, positions=3)
    assert refused.value.code == "positions_above_booked"
    assert counts() == before


def test_positions_never_below_the_booked_placements_R20(vacancy, adviser, book, counts):
    book(vacancy)
    book(vacancy)
    Vacancy.objects.filter(pk=vacancy.pk).update(positions=2)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, positions=1)
    assert refused.value.code == "positions_below_booked"
    assert counts() == before


@pytest.mark.parametrize("status", [VacancyStatus.CLOSED, VacancyStatus.FILLED])
def test_raising_positions_on_a_closed_vacancy_is_refused_R20(vacancy, adviser, book, counts, status):
    book(vacancy)
    closed(vacancy, status)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, positions=2)
    assert (refused.value.code, refused.value.rule) == ("vacancy_not_open", "R-20")
    assert counts() == before


def test_expired_vacancy_is_reactivated_first_R20(vacancy, adviser, book, counts):
    book(vacancy)
    expired(vacancy)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, positions=2)
    assert (refused.value.code, refused.value.rule) == ("vacancy_expired_reactivate_first", "R-20")
    assert counts() == before

    services.vacancy_reactivate(vacancy=vacancy, by=adviser)
    services.vacancy_update(vacancy=vacancy, by=adviser, positions=2)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.positions) == ("open", 2)


def test_same_positions_in_an_update_of_a_closed_vacancy_is_no_change_R20(vacancy, adviser):
    closed(vacancy)
    services.vacancy_update(vacancy=vacancy, by=adviser, positions=1, description="Ingevuld via eigen netwerk")
    vacancy.refresh_from_db()
    assert vacancy.description == "Ingevuld via eigen netwerk"


# --- What the employer asks for and its recruitment request (R-22) ---------------------------


def test_owner_changes_the_positions_asked_for_while_open_and_nothing_follows_from_it_R20(vacancy, adviser):
    services.vacancy_update(vacancy=vacancy, by=adviser, requested_positions=4)
    vacancy.refresh_from_db()
    assert (vacancy.requested_positions, vacancy.positions) == (4, 1)


@pytest.mark.parametrize("status", [VacancyStatus.CLOSED, VacancyStatus.FILLED, VacancyStatus.EXPIRED])
def test_positions_asked_for_change_only_while_open_R20(vacancy, adviser, counts, status):
    if status == VacancyStatus.EXPIRED:
        expired(vacancy)
    else:
        closed(vacancy, status)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, requested_positions=3)
    assert refused.value.rule == "R-20"
    assert refused.value.code in {"vacancy_not_open", "vacancy_expired_reactivate_first"}
    assert counts() == before
    # The same number in an edit of a closed vacancy is no change.
    services.vacancy_update(vacancy=vacancy, by=adviser, requested_positions=1, description="Dicht")


def test_positions_asked_for_never_below_the_booked_placements_R20(vacancy, adviser, book, counts):
    Vacancy.objects.filter(pk=vacancy.pk).update(requested_positions=3)
    book(vacancy)
    book(vacancy)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, requested_positions=1)
    assert (refused.value.code, refused.value.rule) == ("requested_positions_below_booked", "R-20")
    assert refused.value.extra == {"booked_placements": 2}
    assert counts() == before


def test_positions_asked_for_are_frozen_once_a_candidate_was_hired_R20_R24_R25(vacancy, adviser, other_adviser, counts):
    # A partner's hire on 1 position moved the vacancy, on 2-9 it leads to a duplicate: raising or
    # lowering the number afterwards would undo what followed from it.
    ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=adviser), status="hired")
    before = counts()
    for requested in (2, 5):
        with pytest.raises(RuleRefused) as refused:
            services.vacancy_update(vacancy=vacancy, by=adviser, requested_positions=requested)
        assert (refused.value.code, refused.value.rule) == ("requested_positions_frozen", "R-20")
        assert list(refused.value.fields) == ["requested_positions"]
    assert counts() == before


def test_positions_asked_for_are_frozen_by_a_recruitment_plan_R19(employer, adviser, other_adviser, counts):
    large = VacancyFactory(employer=employer, requested_positions=12)
    services.co_production_start(
        vacancy=large,
        by=adviser,
        activities=["job_fair"],
        partners=[other_adviser.organisation],
        partner_owners={other_adviser.organisation_id: other_adviser},
    )
    child = large.children.get()
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=large, by=adviser, requested_positions=4)
    assert (refused.value.code, refused.value.rule) == ("requested_positions_frozen", "R-19")
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_update(vacancy=child, by=other_adviser, requested_positions=6)
    assert (refused.value.code, refused.value.rule) == ("requested_positions_frozen", "R-19")
    assert counts() == before


def test_recruitment_request_is_fixed_once_candidates_were_proposed_R22(employer, adviser, counts):
    without = VacancyFactory(employer=employer, recruitment_request=False)
    with_request = VacancyFactory(employer=employer, recruitment_request=True)
    for vacancy in (without, with_request):
        ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=adviser))
    before = counts()
    # Not added afterwards to make a placement bookable, nor taken away from the referrals made.
    for vacancy in (without, with_request):
        with pytest.raises(RuleRefused) as refused:
            services.vacancy_update(vacancy=vacancy, by=adviser, recruitment_request=not vacancy.recruitment_request)
        assert (refused.value.code, refused.value.rule) == ("recruitment_request_frozen", "R-22")
    assert counts() == before
    # The same value in an edit is no change.
    services.vacancy_update(vacancy=without, by=adviser, recruitment_request=False, title="Kok")


def test_recruitment_request_may_change_before_any_referral_R22(vacancy, adviser):
    services.vacancy_update(vacancy=vacancy, by=adviser, recruitment_request=False)
    services.vacancy_update(vacancy=vacancy, by=adviser, recruitment_request=True)
    vacancy.refresh_from_db()
    assert vacancy.recruitment_request is True


def test_booked_placement_blocks_both_changes_over_the_api_R20_R22(adviser_client, vacancy, adviser, counts):
    PlacementFactory(referral=ReferralFactory(vacancy=vacancy, candidate=CandidateFactory(adviser=adviser),
                                              status="hired"))  # fmt: skip
    before = counts()
    for body, code in (
        ({"requested_positions": 3}, "requested_positions_frozen"),
        ({"recruitment_request": False}, "recruitment_request_frozen"),
    ):
        response = adviser_client.patch(f"/api/v1/vacancies/{vacancy.pk}/", body, format="json")
        assert response.status_code == 403, response.content
        assert response.json()["code"] == code
    assert counts() == before


# --- Block, close, reactivate, extend ---------------------------------------------------------------------------


def test_block_needs_a_reason_R16(vacancy, adviser, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_block(vacancy=vacancy, by=adviser, reason=" ")
    assert (refused.value.code, refused.value.rule, list(refused.value.fields)) == (
        "blocked_reason_required",
        "R-16",
        ["reason"],
    )
    assert counts() == before


def test_unblock_returns_to_the_visibility_before_the_block_R16(employer, adviser):
    vacancy = VacancyFactory(employer=employer, visibility=Visibility.ANONYMOUS)
    services.vacancy_update(vacancy=vacancy, by=adviser, description="Nachtdienst")  # history of the visibility
    services.vacancy_block(vacancy=vacancy, by=adviser, reason="Functie wordt herzien")
    vacancy.refresh_from_db()
    assert (vacancy.visibility, vacancy.blocked_reason, vacancy.accepts_referrals) == (
        "blocked",
        "Functie wordt herzien",
        False,
    )

    services.vacancy_unblock(vacancy=vacancy, by=adviser)
    vacancy.refresh_from_db()
    assert (vacancy.visibility, vacancy.blocked_reason) == ("anonymous", "")


def test_unblock_without_history_is_internal_and_can_be_chosen_R16(vacancy, adviser):
    Vacancy.objects.filter(pk=vacancy.pk).update(visibility=Visibility.BLOCKED, blocked_reason="Oud")
    # The factory's row has an insert event with visibility open; without any history it would be internal.
    vacancy.events.all().delete()
    services.vacancy_unblock(vacancy=vacancy, by=adviser)
    vacancy.refresh_from_db()
    assert vacancy.visibility == "internal"

    services.vacancy_block(vacancy=vacancy, by=adviser, reason="Weer even dicht")
    services.vacancy_unblock(vacancy=vacancy, by=adviser, visibility=Visibility.OPEN)
    vacancy.refresh_from_db()
    assert vacancy.visibility == "open"


def test_block_twice_and_unblock_an_unblocked_vacancy_conflict_R16(vacancy, adviser, colleague):
    with pytest.raises(Conflict):
        services.vacancy_unblock(vacancy=vacancy, by=adviser)
    services.vacancy_block(vacancy=vacancy, by=adviser, reason="Even dicht")
    with pytest.raises(Conflict):
        services.vacancy_block(vacancy=vacancy, by=adviser, reason="Nog eens")
    with pytest.raises(RuleRefused):
        services.vacancy_unblock(vacancy=vacancy, by=colleague)


def test_owner_closes_with_an_outcome(vacancy, adviser, now):
    services.vacancy_close(vacancy=vacancy, by=adviser, reason=CloseReason.FILLED_ELSEWHERE, now=now)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.close_reason, vacancy.closed_at) == ("closed", "filled_elsewhere", now)
    with pytest.raises(Conflict):
        services.vacancy_close(vacancy=vacancy, by=adviser, reason=CloseReason.WITHDRAWN)


def test_outcome_placement_is_refused_here_R22(vacancy, adviser, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_close(vacancy=vacancy, by=adviser, reason=CloseReason.PLACEMENT)
    assert (refused.value.code, refused.value.rule) == ("placement_outcome_needs_booking", "R-22")
    assert counts() == before


def test_outcome_other_needs_a_note_and_only_the_owner_closes_R17(vacancy, adviser, colleague, counts):
    before = counts()
    with pytest.raises(InvalidInput):
        services.vacancy_close(vacancy=vacancy, by=adviser, reason=CloseReason.OTHER)
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_close(vacancy=vacancy, by=colleague, reason=CloseReason.WITHDRAWN)
    assert refused.value.code == "not_vacancy_owner"
    assert counts() == before


def _status(vacancy):
    return Vacancy.objects.filter(pk=vacancy.pk).values("status", "close_reason", "closed_at").get()


def test_no_close_while_hired_candidates_wait_for_their_booking_R22(vacancy, adviser, book, counts):
    """Before: the owner closed with another outcome, and the two hires could never be booked afterwards."""
    book(vacancy)  # one hire booked: that one is fine
    hires = ReferralFactory.create_batch(2, vacancy=vacancy, status="hired")
    before, row = counts(), _status(vacancy)
    with pytest.raises(Conflict) as refused:
        services.vacancy_close(vacancy=vacancy, by=adviser, reason=CloseReason.WITHDRAWN)
    assert (refused.value.status_code, refused.value.code, refused.value.rule) == (409, "hires_unbooked", "R-22")
    assert refused.value.extra == {"hires_unbooked": 2}
    assert "Boek de plaatsingen, of trek een aanname in die niet doorging" in refused.value.detail
    assert (_status(vacancy), counts()) == (row, before)

    # Once each hire is booked or withdrawn, the vacancy closes.
    ReferralFactory._meta.model.objects.filter(pk__in=[h.pk for h in hires]).update(status="withdrawn")
    services.vacancy_close(vacancy=vacancy, by=adviser, reason=CloseReason.WITHDRAWN)
    assert _status(vacancy)["status"] == VacancyStatus.CLOSED


def test_api_close_with_unbooked_hires_is_409_naming_how_many_R22(adviser_client, vacancy, counts):
    ReferralFactory(vacancy=vacancy, status="hired")
    before, row = counts(), _status(vacancy)
    response = adviser_client.post(f"/api/v1/vacancies/{vacancy.pk}/close/", {"reason": "withdrawn"}, format="json")
    body = response.json()
    assert (response.status_code, body["code"], body["rule"], body["hires_unbooked"]) == (
        409, "hires_unbooked", "R-22", 1,
    )  # fmt: skip
    assert (_status(vacancy), counts()) == (row, before)


def test_the_vacancy_page_says_why_it_cannot_be_closed_yet_R22(client, vacancy, adviser):
    client.force_login(adviser)
    assert f'action="/vacatures/{vacancy.pk}/sluiten/"' in client.get(f"/vacatures/{vacancy.pk}/").content.decode()
    ReferralFactory(vacancy=vacancy, status="hired")
    html = client.get(f"/vacatures/{vacancy.pk}/").content.decode()
    assert 'id="close-hires-unbooked"' in html and "plaatsing" in html
    assert f'action="/vacatures/{vacancy.pk}/sluiten/"' not in html


def test_only_an_expired_vacancy_is_reactivated_R20(vacancy, adviser, counts, now):
    before = counts()
    with pytest.raises(Conflict) as refused:
        services.vacancy_reactivate(vacancy=vacancy, by=adviser)
    assert refused.value.code == "vacancy_not_expired"
    assert counts() == before

    expired(vacancy)
    Vacancy.objects.filter(pk=vacancy.pk).update(expiry_warned_at=now)
    services.vacancy_reactivate(vacancy=vacancy, by=adviser, now=now)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.expiry_warned_at) == ("open", None)
    assert vacancy.expires_on == timezone.localdate(now) + timedelta(days=90)


def test_extend_moves_the_expiry_and_asks_for_a_new_warning(vacancy, adviser, now):
    Vacancy.objects.filter(pk=vacancy.pk).update(expiry_warned_at=now)
    new_date = timezone.localdate(now) + timedelta(days=120)
    services.vacancy_extend(vacancy=vacancy, by=adviser, expires_on=new_date)
    vacancy.refresh_from_db()
    assert (vacancy.expires_on, vacancy.expiry_warned_at) == (new_date, None)


def test_extend_refuses_a_date_in_the_past_and_an_expired_vacancy_R20(vacancy, adviser, counts, now):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_extend(vacancy=vacancy, by=adviser, expires_on=timezone.localdate(now))
    assert refused.value.code == "expiry_in_past"
    assert counts() == before
    expired(vacancy)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.vacancy_extend(vacancy=vacancy, by=adviser, expires_on=timezone.localdate(now) + timedelta(days=9))
    assert refused.value.code == "vacancy_expired_reactivate_first"
    assert counts() == before


def test_a_skill_switched_off_later_stays_on_the_vacancy_but_is_not_picked_anew_R42(vacancy, adviser, skills, counts):
    services.vacancy_update(vacancy=vacancy, by=adviser, skills=[skills[0].pk])
    skills[0].__class__.objects.filter(pk__in=[skills[0].pk, skills[1].pk]).update(is_active=False)

    services.vacancy_update(vacancy=vacancy, by=adviser, skills=[skills[0].pk, skills[2].pk])
    vacancy.refresh_from_db()
    assert vacancy.skills == [skills[0].pk, skills[2].pk]

    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.vacancy_update(vacancy=vacancy, by=adviser, skills=[skills[1].pk])
    assert list(refused.value.fields) == ["skills"]
    assert counts() == before


def test_empty_work_location_is_the_employers(vacancy, adviser, employer):
    services.vacancy_update(vacancy=vacancy, by=adviser, postcode="1971ab", municipality="Velsen")
    vacancy.refresh_from_db()
    assert (vacancy.postcode, vacancy.municipality) == ("1971 AB", "Velsen")
    services.vacancy_update(vacancy=vacancy, by=adviser, postcode=" ", municipality="")
    vacancy.refresh_from_db()
    assert (vacancy.postcode, vacancy.municipality) == (employer.postcode, employer.municipality)
