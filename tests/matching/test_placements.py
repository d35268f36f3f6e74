"""Booking placements: reciprocity (R-22), who books (R-23, R-24), the registered positions (R-20), the derived
values (R-30, R-31, R-32), and corrections and cancellations that never delete (R-57)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from matching.choices import CandidateStatus, PlacementStatus, ReferralStatus, TargetGroup
from matching.models import AftercareContact, Candidate, Placement, PlacementEvent
from matching.services import placements as services
from matching.services import referrals as referral_services
from tests.factories import before_r23
from vacancies.choices import CloseReason, VacancyStatus
from wsp.errors import Conflict, InvalidInput, RuleRefused

from .placement_helpers import at, book, hire, make_candidate, make_vacancy, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy(adviser):
    return make_vacancy(adviser)


@pytest.fixture
def referral(adviser, vacancy):
    return hire(vacancy, make_candidate(adviser, vacancy))


def assert_refused(exc_type, call, *, code: str, rule: str | None, counts):
    before = counts()
    with pytest.raises(exc_type) as refused:
        call()
    assert (refused.value.code, refused.value.rule) == (code, rule)
    assert counts() == before
    return refused.value


# --- Booking -----------------------------------------------------------------------------------------------------


def test_booking_copies_what_the_figures_need_and_fills_the_single_position_R20_R22_R57(adviser, vacancy, referral):
    start = timezone.localdate() + timedelta(days=7)

    placement = book(adviser, referral, start_date=start, hours_per_week="32")

    assert placement.status == PlacementStatus.BOOKED
    assert (placement.vacancy, placement.candidate, placement.employer) == (
        vacancy,
        referral.candidate,
        vacancy.employer,
    )
    assert (placement.booked_by, placement.organisation) == (adviser, adviser.organisation)
    assert placement.target_group == TargetGroup.WW
    assert placement.employer_type == vacancy.employer.employer_type
    assert placement.durable_after == start + relativedelta(months=6)  # UWV books: more than 6 months
    assert placement.is_durable is None
    assert placement.next_aftercare_on == start + timedelta(days=30)
    assert placement.hours_per_week == Decimal("32")
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.close_reason, vacancy.positions) == ("filled", CloseReason.PLACEMENT, 1)
    assert vacancy.closed_at is not None
    referral.candidate.refresh_from_db()
    assert referral.candidate.status == CandidateStatus.PLACED


def test_each_booking_raises_the_registered_positions_by_at_most_one_R20(adviser):
    """R-20: positions start at 1; after each booking positions = max(positions, booked), so the first booking fills
    position 1 and each further one adds 1, never beyond what was booked."""
    vacancy = make_vacancy(adviser, requested_positions=3)
    referrals = [hire(vacancy, make_candidate(adviser, vacancy)) for _ in range(3)]
    seen = []
    for referral in referrals:
        book(adviser, referral)
        vacancy.refresh_from_db()
        seen.append((vacancy.positions, vacancy.status))
    assert seen == [(1, "open"), (2, "open"), (3, "filled")]


def test_no_placement_without_a_hired_referral_R22(adviser, vacancy, counts):
    proposed = propose(vacancy, make_candidate(adviser, vacancy))
    assert_refused(RuleRefused, lambda: book(adviser, proposed), code="no_reciprocity", rule="R-22", counts=counts)


def test_no_placement_without_the_employers_recruitment_request_R22(adviser, counts):
    vacancy = make_vacancy(adviser, recruitment_request=False)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    assert_refused(RuleRefused, lambda: book(adviser, referral), code="no_reciprocity", rule="R-22", counts=counts)


def test_a_hire_nobody_could_book_is_refused_with_the_data_unchanged_R23(adviser, vacancy, counts):
    """R-23: UWV does not book P-wet. A P-wet candidate in UWV's caseload (from before target groups had to fit the
    organisation's kind) would be a hire without a booker: the hire is refused, before anything is written."""
    with before_r23():
        pwet = propose(vacancy, make_candidate(adviser, vacancy, target_group=TargetGroup.PWET))
    refused = assert_refused(
        RuleRefused,
        lambda: referral_services.referral_set_status(referral=pwet, by=adviser, status=ReferralStatus.HIRED),
        code="no_booker_for_target_group",
        rule="R-23",
        counts=counts,
    )
    assert "P-wet" in str(refused.detail)
    pwet.refresh_from_db()
    assert (pwet.status, pwet.booker) == (ReferralStatus.PROPOSED, None)


def test_uwv_does_not_book_a_municipal_target_group_R23(adviser, vacancy, referral, counts):
    """The booking checks R-23 again: the candidate's target group changed to P-wet after the hire (before R-23 was
    enforced in the database; now the database refuses the change, next test)."""
    with before_r23():
        Candidate.objects.filter(pk=referral.candidate_id).update(target_group=TargetGroup.PWET)
    refused = assert_refused(
        RuleRefused,
        lambda: book(adviser, referral),
        code="wrong_organisation_for_target_group",
        rule="R-23",
        counts=counts,
    )
    assert "P-wet" in str(refused.detail)


def test_a_municipality_books_its_target_group_and_counts_durability_after_3_months_R23_R30(other_adviser):
    vacancy = make_vacancy(other_adviser)
    referral = hire(vacancy, make_candidate(other_adviser, vacancy, target_group=TargetGroup.PWET))
    start = timezone.localdate()

    placement = book(other_adviser, referral, start_date=start)

    assert placement.durable_after == start + relativedelta(months=3)
    assert placement.organisation.kind == "municipality"


@pytest.mark.parametrize("group", [TargetGroup.WW, TargetGroup.WIA, TargetGroup.WAJONG])
def test_a_municipality_does_not_book_uwv_target_groups_R23(other_adviser, group, counts):
    vacancy = make_vacancy(other_adviser)
    with before_r23():
        referral = propose(vacancy, make_candidate(other_adviser, vacancy, target_group=group))
    assert_refused(
        RuleRefused,
        lambda: referral_services.referral_set_status(referral=referral, by=other_adviser, status=ReferralStatus.HIRED),
        code="no_booker_for_target_group",
        rule="R-23",
        counts=counts,
    )


def test_other_or_unknown_is_booked_by_either_side_R23(adviser, other_adviser):
    for owner in (adviser, other_adviser):
        vacancy = make_vacancy(owner)
        referral = hire(vacancy, make_candidate(owner, vacancy, target_group=TargetGroup.OTHER))
        assert book(owner, referral).target_group == TargetGroup.OTHER


@pytest.mark.parametrize("who", ["colleague", "manager"])
def test_only_the_vacancy_owner_books_R24(request, referral, who, counts):
    assert_refused(
        RuleRefused,
        lambda: book(request.getfixturevalue(who), referral),
        code="not_vacancy_owner",
        rule="R-24",
        counts=counts,
    )


def test_no_booking_on_an_expired_vacancy_reactivate_first_R20(adviser, vacancy, referral, counts):
    vacancy.status = VacancyStatus.EXPIRED
    vacancy.save()
    assert_refused(
        RuleRefused,
        lambda: book(adviser, referral),
        code="vacancy_expired_reactivate_first",
        rule="R-20",
        counts=counts,
    )


def test_no_booking_beyond_the_positions_asked_for_R20(adviser, vacancy, referral, counts):
    second = make_candidate(adviser, vacancy)
    second_referral = hire(vacancy, second)  # the employer took two, having asked for one
    book(adviser, referral)
    assert_refused(
        Conflict, lambda: book(adviser, second_referral), code="no_positions_left", rule="R-20", counts=counts
    )


def test_no_booking_on_a_closed_vacancy(adviser, vacancy, referral, counts):
    vacancy.status, vacancy.closed_at, vacancy.close_reason = VacancyStatus.CLOSED, timezone.now(), "withdrawn"
    vacancy.save()
    assert_refused(Conflict, lambda: book(adviser, referral), code="vacancy_not_open", rule="R-20", counts=counts)


def test_a_referral_is_booked_once(adviser, counts):
    vacancy = make_vacancy(adviser, requested_positions=2)
    referral = hire(vacancy, make_candidate(adviser, vacancy))
    book(adviser, referral)
    assert_refused(Conflict, lambda: book(adviser, referral), code="already_booked", rule=None, counts=counts)


def test_a_candidate_is_not_booked_twice_in_one_period_R57(adviser, counts):
    """R-57: a placement is counted once; a candidate hired on two vacancies is booked on one of them for a period."""
    first_vacancy, second_vacancy = make_vacancy(adviser), make_vacancy(adviser)
    candidate = make_candidate(adviser, first_vacancy)
    second_vacancy.skills = first_vacancy.skills
    second_vacancy.save()
    first, second = hire(first_vacancy, candidate), hire(second_vacancy, candidate)
    start = timezone.localdate()
    placed = book(adviser, first, start_date=start)  # open-ended

    refused = assert_refused(
        Conflict,
        lambda: book(adviser, second, start_date=start + timedelta(days=60)),
        code="candidate_already_placed",
        rule="R-57",
        counts=counts,
    )
    assert refused.extra == {"placement": placed.pk}
    # Once the first placement ends, a placement after that end is no double booking.
    services.placement_correct(
        placement=placed,
        by=adviser,
        reason="Contract afgelopen",
        end_date=start + timedelta(days=30),
        conditions="Tijdelijk contract; daarna plaatsing elders",
    )
    assert_refused(
        Conflict,
        lambda: book(adviser, second, start_date=start + timedelta(days=30)),
        code="candidate_already_placed",
        rule="R-57",
        counts=counts,
    )
    assert book(adviser, second, start_date=start + timedelta(days=31)).status == PlacementStatus.BOOKED


def test_a_cancelled_placement_is_no_double_booking_R57(adviser):
    first_vacancy, second_vacancy = make_vacancy(adviser), make_vacancy(adviser)
    candidate = make_candidate(adviser, first_vacancy)
    second_vacancy.skills = first_vacancy.skills
    second_vacancy.save()
    first, second = hire(first_vacancy, candidate), hire(second_vacancy, candidate)
    services.placement_cancel(placement=book(adviser, first), by=adviser, reason="Niet gestart")
    assert book(adviser, second).status == PlacementStatus.BOOKED


def test_invalid_booking_data_is_a_field_error(adviser, referral, counts):
    start = timezone.localdate()
    refused = assert_refused(
        InvalidInput,
        lambda: book(adviser, referral, start_date=start, end_date=start - timedelta(days=1), hours_per_week="70"),
        code="invalid",
        rule=None,
        counts=counts,
    )
    assert {"hours_per_week", "end_date"} <= set(refused.fields)


# --- Job agreement (R-31) ----------------------------------------------------------------------------------------


def test_job_agreement_jobs_are_hours_divided_by_25_5_R31(adviser, vacancy):
    referral = hire(vacancy, make_candidate(adviser, vacancy, job_agreement=True))
    placement = book(adviser, referral, hours_per_week="32")
    placement.refresh_from_db()
    assert placement.job_agreement
    assert placement.job_agreement_jobs == Decimal("1.255")  # 32 / 25.5 = 1.2549...


def test_a_job_agreement_vacancy_counts_its_placements_of_register_candidates_R31(adviser):
    vacancy = make_vacancy(adviser, target_group_flags=["job_agreement"])
    referral = hire(vacancy, make_candidate(adviser, vacancy, job_agreement=True))
    placement = book(adviser, referral, hours_per_week="25.5")
    placement.refresh_from_db()
    assert placement.job_agreement_jobs == Decimal("1.000")


def test_the_vacancy_flag_alone_does_not_make_a_job_agreement_job_R31(adviser):
    """R-31: a job-agreement job is one of a candidate in the job-agreement register, whatever the vacancy says."""
    vacancy = make_vacancy(adviser, target_group_flags=["job_agreement"])
    candidate = make_candidate(adviser, vacancy, job_agreement=True)
    referral = hire(vacancy, candidate)
    candidate.job_agreement = False  # taken out of the register between the hire and the booking
    candidate.save()
    placement = book(adviser, referral, hours_per_week="25.5")
    placement.refresh_from_db()
    assert (placement.job_agreement, placement.job_agreement_jobs) == (False, Decimal("0"))


def test_job_agreement_is_derived_and_not_corrected_R31(adviser, referral, counts):
    placement = book(adviser, referral)
    refused = assert_refused(
        InvalidInput,
        lambda: services.placement_correct(placement=placement, by=adviser, reason="x", job_agreement=True),
        code="invalid",
        rule=None,
        counts=counts,
    )
    assert "job_agreement" in refused.fields
    placement.refresh_from_db()
    assert (placement.job_agreement, placement.job_agreement_jobs) == (False, Decimal("0"))


def test_no_job_agreement_jobs_outside_the_job_agreement_R31(adviser, referral):
    placement = book(adviser, referral)
    placement.refresh_from_db()
    assert (placement.job_agreement, placement.job_agreement_jobs) == (False, Decimal("0"))


# --- Corrections and cancellations (never a delete) --------------------------------------------------------------


def test_a_correction_needs_a_reason_and_keeps_the_old_values_R57(adviser, referral, counts):
    placement = book(adviser, referral, hours_per_week="32")
    assert_refused(
        InvalidInput,
        lambda: services.placement_correct(placement=placement, by=adviser, reason=" ", hours_per_week="20"),
        code="reason_required",
        rule=None,
        counts=counts,
    )
    new_start = placement.start_date + timedelta(days=14)

    corrected = services.placement_correct(
        placement=placement,
        by=adviser,
        reason="Later begonnen",
        start_date=new_start,
        hours_per_week="12",
        conditions="Twaalf uur met jobcoaching; na drie maanden uitbreiden",
    )

    assert (corrected.start_date, corrected.hours_per_week) == (new_start, Decimal("12"))
    assert corrected.correction_reason == "Later begonnen"
    # Derived values follow: durability date from the new start, and under 15 hours never durable.
    assert corrected.durable_after == new_start + relativedelta(months=6)
    assert corrected.is_durable is False
    assert corrected.next_aftercare_on == new_start + timedelta(days=30)
    events = list(PlacementEvent.objects.filter(pgh_obj=placement).order_by("pgh_id"))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[0].hours_per_week == Decimal("32")
    assert events[1].pgh_context.metadata["reason"] == "Later begonnen"


def test_only_correctable_fields_are_corrected(adviser, referral, counts):
    placement = book(adviser, referral)
    assert_refused(
        InvalidInput,
        lambda: services.placement_correct(placement=placement, by=adviser, reason="x", target_group="pwet"),
        code="invalid",
        rule=None,
        counts=counts,
    )


def test_only_the_booking_organisation_corrects_or_cancels_R23(adviser, other_adviser, colleague, referral, counts):
    placement = book(adviser, referral)
    for call in (
        lambda: services.placement_correct(placement=placement, by=other_adviser, reason="x", hours_per_week="20"),
        lambda: services.placement_cancel(placement=placement, by=other_adviser, reason="x"),
    ):
        assert_refused(RuleRefused, call, code="not_booking_organisation", rule="R-23", counts=counts)
    # A colleague of the booking organisation may (the booker may be absent).
    assert services.placement_correct(placement=placement, by=colleague, reason="Uren", hours_per_week="30")


def test_cancel_keeps_the_row_and_gives_the_position_back_R20_R57(adviser, vacancy, referral):
    placement = book(adviser, referral)

    cancelled = services.placement_cancel(placement=placement, by=adviser, reason="Dubbel geboekt")

    assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_by) == (
        "cancelled",
        "Dubbel geboekt",
        adviser,
    )
    assert Placement.objects.filter(pk=placement.pk).exists()
    assert PlacementEvent.objects.filter(pgh_obj=placement, status="cancelled").exists()
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.closed_at, vacancy.positions) == ("open", None, 1)
    referral.candidate.refresh_from_db()
    assert referral.candidate.status == CandidateStatus.AVAILABLE
    # The cancelled booking may be booked again (the register line is still "hired").
    assert book(adviser, referral).status == PlacementStatus.BOOKED


def test_cancel_lowers_the_registered_positions_to_what_is_still_booked_R20(adviser):
    vacancy = make_vacancy(adviser, requested_positions=3)
    placements = [book(adviser, hire(vacancy, make_candidate(adviser, vacancy))) for _ in range(2)]
    vacancy.refresh_from_db()
    assert vacancy.positions == 2
    services.placement_cancel(placement=placements[1], by=adviser, reason="Niet begonnen")
    vacancy.refresh_from_db()
    assert (vacancy.positions, vacancy.status) == (1, "open")


@pytest.mark.parametrize("expired", [False, True])
def test_cancelling_the_last_booking_of_a_vacancy_closed_with_placements_reopens_it_R22(adviser, expired):
    """R-22: outcome "placement" needs a booked placement; when the last one is cancelled the vacancy opens again
    (or expires, when its date has passed), as a filled one does."""
    vacancy = make_vacancy(adviser, requested_positions=3)
    placement = book(adviser, hire(vacancy, make_candidate(adviser, vacancy)))
    services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.close_reason) == ("closed", CloseReason.PLACEMENT)
    if expired:
        vacancy.expires_on = timezone.localdate() - timedelta(days=1)
        vacancy.save()

    services.placement_cancel(placement=placement, by=adviser, reason="Niet gestart")

    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.close_reason, vacancy.closed_at) == (
        "expired" if expired else "open",
        "",
        None,
    )
    assert vacancy.positions == 1


def test_a_vacancy_closed_with_placements_stays_closed_while_one_is_still_booked_R22(adviser):
    vacancy = make_vacancy(adviser, requested_positions=3)
    placements = [book(adviser, hire(vacancy, make_candidate(adviser, vacancy))) for _ in range(2)]
    services.vacancy_close_with_placements(vacancy=vacancy, by=adviser)

    services.placement_cancel(placement=placements[0], by=adviser, reason="Niet gestart")

    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.close_reason, vacancy.positions) == ("closed", CloseReason.PLACEMENT, 1)


def test_a_cancel_needs_a_reason_and_happens_once(adviser, referral, counts):
    placement = book(adviser, referral)
    assert_refused(
        InvalidInput,
        lambda: services.placement_cancel(placement=placement, by=adviser, reason=""),
        code="reason_required",
        rule=None,
        counts=counts,
    )
    services.placement_cancel(placement=placement, by=adviser, reason="Fout")
    for call in (
        lambda: services.placement_cancel(placement=placement, by=adviser, reason="Nogmaals"),
        lambda: services.placement_correct(placement=placement, by=adviser, reason="x", hours_per_week="20"),
    ):
        with pytest.raises(Conflict):
            call()


# --- Aftercare (R-32) --------------------------------------------------------------------------------------------


def test_aftercare_contacts_move_the_next_date_until_the_employer_ends_it_R32(adviser, counts):
    start = timezone.localdate() - timedelta(days=40)
    vacancy = make_vacancy(
        adviser, received_at=at(start - timedelta(days=20)), registered_at=at(start - timedelta(days=20))
    )
    candidate = make_candidate(adviser, vacancy, work_ready_since=start - timedelta(days=60))
    referral = hire(vacancy, candidate, now=at(start - timedelta(days=5)))
    placement = book(adviser, referral, start_date=start)
    assert placement.next_aftercare_on == start + timedelta(days=30)
    first_at = timezone.now() - timedelta(days=5)

    services.aftercare_register(placement=placement, by=adviser, occurred_at=first_at, summary="Gaat goed")

    placement.refresh_from_db()
    assert placement.next_aftercare_on == timezone.localdate(first_at) + timedelta(days=30)
    last = services.aftercare_register(
        placement=placement, by=adviser, occurred_at=timezone.now(), summary="Klaar", ends_aftercare=True
    )
    placement.refresh_from_db()
    assert (placement.next_aftercare_on, placement.aftercare_ended_at) == (None, last.occurred_at)
    assert AftercareContact.objects.filter(placement=placement).count() == 2
    assert_refused(
        Conflict,
        lambda: services.aftercare_register(placement=placement, by=adviser, occurred_at=timezone.now(), summary="x"),
        code="aftercare_ended",
        rule="R-32",
        counts=counts,
    )


def test_aftercare_needs_a_summary_and_a_moment_after_the_start_R32(adviser, referral, counts):
    placement = book(adviser, referral, start_date=timezone.localdate())
    refused = assert_refused(
        InvalidInput,
        lambda: services.aftercare_register(
            placement=placement, by=adviser, occurred_at=timezone.now() - timedelta(days=3), summary=" "
        ),
        code="invalid",
        rule="R-32",
        counts=counts,
    )
    assert set(refused.fields) == {"occurred_at", "summary"}
