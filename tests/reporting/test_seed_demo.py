"""seed_demo builds a demo region that follows the rules, so the demo never shows what the rules forbid."""

from datetime import timedelta
from itertools import pairwise

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Organisation, Sector, User
from employers.choices import ContactKind, EmployerStatus
from employers.models import AccountHolder, ContactMoment, Employer
from employers.services import contact_moment_register
from matching.bsn import bsn_lookup_hash, is_valid_bsn
from matching.choices import CandidateStatus, PlacementStatus, ReferralStatus, TargetGroup
from matching.models import Candidate, Placement, PlacementEvent, Referral
from vacancies.choices import HandoverReason, VacancyStatus, Visibility
from vacancies.models import RecruitmentPlan, Skill, Vacancy, VacancyEvent, VacancyHandover
from wsp.crypto import decrypt_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded():
    call_command("seed_demo", employers=120, contacts_per_employer=4, verbosity=0)


def test_demo_region_has_its_partners_staff_and_sectors_R01_R51(seeded):
    kinds = dict(Organisation.objects.values_list("code", "kind"))
    assert "uwv" in kinds.values() and "municipality" in kinds.values() and "reintegration" in kinds.values()
    assert Organisation.objects.filter(kind="municipality").count() == 7
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_superuser=True).exists()
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
    # Target groups mostly follow the organisation's kind; candidates are in the region's caseloads.
    uwv = candidates.filter(organisation__kind="uwv")
    assert uwv.filter(target_group__in=["ww", "wia", "wajong"]).count() >= 0.85 * uwv.count()
    assert not candidates.exclude(organisation=F("adviser__organisation")).exists()
    # Some are not work-ready yet, some profiles are stale.
    assert candidates.filter(Q(work_ready_since__isnull=True) | Q(work_ready_since__gt=timezone.localdate())).exists()
    assert candidates.filter(profile_reviewed_at__lt=timezone.now() - timedelta(days=90)).exists()


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
