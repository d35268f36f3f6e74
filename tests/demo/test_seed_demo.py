"""seed_demo builds a demo region that follows the rules, so the demo never shows what the rules forbid."""

from datetime import timedelta
from itertools import pairwise

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Organisation, Sector, User
from employers.choices import ContactKind, EmployerStatus, Instrument
from employers.models import AccountHolder, ContactMoment, ContactRequest, Employer, EmployerFeedback
from employers.services import contact_moment_register
from matching.bsn import bsn_lookup_hash, is_valid_bsn
from matching.choices import CandidateStatus, PlacementStatus, ReferralStatus, TargetGroup
from matching.models import Candidate, Placement, PlacementEvent, Referral
from vacancies.choices import HandoverReason, VacancyStatus, Visibility
from vacancies.models import RecruitmentPlan, Skill, Vacancy, VacancyEvent, VacancyHandover
from wsp.crypto import decrypt_text

pytestmark = pytest.mark.django_db(transaction=True)

ContactRequestEvent = apps.get_model("employers", "ContactRequestEvent")


@pytest.fixture
def seeded():
    call_command("seed_demo", employers=120, contacts_per_employer=4, verbosity=0)


def test_demo_region_has_its_partners_staff_and_sectors_R01_R51(seeded):
    kinds = dict(Organisation.objects.values_list("code", "kind"))
    assert "uwv" in kinds.values() and "municipality" in kinds.values() and "reintegration" in kinds.values()
    assert Organisation.objects.filter(kind="municipality").count() == 7
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    # Administrators are staff in the group "Beheerders", not superusers (issue 7 point 1; tests/admin).
    assert not User.objects.filter(is_superuser=True).exists()
    assert set(User.objects.filter(groups__name="Beheerders").values_list("role", flat=True)) == {Role.ADMIN}
    assert User.objects.get(username=User.objects.filter(role=Role.ADVISER).first().username).check_password(
        "demo-wsp-2026"
    )
    assert Sector.objects.filter(is_focus=True).count() >= 3
    assert Sector.objects.filter(team__isnull=False).count() == Sector.objects.count()


def test_demo_employers_follow_the_ownership_and_visit_rules_R03_R06_R08(seeded):
    # The seed adds a handful of named employers (near-duplicates, municipalities) to the number asked for.
    assert Employer.objects.count() >= 120
    # the main account holder is an adviser and is not also listed as account holder.
    assert not Employer.objects.exclude(main_account_holder__role=Role.ADVISER).exists()
    assert not AccountHolder.objects.filter(user=F("employer__main_account_holder")).exists()
    # every employer came in with a visit; R-08: every visit has its report.
    assert (
        not Employer.objects.annotate(
            visits=Count("contact_moments", filter=Q(contact_moments__kind=ContactKind.VISIT))
        )
        .filter(visits=0)
        .exists()
    )
    assert (
        not ContactMoment.objects.filter(kind=ContactKind.VISIT)
        .filter(Q(reason="") | Q(company_activities="") | Q(agreements=""))
        .exists()
    )
    # ceased employers carry their date.
    assert Employer.objects.filter(status=EmployerStatus.CEASED).exists()


def test_demo_last_contact_is_at_least_the_main_account_holders_latest_contact_moment_R05(seeded):
    latest = Employer.objects.annotate(
        latest=Max(
            "contact_moments__occurred_at",
            filter=Q(contact_moments__adviser_id=F("main_account_holder_id")),
        )
    )
    assert not latest.filter(last_contact_at__lt=F("latest")).exists()
    assert not latest.filter(last_contact_at__isnull=True).exists()
    assert not Employer.objects.filter(last_contact_source="").exists()


def test_demo_contact_is_by_those_admitted_R04(seeded):
    """R-04: every contact moment and visit is by the main account holder, an account holder admitted before it, or
    a manager; the other organisation's contacts of the collision warning are by admitted account holders."""
    assert not _count(
        "SELECT 1 FROM employers_contactmoment c JOIN employers_employer e ON e.id = c.employer_id "
        "JOIN accounts_user u ON u.id = c.adviser_id "
        "WHERE c.adviser_id <> e.main_account_holder_id AND u.role NOT IN ('manager', 'admin') "
        "AND NOT EXISTS (SELECT 1 FROM employers_accountholder h WHERE h.employer_id = c.employer_id "
        "AND h.user_id = c.adviser_id AND h.added_at <= c.occurred_at)"
    )
    others = ContactMoment.objects.exclude(organisation=F("employer__main_account_holder__organisation"))
    assert others.exists()
    # Each such adviser asked the main account holder and was approved (R-04: request -> approve, recorded).
    assert not _count(
        "SELECT 1 FROM employers_accountholder h WHERE h.via = 'access_request' AND NOT EXISTS ("
        "SELECT 1 FROM employers_accessrequest r WHERE r.employer_id = h.employer_id AND r.requester_id = h.user_id "
        "AND r.status = 'approved' AND r.decided_at <= h.added_at + interval '1 second')"
    )


def test_demo_contact_requests_are_answered_by_those_admitted_some_stated_afterwards_R10(seeded):
    answered = ContactRequest.objects.filter(responded_at__isnull=False)
    assert answered.exists()
    # the main account holder, an account holder or a manager answers.
    assert not _count(
        "SELECT 1 FROM employers_contactrequest r JOIN employers_employer e ON e.id = r.employer_id "
        "JOIN accounts_user u ON u.id = r.responded_by_id WHERE r.responded_by_id <> e.main_account_holder_id "
        "AND u.role NOT IN ('manager', 'admin') AND NOT EXISTS (SELECT 1 FROM employers_accountholder h "
        "WHERE h.employer_id = r.employer_id AND h.user_id = r.responded_by_id)"
    )
    # recorded when entered; a stated moment lies between receipt and recording, and some were stated later.
    assert not answered.filter(Q(response_recorded_at__isnull=True) | Q(response_recorded_at__lt=F("responded_at")))
    assert not answered.filter(responded_at__lt=F("received_at")).exists()
    assert not answered.filter(response_recorded_at__gt=timezone.now()).exists()
    assert answered.filter(response_recorded_at__gt=F("responded_at")).exists()
    assert not ContactRequest.objects.filter(responded_at__isnull=True, response_recorded_at__isnull=False).exists()
    # The audit trail has the response at the moment it was recorded.
    assert ContactRequestEvent.objects.filter(pgh_label="update").count() == answered.count()
    assert (
        not ContactRequestEvent.objects.filter(pgh_label="update")
        .exclude(pgh_created_at=F("response_recorded_at"))
        .exists()
    )


def test_demo_visits_record_instruments_from_the_one_list_R33(seeded):
    with_instruments = ContactMoment.objects.exclude(instruments_advised=[])
    assert with_instruments.filter(kind=ContactKind.VISIT).exists()
    assert ContactMoment.objects.exclude(instruments_applied=[]).exists()
    known = set(Instrument.values)
    for advised, applied in ContactMoment.objects.values_list("instruments_advised", "instruments_applied"):
        assert set(advised) <= known and set(applied) <= known


def test_demo_feedback_gives_managers_groups_of_5_and_hides_smaller_ones_R11(seeded):
    from employers.selectors import FEEDBACK_MIN_GROUP, feedback_aggregates

    feedback = EmployerFeedback.objects.all()
    assert not feedback.filter(Q(score__lt=0) | Q(score__gt=10)).exists()
    assert not feedback.filter(received_at__gt=timezone.now()).exists()
    shown = feedback_aggregates()
    assert shown and all(row["count"] >= FEEDBACK_MIN_GROUP for row in shown)
    groups = (
        feedback.annotate(quarter=TruncQuarter("received_at"))
        .values("quarter", "adviser__organisation")
        .annotate(n=Count("id"))
    )
    assert any(group["n"] < FEEDBACK_MIN_GROUP for group in groups)  # some are left out for managers
    # Survey answers carry the survey tool's id, each once.
    survey = feedback.exclude(external_id="")
    assert survey.exists() and survey.count() == survey.values("source", "external_id").distinct().count()


def test_seed_demo_if_empty_leaves_an_existing_region_alone(seeded):
    before = Employer.objects.count()
    call_command("seed_demo", if_empty=True, verbosity=0)
    assert Employer.objects.count() == before


def test_triggers_work_again_after_the_bulk_load_R05(seeded):
    employer = Employer.objects.order_by("last_contact_at").first()
    adviser = employer.main_account_holder
    contact_moment_register(
        employer_id=employer.pk, by=adviser, kind=ContactKind.PHONE, occurred_at=timezone.now(), summary="Nabellen"
    )
    employer.refresh_from_db()
    assert employer.last_contact_at >= timezone.now() - timedelta(minutes=1)


# --- Vacancies, candidates, referrals and placements (R-12..R-43) ---------------------------------------------------


@pytest.fixture
def region():
    """A small region with every part of the funnel: the numbers are what the command is asked for."""
    call_command(
        "seed_demo", employers=200, contacts_per_employer=3, vacancies=300, candidates=400, referrals=1000,
        placements=80, verbosity=0,
    )  # fmt: skip


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _count(sql: str, params=()) -> int:
    return _rows(f"SELECT count(*) FROM ({sql}) AS found", params)[0][0]


BOOKED = "SELECT count(*) FROM matching_placement p WHERE p.vacancy_id = v.id AND p.status = 'booked'"


def test_demo_vacancies_follow_the_registration_rules_R12_R15_R16_R19_R20(region):
    vacancies = Vacancy.objects.all()
    assert vacancies.count() == 300
    # The owner is an adviser, the organisation is the owner's, the employer is active and current.
    assert not vacancies.exclude(owner__role=Role.ADVISER).exists()
    assert not vacancies.exclude(organisation=F("owner__organisation")).exists()
    assert not vacancies.exclude(employer__status=EmployerStatus.ACTIVE).exists()
    assert not vacancies.filter(employer__merged_into__isnull=False).exists()
    # registered after receipt; about 8% late (1-4 days), the rest within 24 hours.
    assert not vacancies.filter(registered_at__lt=F("received_at")).exists()
    late = vacancies.filter(registered_late=True)
    assert 0.03 <= late.count() / vacancies.count() <= 0.15
    assert not late.filter(received_at__lt=F("registered_at") - timedelta(days=4, hours=1)).exists()
    # registered positions = max(1, booked placements), never more; filled = every requested position booked.
    assert not _count(f"SELECT 1 FROM vacancies_vacancy v WHERE v.positions <> GREATEST(1, ({BOOKED}))")
    assert not _count(f"SELECT 1 FROM vacancies_vacancy v WHERE v.requested_positions < ({BOOKED})")
    assert not _count(
        f"SELECT 1 FROM vacancies_vacancy v WHERE v.status = 'filled' "
        f"AND (v.close_reason <> 'placement' OR v.requested_positions <> ({BOOKED}))"
    )
    # closing with outcome "placement" needs a booked placement.
    assert not _count(f"SELECT 1 FROM vacancies_vacancy v WHERE v.close_reason = 'placement' AND ({BOOKED}) = 0")
    assert vacancies.filter(status=VacancyStatus.FILLED).exists()
    assert set(vacancies.values_list("requested_positions", flat=True)) & {1, 2}
    # age limits only on target-group vacancies; R-16: a blocked vacancy has its reason.
    assert vacancies.exclude(target_group_flags=[]).exists()
    assert not vacancies.filter(target_group_flags=[]).filter(Q(min_age__isnull=False) | Q(max_age__isnull=False))
    assert vacancies.filter(visibility=Visibility.BLOCKED).exists()
    assert not vacancies.filter(visibility=Visibility.BLOCKED, blocked_reason="").exists()
    # Open and expired agree with the expiry date; closed and filled have their moment.
    today = timezone.localdate()
    assert not vacancies.filter(status=VacancyStatus.OPEN, expires_on__lt=today).exists()
    assert not vacancies.filter(status=VacancyStatus.EXPIRED, expires_on__gte=today).exists()
    assert not vacancies.filter(status__in=["closed", "filled"], closed_at__isnull=True).exists()
    # 3-8 skills of the vocabulary, the occupation among them.
    skill_ids = set(Skill.objects.values_list("id", flat=True))
    for occupation, skills in vacancies.values_list("occupation_id", "skills"):
        assert 3 <= len(skills) <= 8 and set(skills) <= skill_ids and occupation in skills
    # a vacancy its main account holder registered is contact with the employer at its receipt.
    own = Q(vacancies__created_by_id=F("main_account_holder_id"), vacancies__parent__isnull=True)
    latest = Employer.objects.annotate(latest=Max("vacancies__received_at", filter=own))
    assert not latest.filter(last_contact_at__lt=F("latest")).exists()


def test_demo_vacancies_follow_admission_texts_age_bands_offers_and_corrections_R04_R12_R13_R15(region):
    """Issue 7 (vacancies): registered only by holders of the employer (R-04), no requirement on age, sex or origin
    in an ordinary vacancy's text and age bands of at least 5 years (R-15), a few offered to the chain partners
    (R-13) and a few receipts corrected with a reason in the audit trail (R-12, R-57)."""
    from django.db.models import Exists, OuterRef

    from vacancies.selectors import receipt_corrections, vacancies_offered_to_partners
    from vacancies.texts import discriminating_phrases

    reported = Vacancy.objects.filter(parent__isnull=True, duplicated_from__isnull=True)
    admitted_before = AccountHolder.objects.filter(
        employer=OuterRef("employer"), user=OuterRef("created_by"), added_at__lte=OuterRef("registered_at")
    )
    assert reported.exists()
    assert not reported.exclude(created_by=F("employer__main_account_holder")).exclude(Exists(admitted_before)).exists()
    # ordinary texts pass the phrase list; every age band spans at least 5 years.
    for title, description in Vacancy.objects.filter(target_group_flags=[]).values_list("title", "description"):
        assert not discriminating_phrases(f"{title}\n{description}"), title
    assert not Vacancy.objects.filter(max_age__lt=F("min_age") + 4).exists()
    # offered by their owners, open and not blocked, on the home page of a chain partner's adviser.
    offered = Vacancy.objects.filter(partner_offer_at__isnull=False)
    assert offered.count() >= 3
    assert not offered.exclude(status=VacancyStatus.OPEN).exists()
    assert not offered.filter(visibility=Visibility.BLOCKED).exists()
    vacancy = offered.select_related("organisation").first()
    partner = User.objects.filter(role=Role.ADVISER).exclude(organisation=vacancy.organisation).first()
    assert vacancy in vacancies_offered_to_partners(user=partner, limit=100)
    # corrected receipts carry their reason and who corrected them; none after registration.
    corrected = VacancyEvent.objects.filter(pgh_context__metadata__action="correct_receipt")
    assert corrected.values("pgh_obj_id").distinct().count() >= 3
    for vacancy_id in corrected.values_list("pgh_obj_id", flat=True):
        [correction] = receipt_corrections(vacancy_id=vacancy_id)
        assert correction.reason and correction.corrected_by and correction.previous_received_at
        assert correction.previous_received_at != correction.received_at
    assert not Vacancy.objects.filter(received_at__gt=F("registered_at")).exists()


def test_demo_co_productions_have_a_plan_and_a_vacancy_per_partner_R19():
    # Enough vacancies that a few of them ask for 10 people or more.
    call_command("seed_demo", employers=300, vacancies=1500, candidates=600, referrals=800, placements=60, verbosity=0)
    parents = Vacancy.objects.filter(requested_positions__gte=10, parent__isnull=True)
    assert parents.exists()
    for parent in parents.prefetch_related("children", "recruitment_plan__partners"):
        plan = parent.recruitment_plan
        partners = set(plan.partners.values_list("pk", flat=True))
        children = list(parent.children.all())
        assert plan.activities and parent.organisation_id not in partners
        assert {child.organisation_id for child in children} == partners
        assert all(child.employer_id == parent.employer_id for child in children)
    assert not Vacancy.objects.filter(parent__isnull=False, parent__requested_positions__lt=10).exists()


def test_demo_placements_follow_the_booking_rules_R22_R23_R24_R30(region):
    placements = Placement.objects.select_related("referral", "vacancy", "organisation", "booked_by", "candidate")
    assert 70 <= placements.count() <= 80
    booked = placements.filter(status=PlacementStatus.BOOKED)
    assert booked.exists()
    for placement in placements:
        referral, vacancy = placement.referral, placement.vacancy
        # reciprocity: the employer's recruitment request and the hired referral on this vacancy.
        assert vacancy.recruitment_request
        assert referral.status == ReferralStatus.HIRED
        assert referral.vacancy_id == vacancy.pk and referral.candidate_id == placement.candidate_id
        # the booking organisation may book the candidate's target group.
        assert TargetGroup.may_book(placement.target_group, placement.organisation.kind)
        assert placement.organisation_id == placement.booked_by.organisation_id
        # the referring organisation books, unless a partner's hire moved the vacancy to the partner.
        assert (
            referral.organisation_id == placement.organisation_id
            or VacancyHandover.objects.filter(
                vacancy=vacancy, reason=HandoverReason.PARTNER_HIRED, to_user=placement.booked_by
            ).exists()
        )
        # Copied at booking and R-30: durable after 3 months (municipal) or 6 months (UWV).
        assert placement.target_group == placement.candidate.target_group
        assert placement.employer_id == vacancy.employer_id
        months = settings.WSP["DURABLE_AFTER_MONTHS"][placement.organisation.kind]
        assert placement.durable_after == placement.start_date + relativedelta(months=months)
        if placement.status == PlacementStatus.CANCELLED:
            assert placement.cancel_reason and placement.cancelled_at
    # The booking adviser owns the vacancy (after an R-24 handover: the partner).
    assert not booked.exclude(booked_by=F("vacancy__owner")).exists()
    assert not booked.filter(hours_per_week__lt=15).exclude(is_durable=False).exists()
    assert not booked.filter(is_durable=True, durable_after__gte=timezone.localdate()).exists()
    # A candidate is placed while a booked placement runs.
    running = Placement.objects.filter(status=PlacementStatus.BOOKED).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
    )
    placed = set(Candidate.objects.filter(status=CandidateStatus.PLACED).values_list("pk", flat=True))
    assert placed == set(running.values_list("candidate_id", flat=True))
    # No placement where the rules forbid one.
    assert not Placement.objects.filter(vacancy__recruitment_request=False).exists()
    assert not Placement.objects.filter(vacancy__visibility=Visibility.BLOCKED).exists()


def test_demo_placements_are_not_backdated_and_count_only_time_passed_R22_R30_R32_R33_R57(region):
    """No backdating (R-22, R-57), durability on time that has passed (R-30), conditions of short placements and
    placements ended by aftercare (R-32), instruments from the one list (R-33), and every hire with its booker, the
    unbooked ones on the booker's home page (R-23..R-25)."""
    from matching.models import AftercareContact
    from matching.selectors.placements import placements_to_book
    from matching.services.placements import START_AHEAD_MONTHS, durability_on

    today = timezone.localdate()
    placements = list(Placement.objects.select_related("vacancy", "referral", "booked_by"))
    minimum = settings.WSP["DURABLE_MIN_HOURS"]
    for p in placements:
        assert p.start_date >= timezone.localdate(p.vacancy.received_at), p.pk
        assert p.start_date >= timezone.localdate(p.referral.referred_at), p.pk
        assert p.start_date <= timezone.localdate(p.booked_at) + relativedelta(months=START_AHEAD_MONTHS), p.pk
        assert set(p.instruments_advised) | set(p.instruments_applied) <= set(Instrument.values)
        assert p.referral.booker_id == p.booked_by_id  # the adviser decided at the hire booked it
        if p.status == PlacementStatus.BOOKED:
            expected = durability_on(
                hours_per_week=p.hours_per_week, end_date=p.end_date, durable_after=p.durable_after, today=today
            )
            assert p.is_durable is expected, p.pk
            ended_by_aftercare = p.correction_reason.startswith("Nazorgcontact van ")
            fixed_end_short = p.end_date is not None and p.end_date <= p.durable_after and not ended_by_aftercare
            if p.hours_per_week < minimum or fixed_end_short:
                assert p.conditions, p.pk  # ZKIJ plan 3.1: the conditions agreed
    booked = [p for p in placements if p.status == PlacementStatus.BOOKED]
    assert any(p.conditions for p in booked)
    assert 0.2 <= sum(bool(p.instruments_advised) for p in placements) / len(placements) <= 0.6
    # some placements were ended by an aftercare contact that found the candidate gone, on their last day.
    ended = [p for p in booked if p.correction_reason.startswith("Nazorgcontact van ")]
    assert ended
    for p in ended:
        contact = AftercareContact.objects.get(placement=p, still_employed=False)
        assert contact.employment_ended_on == p.end_date and p.aftercare_ended_at == contact.occurred_at
        assert p.end_date <= timezone.localdate(contact.occurred_at)
    assert not AftercareContact.objects.filter(still_employed=False, employment_ended_on__isnull=True).exists()
    # Every hire has its booker; those not booked yet, on a vacancy still open, stand on the booker's home page.
    hired = Referral.objects.filter(status=ReferralStatus.HIRED)
    assert not hired.filter(booker__isnull=True).exists()
    assert not Referral.objects.exclude(status=ReferralStatus.HIRED).filter(booker__isnull=False).exists()
    bookable = [VacancyStatus.OPEN, VacancyStatus.EXPIRED]
    waiting = hired.filter(vacancy__status__in=bookable).exclude(placements__status=PlacementStatus.BOOKED)
    assert waiting.exists()
    for referral in waiting.select_related("booker"):
        shown = placements_to_book(user=referral.booker, limit=1000).referrals
        assert referral.pk in {r.pk for r in shown}


def test_demo_referrals_follow_the_referral_register_rules_R17_R18_R21_R41_R43(region):
    referrals = Referral.objects.all()
    assert 850 <= referrals.count() <= 1000
    # proposed by the vacancy's owner at that moment (the owner now, or one who handed it over later).
    assert not _count(
        "SELECT 1 FROM matching_referral r JOIN vacancies_vacancy v ON v.id = r.vacancy_id "
        "WHERE r.referred_by_id <> v.owner_id AND NOT EXISTS (SELECT 1 FROM vacancies_vacancyhandover h "
        "WHERE h.vacancy_id = v.id AND h.from_user_id = r.referred_by_id AND h.handed_over_at >= r.referred_at)"
    )
    assert not referrals.exclude(organisation=F("referred_by__organisation")).exists()
    # candidates of every partner are proposed.
    assert referrals.exclude(candidate__organisation=F("organisation")).exists()
    # PAWA only by UWV staff; every step in the register, in order, the last one the referral's status.
    assert not referrals.filter(pawa=True).exclude(organisation__kind="uwv").exists()
    for referral in referrals.prefetch_related("changes"):
        steps = list(referral.changes.all())
        assert (steps[0].from_status, steps[0].to_status, steps[0].changed_at) == ("", "proposed", referral.referred_at)
        assert all(a.changed_at < b.changed_at and a.to_status == b.from_status for a, b in pairwise(steps))
        assert (steps[-1].to_status, steps[-1].changed_at) == (referral.status, referral.status_changed_at)
        assert (referral.status == ReferralStatus.REJECTED) == bool(referral.rejection_reason)
    # never on a blocked vacancy, after it closed, before the candidate was work-ready, or
    # without a shared skill; still-open proposals only on open vacancies for available candidates.
    assert not referrals.filter(vacancy__visibility=Visibility.BLOCKED).exists()
    assert not referrals.filter(referred_at__gt=F("vacancy__closed_at")).exists()
    assert not referrals.filter(referred_at__lt=F("vacancy__registered_at")).exists()
    assert not _count(
        "SELECT 1 FROM matching_referral r JOIN matching_candidate c ON c.id = r.candidate_id "
        "JOIN vacancies_vacancy v ON v.id = r.vacancy_id WHERE c.work_ready_since IS NULL "
        "OR c.work_ready_since > (r.referred_at AT TIME ZONE %s)::date OR NOT (c.skills && v.skills)",
        [settings.TIME_ZONE],
    )
    active = referrals.filter(status__in=ReferralStatus.active())
    assert not active.exclude(vacancy__status=VacancyStatus.OPEN).exists()
    assert not active.exclude(candidate__status=CandidateStatus.AVAILABLE).exists()
    # about four proposals per successful match on the vacancies that were filled.
    with_hire = referrals.filter(vacancy__referrals__status=ReferralStatus.HIRED).distinct()
    hires = referrals.filter(status=ReferralStatus.HIRED).count()
    # about four proposals per hire (a small seed scatters around it).
    assert 2.5 <= with_hire.count() / hires <= 5.5


def test_demo_candidates_keep_personal_data_safe_R40_R58(region):
    candidates = Candidate.objects.all()
    assert candidates.count() == 400
    # The BSN column holds Fernet tokens, so it is found through its keyed hash.
    with_bsn = candidates.filter(bsn_hash__isnull=False)
    # optional, about one in ten.
    assert 0.03 <= with_bsn.count() / candidates.count() <= 0.2
    hashes = [c.bsn_hash for c in with_bsn]
    assert len(hashes) == len(set(hashes))
    stored = dict(_rows("SELECT id, bsn FROM matching_candidate WHERE bsn <> ''"))
    for candidate in with_bsn:
        # stored encrypted, valid by the eleven-test, findable through the keyed hash only.
        assert is_valid_bsn(candidate.bsn)
        assert stored[candidate.pk] != candidate.bsn and decrypt_text(stored[candidate.pk]) == candidate.bsn
        assert candidate.bsn_hash == bsn_lookup_hash(candidate.bsn)
    notes = _rows("SELECT health_notes FROM matching_candidate WHERE health_notes <> ''")
    assert notes and all(decrypt_text(token) for (token,) in notes)
    assert not _count("SELECT 1 FROM matching_candidate WHERE (bsn = '') <> (bsn_hash IS NULL)")
    # every target group belongs to the organisation's kind (UWV: WW, WIA, Wajong; municipalities and their
    # reintegration bodies: P-wet, NUG, Oekraine; other/unknown either), as the candidate service checks it.
    kinds = dict(Organisation.objects.values_list("pk", "kind"))
    for organisation_id, group in candidates.values_list("organisation_id", "target_group").distinct():
        assert TargetGroup.may_book(group, kinds[organisation_id]), (kinds[organisation_id], group)
    assert {"ww", "pwet"} <= set(candidates.values_list("target_group", flat=True))
    assert not candidates.exclude(organisation=F("adviser__organisation")).exists()
    # Some are not work-ready yet, some profiles are stale.
    assert candidates.filter(Q(work_ready_since__isnull=True) | Q(work_ready_since__gt=timezone.localdate())).exists()
    assert candidates.filter(profile_reviewed_at__lt=timezone.now() - timedelta(days=90)).exists()


def test_demo_places_have_the_coordinates_the_services_give_them_R42(region):
    from wsp import geo

    # Every demo place is known, so every candidate and vacancy has coordinates, computed as the services do.
    assert not Candidate.objects.filter(latitude__isnull=True).exists()
    assert not Vacancy.objects.filter(latitude__isnull=True).exists()
    for municipality, latitude, longitude in Candidate.objects.values_list(
        "municipality", "latitude", "longitude"
    ).distinct():
        assert (latitude, longitude) == geo.coordinates(municipality), municipality
    for vacancy in Vacancy.objects.select_related("employer")[:50]:
        expected = geo.work_place(
            municipality=vacancy.municipality,
            employer_city=vacancy.employer.city,
            employer_municipality=vacancy.employer.municipality,
        )
        assert (vacancy.latitude, vacancy.longitude) == expected, vacancy.pk


def test_demo_audit_trail_has_the_insert_of_every_vacancy_and_placement(region):
    assert VacancyEvent.objects.filter(pgh_label="insert").count() == Vacancy.objects.count()
    assert PlacementEvent.objects.filter(pgh_label="insert").count() == Placement.objects.count()
    # The insert shows the vacancy as registered: open, one position, the first owner.
    assert not VacancyEvent.objects.filter(pgh_label="insert").exclude(status="open", positions=1).exists()
    handed = VacancyHandover.objects.order_by("handed_over_at").first()
    if handed:
        first = VacancyEvent.objects.get(pgh_obj_id=handed.vacancy_id, pgh_label="insert")
        assert first.owner_id == handed.from_user_id


def test_orm_inserts_and_triggers_work_after_the_bulk_load(region):
    """The sequences were moved past the copied ids (setval) and the triggers are on again."""
    adviser = User.objects.filter(role=Role.ADVISER).first()
    employer = Employer.objects.filter(status=EmployerStatus.ACTIVE).order_by("last_contact_at").first()
    now = timezone.now()
    vacancy = Vacancy.objects.create(
        employer=employer, owner=adviser, organisation=adviser.organisation, title="Orderpicker", hours_per_week=32,
        received_at=now, registered_at=now, expires_on=timezone.localdate() + timedelta(days=90),
        created_by=employer.main_account_holder,
    )  # fmt: skip
    assert vacancy.pk > Vacancy.objects.exclude(pk=vacancy.pk).aggregate(Max("pk"))["pk__max"]
    employer.refresh_from_db()
    assert employer.last_contact_at == now  # the vacancy trigger (registered by the main account holder)
    assert VacancyEvent.objects.filter(pgh_obj_id=vacancy.pk, pgh_label="insert").exists()
    candidate = Candidate.objects.create(
        organisation=adviser.organisation, adviser=adviser, first_name="Kim", last_name="Jansen",
        target_group=TargetGroup.WW, hours_per_week=24, postcode="2011 AB", skills=vacancy.skills,
    )  # fmt: skip
    referral = Referral.objects.create(
        vacancy=vacancy, candidate=candidate, referred_by=adviser, organisation=adviser.organisation,
        referred_at=now, status_changed_at=now,
    )  # fmt: skip
    # The sequences continue after the bulk-loaded rows.
    assert candidate.pk > Candidate.objects.exclude(pk=candidate.pk).aggregate(Max("pk"))["pk__max"]
    assert referral.pk > Referral.objects.exclude(pk=referral.pk).aggregate(Max("pk"))["pk__max"]
    for model in (Placement, RecruitmentPlan):
        table = model._meta.db_table
        ((next_id,),) = _rows(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
        assert next_id > (model.objects.aggregate(Max("pk"))["pk__max"] or 0)


def test_reset_keeps_the_vocabulary_R42(region):
    skills = Skill.objects.count()
    assert skills > 100
    call_command("seed_demo", employers=50, reset=True, verbosity=0)
    assert Skill.objects.count() == skills
    assert Vacancy.objects.count() == 125 and Placement.objects.exists()


def test_demo_has_two_published_factsheets_whose_figures_hold_their_records_R55_R57(region):
    from reporting.factsheets.models import Factsheet
    from reporting.measures.registry import MEASURES
    from reporting.measures.scope import Scope

    published = list(Factsheet.objects.filter(status="published").order_by("year", "quarter"))
    assert len(published) == 2
    for factsheet in published:
        scope = Scope(year=factsheet.year, quarter=factsheet.quarter)
        for figure in factsheet.figures.filter(key__in=["placements", "funnel-registered", "contact-requests"]):
            assert sorted(figure.record_ids) == sorted(MEASURES[figure.key].records(scope).values_list("pk", flat=True))
