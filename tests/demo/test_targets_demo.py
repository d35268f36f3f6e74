"""The demo holds the ZKIJ 2024 targets per target group (R-50: total 530), sector and account-manager targets
(R-51), a target change with its reason, and employer counts per sector (R-52)."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from accounts.choices import Role
from accounts.models import Sector, User
from matching.choices import TargetGroup
from reporting.targets import selectors
from reporting.targets.choices import Measure
from reporting.targets.models import SectorEmployerCount, Target, TargetChange

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded():
    call_command("seed_demo", employers=120, contacts_per_employer=4, verbosity=0)


def test_demo_zkij_2024_targets_per_target_group_R50(seeded):
    rows = Target.objects.filter(year=2024, measure=Measure.PLACEMENTS).exclude(target_group="")
    assert dict(rows.values_list("target_group", "target")) == {
        TargetGroup.WAJONG: 35,
        TargetGroup.WIA: 35,
        TargetGroup.WW: 160,
        TargetGroup.PWET: 175,
        TargetGroup.OEKRAINE: 75,
        TargetGroup.OTHER: 50,
    }
    assert rows.aggregate(total=Sum("target"))["total"] == 530
    assert {t.organisation.code for t in rows if t.target_group in TargetGroup.uwv_groups()} == {"uwv"}
    change = TargetChange.objects.get(target__year=2024, target__target_group=TargetGroup.WW)
    assert (change.old, change.new) == (150, 160) and change.reason


def test_demo_sector_and_account_manager_targets_and_counts_R51_R52(seeded):
    focus = Sector.objects.filter(is_focus=True)
    assert Target.objects.filter(sector__in=focus).exists()
    account_managers = User.objects.filter(role=Role.ACCOUNT_MANAGER)
    assert Target.objects.filter(adviser__in=account_managers, measure=Measure.NEW_EMPLOYERS).exists()
    assert SectorEmployerCount.objects.filter(year=2024).count() == Sector.objects.count()
    rows = selectors.with_realisation(Target.objects.for_list())
    assert any(t.realised > 0 for t in rows)
