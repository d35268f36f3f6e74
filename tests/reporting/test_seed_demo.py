"""seed_demo builds a demo region that follows the rules, so the demo never shows what the rules forbid."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Organisation, Sector, User
from employers.choices import ContactKind, EmployerStatus
from employers.models import AccountHolder, ContactMoment, Employer
from employers.services import contact_moment_register

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


def test_demo_last_contact_is_at_least_the_latest_contact_moment_R05(seeded):
    latest = Employer.objects.annotate(latest=Max("contact_moments__occurred_at"))
    assert not latest.filter(last_contact_at__lt=F("latest")).exists()
    assert not latest.filter(last_contact_at__isnull=True).exists()


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
