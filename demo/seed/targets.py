"""Demo targets (R-50, R-51) and the region's employer counts per sector (R-52), through the services so every rule
holds.

ZKIJ 2024 (seed 000) per target group: Wajong 35, WIA 35, WW 160 (UWV's groups, set for UWV), P-wet 175,
Oekraine 75, other/unknown 50 (the municipal groups, each set for the partner that booked most of that group in the
year, else Gemeente Haarlem); total 530. The same targets for every demo year. Per focus sector a placement and a
visit target for its lead partner; per account manager the result agreements of ZKIJ plan 5.3 (new employer
relations, visits, placements). One change with its reason, so the history shows.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Max, Min

from accounts.choices import Role
from employers.models import Employer
from matching.choices import PlacementStatus, TargetGroup
from matching.models import Placement
from reporting.targets import services
from reporting.targets.choices import Measure

ZKIJ_2024 = {
    TargetGroup.WAJONG: 35,
    TargetGroup.WIA: 35,
    TargetGroup.WW: 160,
    TargetGroup.PWET: 175,
    TargetGroup.OEKRAINE: 75,
    TargetGroup.OTHER: 50,
}
SECTOR_PLACEMENTS = 60
SECTOR_VISITS = 80
ACCOUNT_MANAGER_AGREEMENTS = {Measure.NEW_EMPLOYERS: 24, Measure.VISITS: 60, Measure.PLACEMENTS: 12}
FOCUS_AMBITION = Decimal("0.350")


def seed_targets(seeder) -> dict[str, int]:
    """Targets for 2024 and every demo year, and employer counts per sector for those years, for the seeder's
    organisations, sectors and staff (`demo.seed.seeder.Seeder.build_people`)."""
    orgs, sectors, users, today = seeder.orgs, seeder.sectors, seeder.users, seeder.today
    manager = next((u for u in users if u.role == Role.MANAGER), None)
    if manager is None:
        return {}
    span = Placement.objects.filter(status=PlacementStatus.BOOKED).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
    years = {2024, today.year}
    if span["first"] is not None:
        years.update(range(span["first"].year, span["last"].year + 1))
    # Who booked most of each municipal group, per year: one query.
    bookers: dict[tuple[int, str], Counter] = {}
    rows = (
        Placement.objects.filter(status=PlacementStatus.BOOKED, start_date__year__in=years)
        .values("start_date__year", "target_group", "organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        bookers.setdefault((row["start_date__year"], row["target_group"]), Counter())[row["organisation_id"]] += row[
            "n"
        ]
    by_id = {o.pk: o for o in orgs.values()}
    uwv, haarlem = orgs["uwv"], orgs["gemeente-haarlem"]
    account_managers = [u for u in users if u.role == Role.ACCOUNT_MANAGER]
    targets = 0
    for year in sorted(years):
        for group, value in ZKIJ_2024.items():
            if group in TargetGroup.uwv_groups():
                organisation = uwv
            else:
                counter = bookers.get((year, group))
                organisation = by_id.get(counter.most_common(1)[0][0], haarlem) if counter else haarlem
            # WW 2024 was first set at 150 and raised to the plan's 160: the change shows with its reason.
            first = 150 if (year, group) == (2024, TargetGroup.WW) else value
            item = services.target_create(
                by=manager, year=year, measure=Measure.PLACEMENTS, organisation=organisation, target_group=group,
                target=first,
            )  # fmt: skip
            targets += 1
            if first != value:
                services.target_change(
                    by=manager, target=item, new=value, reason="Vastgesteld in het jaarplan ZKIJ 2024"
                )
        for sector in sectors.values():
            if not sector.is_focus:
                continue
            lead = sector.lead_organisation
            for measure, value in ((Measure.PLACEMENTS, SECTOR_PLACEMENTS), (Measure.VISITS, SECTOR_VISITS)):
                services.target_create(
                    by=manager, year=year, measure=measure, organisation=lead, sector=sector, target=value
                )
                targets += 1
        for person in account_managers:
            for measure, value in ACCOUNT_MANAGER_AGREEMENTS.items():
                services.target_create(by=manager, year=year, measure=measure, adviser=person, target=value)
                targets += 1
    counts = _employer_counts(manager=manager, sectors=sectors, years=years)
    return {"targets": targets, "employer_counts": counts}


def _employer_counts(*, manager, sectors: dict, years) -> int:
    """R-52: about 2.5 times the demo's own employers with 10+ staff per sector: the WSP knows a part of the region."""
    known = dict(
        Employer.objects.filter(staff_count__gte=10, sector__isnull=False)
        .values("sector_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("sector_id", "n")
    )
    n = 0
    for year in sorted(years):
        for sector in sectors.values():
            services.sector_employer_count_set(
                by=manager, year=year, sector=sector, employers_10_plus=max(10, round(known.get(sector.pk, 0) * 2.5)),
                source=f"KvK Handelsregister, vestigingen met 10 of meer werkzame personen, peildatum 1 januari {year}",
                ambition=FOCUS_AMBITION if sector.is_focus else None,
            )  # fmt: skip
            n += 1
    return n
