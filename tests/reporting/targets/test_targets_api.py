"""`targets/` (API.md; R-50, R-51): fields, realisation counted live, forecast and status, changes with a reason,
managers only for writes, refusals that change nothing, and a query budget that does not grow."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import Role
from matching.choices import PlacementStatus, TargetGroup
from reporting.targets.choices import Measure
from reporting.targets.models import Target, TargetChange
from tests.factories import EmployerFactory, SectorFactory, UserFactory

from .conftest import make_placement, make_visit

pytestmark = pytest.mark.django_db

API = "/api/v1/targets/"
FIELDS = {
    "id",
    "year",
    "measure",
    "organisation",
    "target_group",
    "sector",
    "adviser",
    "target",
    "realised",
    "forecast",
    "status",
    "changes",
}


def new_target(by, **fields):
    fields.setdefault("year", 2024)
    fields.setdefault("measure", Measure.PLACEMENTS)
    fields.setdefault("target", Decimal("10"))
    return Target.objects.create(created_by=by, **fields)


def test_r50_post_target_per_target_group_has_the_fields_of_api_md(manager_client, uwv):
    response = manager_client.post(
        API, {"year": 2024, "measure": "placements", "organisation": uwv.pk, "target_group": "wajong", "target": 35}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == FIELDS
    assert body["target"] == 35 and body["realised"] == 0 and body["forecast"] == 0
    assert body["status"] == "behind" and body["changes"] == []
    assert Target.objects.get().target_group == TargetGroup.WAJONG


def test_r51_post_sector_and_adviser_targets(manager_client, uwv, adviser):
    sector = SectorFactory()
    one = manager_client.post(
        API, {"year": 2024, "measure": "visits", "organisation": uwv.pk, "sector": sector.pk, "target": 40}
    )
    two = manager_client.post(API, {"year": 2024, "measure": "new_employers", "adviser": adviser.pk, "target": 12})
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["sector"] == sector.pk and two.json()["adviser"] == adviser.pk


def test_r50_duplicate_target_is_409_and_changes_nothing(manager_client, manager, uwv, target_counts):
    new_target(manager, organisation=uwv, target_group=TargetGroup.WW, target=160)
    before = target_counts()
    response = manager_client.post(
        API, {"year": 2024, "measure": "placements", "organisation": uwv.pk, "target_group": "ww", "target": 170}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_target" and response.json()["rule"] == "R-50"
    assert target_counts() == before


def test_r50_duplicate_adviser_target_refused_by_the_database_too(manager, adviser):
    """NULLS NOT DISTINCT: the empty organisation and sector of an adviser target do not make it unique."""
    from django.db import IntegrityError, transaction

    new_target(manager, adviser=adviser)
    with pytest.raises(IntegrityError), transaction.atomic():
        new_target(manager, adviser=adviser, target=Decimal("5"))


def test_r50_negative_target_is_400_and_changes_nothing(manager_client, uwv, target_counts):
    before = target_counts()
    response = manager_client.post(
        API, {"year": 2024, "measure": "placements", "organisation": uwv.pk, "target_group": "ww", "target": -1}
    )
    assert response.status_code == 400 and response.json()["code"] == "negative"
    assert target_counts() == before


def test_r50_negative_target_refused_by_the_database(manager, uwv):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        new_target(manager, organisation=uwv, target_group=TargetGroup.WW, target=Decimal("-1"))


@pytest.mark.parametrize(
    "payload",
    [
        {"target_group": "ww"},  # no organisation
        {"organisation": "uwv", "target_group": "ww", "sector": "sector"},  # two keys
        {"organisation": "uwv"},  # no second key
    ],
)
def test_r50_a_target_needs_exactly_one_key(manager_client, uwv, payload, target_counts):
    sector = SectorFactory()
    data = {"year": 2024, "measure": "placements", "target": 5}
    data.update({k: {"uwv": uwv.pk, "sector": sector.pk}.get(v, v) for k, v in payload.items()})
    before = target_counts()
    response = manager_client.post(API, data)
    assert response.status_code == 400 and response.json()["code"] == "invalid_key"
    assert target_counts() == before


def test_r50_visits_are_not_set_per_target_group(manager_client, uwv, target_counts):
    before = target_counts()
    response = manager_client.post(
        API, {"year": 2024, "measure": "visits", "organisation": uwv.pk, "target_group": "ww", "target": 5}
    )
    assert response.status_code == 400
    assert target_counts() == before


def test_r50_advisers_and_tokens_read_but_do_not_write(
    adviser_client, manager, uwv, token_client, target_counts, client_for
):
    target = new_target(manager, organisation=uwv, target_group=TargetGroup.WW)
    token, _ = token_client(organisation=uwv)
    account_manager = client_for(UserFactory(role=Role.ACCOUNT_MANAGER, organisation=uwv))
    assert adviser_client.get(API).status_code == 200
    assert token.get(API).json()["results"][0]["id"] == target.pk
    before = target_counts()
    data = {"year": 2025, "measure": "placements", "organisation": uwv.pk, "target_group": "ww", "target": 5}
    assert adviser_client.post(API, data).status_code == 403
    assert account_manager.post(API, data).status_code == 403
    assert token.post(API, data).status_code == 403
    change = {"target": 20, "reason": "more budget"}
    assert adviser_client.patch(f"{API}{target.pk}/", change).status_code == 403
    assert token.patch(f"{API}{target.pk}/", change).status_code == 403
    assert target_counts() == before


def test_r50_patch_changes_the_target_and_keeps_the_change(manager_client, manager, uwv):
    target = new_target(manager, organisation=uwv, target_group=TargetGroup.WW, target=Decimal("160"))
    response = manager_client.patch(f"{API}{target.pk}/", {"target": 150, "reason": "Budget cut to 90%"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["target"] == 150
    [change] = body["changes"]
    assert change["old"] == 160 and change["new"] == 150 and change["reason"] == "Budget cut to 90%"
    assert change["date"]
    assert TargetChange.objects.get().changed_by == manager


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_r50_patch_without_reason_is_400_and_changes_nothing(manager_client, manager, uwv, reason, target_counts):
    target = new_target(manager, organisation=uwv, target_group=TargetGroup.WW, target=Decimal("160"))
    before = target_counts()
    data = {"target": 150} if reason is None else {"target": 150, "reason": reason}
    response = manager_client.patch(f"{API}{target.pk}/", data)
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    assert target_counts() == before


def test_r50_patch_to_negative_is_400_and_changes_nothing(manager_client, manager, uwv, target_counts):
    target = new_target(manager, organisation=uwv, target_group=TargetGroup.WW)
    before = target_counts()
    response = manager_client.patch(f"{API}{target.pk}/", {"target": -3, "reason": "oops"})
    assert response.status_code == 400
    assert target_counts() == before


def test_r50_put_is_not_allowed(manager_client, manager, uwv):
    target = new_target(manager, organisation=uwv, target_group=TargetGroup.WW)
    assert manager_client.put(f"{API}{target.pk}/", {"target": 1, "reason": "x"}).status_code == 405


def test_r50_realised_counts_booked_placements_by_start_date(manager_client, manager, uwv, municipality):
    """Placements, durable and job-agreement jobs of the booking partner and target group in the year; cancelled
    ones and other years left out."""
    booker = UserFactory(organisation=uwv)
    for start in (date(2024, 1, 5), date(2024, 6, 1), date(2024, 12, 31)):
        make_placement(start=start, organisation=uwv, booked_by=booker, is_durable=start.month == 6)
    make_placement(start=date(2024, 3, 1), organisation=uwv, booked_by=booker, job_agreement=True, hours="25.5")
    make_placement(start=date(2023, 12, 31), organisation=uwv, booked_by=booker)  # another year
    make_placement(start=date(2024, 3, 1), group=TargetGroup.WIA, organisation=uwv, booked_by=booker)
    make_placement(
        start=date(2024, 3, 2),
        organisation=uwv,
        booked_by=booker,
        status=PlacementStatus.CANCELLED,
        cancel_reason="Withdrawn",
        cancelled_at=timezone.now(),
        cancelled_by=booker,
    )
    new_target(manager, organisation=uwv, target_group=TargetGroup.WW, target=Decimal("4"))
    new_target(manager, organisation=uwv, target_group=TargetGroup.WW, measure=Measure.DURABLE, target=Decimal("2"))
    new_target(
        manager, organisation=uwv, target_group=TargetGroup.WW, measure=Measure.JOB_AGREEMENT_JOBS, target=Decimal("1")
    )
    new_target(manager, organisation=municipality, target_group=TargetGroup.WW, target=Decimal("1"))
    rows = {(r["measure"], r["organisation"]): r for r in manager_client.get(f"{API}?year=2024").json()["results"]}
    assert rows[("placements", uwv.pk)]["realised"] == 4
    assert rows[("placements", uwv.pk)]["forecast"] == 4  # a past year: the forecast is what was realised
    assert rows[("placements", uwv.pk)]["status"] == "on_track"
    assert rows[("durable", uwv.pk)]["realised"] == 1 and rows[("durable", uwv.pk)]["status"] == "behind"
    assert rows[("job_agreement_jobs", uwv.pk)]["realised"] == 1
    assert rows[("placements", municipality.pk)]["realised"] == 0


def test_r51_realised_per_sector_and_per_adviser(manager_client, manager, uwv, adviser):
    sector = SectorFactory()
    employer = EmployerFactory(sector=sector)
    make_placement(start=date(2024, 2, 1), employer=employer, organisation=uwv, booked_by=adviser)
    make_placement(start=date(2024, 2, 1), organisation=uwv, booked_by=adviser)  # no sector
    make_visit(when=date(2024, 5, 1), employer=EmployerFactory(sector=sector, main_account_holder=adviser))
    make_visit(when=date(2024, 5, 2), employer=EmployerFactory(main_account_holder=adviser))
    new_target(manager, organisation=uwv, sector=sector)
    new_target(manager, organisation=uwv, sector=sector, measure=Measure.VISITS)
    new_target(manager, adviser=adviser, measure=Measure.VISITS)
    new_target(manager, adviser=adviser)
    rows = manager_client.get(f"{API}?year=2024").json()["results"]
    got = {(r["measure"], bool(r["sector"])): r["realised"] for r in rows}
    assert got == {("placements", True): 1, ("visits", True): 1, ("visits", False): 2, ("placements", False): 2}


def test_r50_new_employers_counted_by_who_registered_them(manager_client, manager, uwv, adviser, other_adviser):
    from employers.models import Employer

    mine = [EmployerFactory(created_by=adviser) for _ in range(3)]
    EmployerFactory(created_by=other_adviser)
    Employer.objects.filter(pk=mine[0].pk).update(created_at=timezone.now().replace(year=timezone.now().year - 1))
    year = timezone.localdate().year
    new_target(manager, adviser=adviser, measure=Measure.NEW_EMPLOYERS, year=year)
    new_target(manager, organisation=uwv, sector=mine[1].sector or SectorFactory(), measure=Measure.NEW_EMPLOYERS)
    [row] = manager_client.get(f"{API}?year={year}&measure=new_employers").json()["results"]
    assert row["realised"] == 2


def test_r50_filters_year_measure_organisation(manager_client, manager, uwv, municipality):
    new_target(manager, organisation=uwv, target_group=TargetGroup.WW)
    new_target(manager, organisation=municipality, target_group=TargetGroup.PWET)
    new_target(manager, organisation=uwv, target_group=TargetGroup.WW, year=2025)
    new_target(manager, organisation=uwv, target_group=TargetGroup.WW, measure=Measure.DURABLE)
    assert len(manager_client.get(f"{API}?year=2025").json()["results"]) == 1
    assert len(manager_client.get(f"{API}?measure=durable").json()["results"]) == 1
    assert len(manager_client.get(f"{API}?organisation={municipality.pk}").json()["results"]) == 1


@pytest.mark.parametrize("rows", [2, 20])
def test_r50_list_query_count_does_not_grow(manager_client, manager, uwv, django_assert_num_queries, rows):
    sector = SectorFactory()
    for n in range(rows):
        target = new_target(manager, organisation=uwv, target_group=TargetGroup.WW, year=2001 + n)
        TargetChange.objects.create(target=target, old=1, new=10, reason="r", changed_by=manager)
        new_target(manager, organisation=uwv, sector=sector, year=2001 + n, measure=Measure.VISITS)
        new_target(manager, adviser=manager, year=2001 + n, measure=Measure.NEW_EMPLOYERS)
    # targets page, their changes, one grouped query per measure and kind of key (placements/target group,
    # visits/sector, new employers/adviser)
    with django_assert_num_queries(5):
        response = manager_client.get(f"{API}?page_size=100")
    assert response.status_code == 200 and len(response.json()["results"]) == 3 * rows


def test_r50_patch_cannot_change_the_key(manager_client, manager, uwv, municipality, target_counts):
    target = new_target(manager, organisation=uwv, target_group=TargetGroup.WW)
    before = target_counts()
    response = manager_client.patch(
        f"{API}{target.pk}/", {"target": 20, "reason": "move", "organisation": municipality.pk}
    )
    assert response.status_code == 400 and response.json()["code"] == "key_not_changeable"
    assert target_counts() == before
