"""Generated data for `test_figures_sql.py`: a region with every kind of record a factsheet figure counts, spread over
2025-Q2 (the quarter under test), the quarter before and after and the year before, with records exactly on the
period boundaries in Europe/Amsterdam and records that must not count (cancelled, merged, purged, ceased, a
manager's own feedback, income lines, a co-production partner's vacancy, a duplicate, ...).

Written with the factories of `tests/factories.py` and the models straight (there are no factories for projects,
events, reach, budgets and targets); moments the models set themselves (`created_at`) are put in place afterwards.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.choices import OrganisationKind, Role
from employers.choices import ContactKind, EmployerStatus, EmployerType, Instrument
from employers.models import Employer
from matching.choices import ReferralStatus, TargetGroup
from matching.models import Placement, ReferralStatusChange
from reporting.budgets.choices import LineKind
from reporting.budgets.models import Budget, BudgetLine, BudgetSpend
from reporting.projects.choices import Channel, EventKind
from reporting.projects.models import (
    Activity,
    ChannelReach,
    Event,
    EventPlacement,
    EventReferral,
    Project,
    ProjectPlacement,
)
from reporting.targets.choices import Measure
from reporting.targets.models import SectorEmployerCount, Target
from tests.factories import (
    CandidateFactory,
    ContactMomentFactory,
    ContactRequestFactory,
    EmployerFactory,
    EmployerFeedbackFactory,
    OrganisationFactory,
    PlacementFactory,
    ReferralFactory,
    SectorFactory,
    UserFactory,
    VacancyFactory,
)
from vacancies.models import Vacancy

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UWV_GROUPS = {TargetGroup.WW, TargetGroup.WIA, TargetGroup.WAJONG}


def at(year, month, day, hour=12, minute=0) -> datetime:
    """A moment in Amsterdam local time (2025-03-31 23:30 here is 21:30 UTC, still in Q1)."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


# The moments on the boundaries of 2025-Q2, local time: the last half hour of Q1, the first minutes of Q2, its last
# minutes and the first minutes of Q3.
END_OF_Q1 = at(2025, 3, 31, 23, 30)
START_OF_Q2 = at(2025, 4, 1, 0, 10)
END_OF_Q2 = at(2025, 6, 30, 23, 50)
START_OF_Q3 = at(2025, 7, 1, 0, 5)


class Region:
    """The generated records, by name, for the test's own assertions."""

    def __init__(self):
        self.uwv = OrganisationFactory(code="uwv", name="UWV", kind=OrganisationKind.UWV)
        self.gem = OrganisationFactory(code="haarlem", name="Gemeente Haarlem", kind=OrganisationKind.MUNICIPALITY)
        self.reint = OrganisationFactory(code="reint", name="Re-integratie BV", kind=OrganisationKind.REINTEGRATION)
        self.manager = UserFactory(organisation=self.uwv, role=Role.MANAGER, last_name="Manager")
        self.ua1, self.ua2, self.ua3 = (UserFactory(organisation=self.uwv, last_name=f"Uwv{i}") for i in (1, 2, 3))
        self.gb1, self.gb2 = (UserFactory(organisation=self.gem, last_name=f"Gem{i}") for i in (1, 2))
        self.rc1 = UserFactory(organisation=self.reint, last_name="Reint")
        self.sectors()
        self.employers()
        self.placements()
        self.funnel()
        self.compliance()
        self.contacts()
        self.feedback()
        self.projects_and_events()
        self.reach_and_budget()
        self.targets()
        self.coverage_clock()

    # --- Sectors and employers ---------------------------------------------------------------------------------

    def sectors(self):
        self.care = SectorFactory(name="Zorg en welzijn", is_focus=True, lead_organisation=self.gem)
        self.edu = SectorFactory(name="Onderwijs", is_focus=True, lead_organisation=self.uwv)
        self.tech = SectorFactory(name="Techniek", is_focus=True, lead_organisation=self.uwv)  # no count entered
        self.retail = SectorFactory(name="Detailhandel", is_focus=False, lead_organisation=self.gem)
        for sector, count, ambition in ((self.care, 40, "0.500"), (self.edu, 20, None), (self.retail, 30, "0.200")):
            SectorEmployerCount.objects.create(
                year=2025, sector=sector, employers_10_plus=count, ambition=ambition, updated_by=self.manager
            )
        SectorEmployerCount.objects.create(year=2024, sector=self.care, employers_10_plus=99, updated_by=self.manager)

    def _employer(self, holder, sector, *, created, staff=25, kind=EmployerType.MARKET, by="holder", **fields):
        employer = EmployerFactory(
            main_account_holder=holder,
            sector=sector,
            staff_count=staff,
            employer_type=kind,
            created_by=holder if by == "holder" else by,
            **fields,
        )
        Employer.objects.filter(pk=employer.pk).update(created_at=created)
        return employer

    def employers(self):
        old = at(2024, 3, 1)
        self.e_care1 = self._employer(self.ua1, self.care, created=old)
        self.e_care2 = self._employer(self.gb1, self.care, created=old, staff=12, kind=EmployerType.GOVERNMENT)
        self.e_care_small = self._employer(self.ua2, self.care, created=old, staff=5)
        self.e_edu = self._employer(self.gb2, self.edu, created=old, staff=50, kind=EmployerType.GOVERNMENT)
        self.e_tech = self._employer(self.rc1, self.tech, created=old, staff=100)
        self.e_retail = self._employer(self.ua3, self.retail, created=old, staff=15)
        self.e_nosector = self._employer(self.ua1, None, created=old, staff=30)
        # New employer relations in and around 2025-Q2.
        self.new_q1 = self._employer(self.ua1, self.care, created=END_OF_Q1)
        self.new_q2 = [
            self._employer(self.ua1, self.care, created=START_OF_Q2, staff=11),
            self._employer(self.ua1, self.edu, created=at(2025, 5, 2)),
            self._employer(self.gb1, self.retail, created=at(2025, 6, 3)),
            self._employer(self.rc1, self.tech, created=END_OF_Q2, by=None),  # registered by nobody known
        ]
        self.new_q3 = self._employer(self.ua2, self.care, created=START_OF_Q3)
        # Not counted, or counted only as new: a merged duplicate, a ceased employer and a purged one.
        self.merged = self._employer(self.ua1, self.care, created=at(2025, 5, 5), staff=20)
        Employer.objects.filter(pk=self.merged.pk).update(merged_into=self.e_care1)
        self.ceased = self._employer(
            self.gb2, self.edu, created=at(2025, 4, 9), status=EmployerStatus.CEASED, ceased_on=date(2025, 6, 1)
        )
        self.purged = self._employer(
            self.gb2, self.retail, created=at(2024, 4, 9), status=EmployerStatus.CEASED, ceased_on=date(2024, 12, 1)
        )
        Employer.objects.filter(pk=self.purged.pk).update(purged_at=at(2025, 2, 1))

    # --- Placements (R-30, R-31, R-50, R-55) -------------------------------------------------------------------

    def _vacancy(self, employer, *, owner=None, received, registered=None, **fields) -> Vacancy:
        owner = owner or employer.main_account_holder
        return VacancyFactory(
            employer=employer,
            owner=owner,
            received_at=received,
            registered_at=registered or received + timedelta(hours=1),
            **fields,
        )

    def _candidate(self, booker, target_group):
        adviser = booker if booker.role == Role.ADVISER else self.ua1
        return CandidateFactory(adviser=adviser, target_group=target_group)

    def placement(self, employer, booker, start, target_group, *, vacancy=None, referral=None, **fields) -> Placement:
        if referral is None:
            vacancy = vacancy or self._vacancy(employer, owner=booker, received=at(2023, 12, 1))
            referral = ReferralFactory(
                vacancy=vacancy,
                candidate=self._candidate(booker, target_group),
                referred_at=at(2023, 12, 2),
                status=ReferralStatus.HIRED,
            )
        return PlacementFactory(
            referral=referral,
            vacancy=referral.vacancy,
            booked_by=booker,
            target_group=target_group,
            start_date=start,
            booked_at=at(start.year, start.month, start.day, 9),
            **fields,
        )

    def placements(self):
        ja = {"job_agreement": True}
        self.p = {
            # 2025-Q2
            "p1": self.placement(
                self.e_care1, self.ua1, date(2025, 4, 1), TargetGroup.WW, hours_per_week=Decimal("25.5"),
                is_durable=True, instruments_advised=[Instrument.WAGE_COST_SUBSIDY, Instrument.JOB_COACHING],
                instruments_applied=[Instrument.WAGE_COST_SUBSIDY], **ja,
            ),
            "p2": self.placement(self.e_care1, self.ua1, date(2025, 4, 15), TargetGroup.WIA, is_durable=False),
            "p3": self.placement(
                self.e_care2, self.gb1, date(2025, 5, 10), TargetGroup.PWET, hours_per_week=Decimal("20"), **ja
            ),
            "p4": self.placement(
                self.e_edu, self.gb2, date(2025, 6, 30), TargetGroup.NUG, hours_per_week=Decimal("12.5"), **ja,
                instruments_applied=[Instrument.NO_RISK_POLICY, Instrument.JOB_COACHING],
            ),
            "p5": self.placement(
                self.e_tech, self.rc1, date(2025, 5, 20), TargetGroup.OEKRAINE, instruments_advised=[Instrument.SROI]
            ),
            "p6": self.placement(
                self.e_nosector, self.ua2, date(2025, 6, 1), TargetGroup.WAJONG, hours_per_week=Decimal("30"), **ja
            ),
            "p7": self.placement(self.e_retail, self.ua3, date(2025, 6, 10), TargetGroup.OTHER, is_durable=True),
            "p8": self.placement(self.e_retail, self.gb1, date(2025, 4, 20), TargetGroup.OTHER),
            # The year before the quarter, the quarter after, the year before.
            "p9": self.placement(self.e_care1, self.ua1, date(2025, 3, 31), TargetGroup.WW, is_durable=True),
            "p10": self.placement(
                self.e_care2, self.gb1, date(2025, 2, 10), TargetGroup.PWET, hours_per_week=Decimal("36"), **ja
            ),
            "p11": self.placement(self.e_care1, self.ua1, date(2025, 7, 1), TargetGroup.WW, **ja),
            "p12": self.placement(self.e_care1, self.ua1, date(2024, 6, 15), TargetGroup.WW),
        }  # fmt: skip
        # A cancelled placement in the quarter (with instruments, in a project and from an event): never counted.
        cancelled = self.placement(
            self.e_care1, self.ua1, date(2025, 5, 5), TargetGroup.WW, instruments_advised=[Instrument.LIV], **ja
        )
        Placement.objects.filter(pk=cancelled.pk).update(
            status="cancelled", cancel_reason="Nooit begonnen", cancelled_at=at(2025, 5, 6)
        )
        self.p["cancelled"] = cancelled
        # The sector and employer type are the ones copied at booking: a later change of the employer does
        # not move the placement.
        Employer.objects.filter(pk=self.e_retail.pk).update(sector=self.care, employer_type=EmployerType.GOVERNMENT)

    # --- The funnel (R-43) -------------------------------------------------------------------------------------

    def _referral(self, vacancy, candidate, referred, status, *steps):
        referral = ReferralFactory(
            vacancy=vacancy,
            candidate=candidate,
            referred_by=vacancy.owner,
            referred_at=referred,
            status=status,
            status_changed_at=steps[-1][1] if steps else referred,
        )
        previous = ReferralStatus.PROPOSED
        for to_status, moment in steps:
            ReferralStatusChange.objects.create(
                referral=referral, from_status=previous, to_status=to_status, changed_by=vacancy.owner,
                changed_at=moment,
            )  # fmt: skip
            previous = to_status
        return referral

    def funnel(self):
        hired, invited, withdrawn = ReferralStatus.HIRED, ReferralStatus.INVITED, ReferralStatus.WITHDRAWN
        # A request of 12 people received in Q1 and registered in the first minutes of Q2 (the cohort is by
        # registration), its co-production partner's vacancy and a partner's duplicate.
        v1 = self._vacancy(self.e_care1, received=at(2025, 3, 31, 20), registered=START_OF_Q2, requested_positions=12)
        child = self._vacancy(
            self.e_care1, owner=self.gb1, received=at(2025, 4, 2), registered=at(2025, 4, 2, 13), parent=v1
        )
        dup = self._vacancy(
            self.e_care1, owner=self.gb2, received=at(2025, 4, 20), registered=at(2025, 4, 20, 13), duplicated_from=v1
        )
        # A duplicate of the partner's vacancy in the co-production (its hire is the partner's proposal).
        child_dup = self._vacancy(
            self.e_care1, owner=self.rc1, received=at(2025, 4, 22), registered=at(2025, 4, 22, 13),
            duplicated_from=child,
        )  # fmt: skip
        v2 = self._vacancy(self.e_edu, received=at(2025, 5, 1, 9), registered=at(2025, 5, 1, 10))
        v3 = self._vacancy(self.e_tech, received=at(2025, 6, 30, 10), registered=END_OF_Q2)
        # Outside the cohort: registered at the end of Q1 and at the start of Q3.
        v_q1 = self._vacancy(self.e_care2, received=at(2025, 3, 31, 9), registered=END_OF_Q1)
        v_q3 = self._vacancy(self.e_care2, received=at(2025, 6, 30, 9), registered=START_OF_Q3)
        ww = [self._candidate(self.ua1, TargetGroup.WW) for _ in range(5)]
        pwet = [self._candidate(self.gb1, TargetGroup.PWET) for _ in range(4)]
        self.r = {
            "proposed": self._referral(v1, ww[0], at(2025, 4, 2), ReferralStatus.PROPOSED),
            "invited": self._referral(v1, ww[1], at(2025, 4, 3), invited, (invited, at(2025, 4, 5))),
            "hired": self._referral(
                v1, ww[2], at(2025, 4, 3), hired, (invited, at(2025, 4, 6)), (hired, at(2025, 4, 9))
            ),
            "hired-direct": self._referral(v2, ww[3], at(2025, 5, 2), hired, (hired, at(2025, 5, 3))),
            "fell-through": self._referral(
                v2, ww[4], at(2025, 5, 2), withdrawn, (hired, at(2025, 5, 4)), (withdrawn, at(2025, 5, 8))
            ),
            "partner": self._referral(child, pwet[0], at(2025, 4, 3), hired, (hired, at(2025, 4, 10))),
            "for-duplicate": self._referral(v1, pwet[1], at(2025, 4, 4), hired, (hired, at(2025, 4, 12))),
            "rejected": self._referral(
                v3, pwet[2], at(2025, 7, 2), ReferralStatus.REJECTED, (ReferralStatus.REJECTED, at(2025, 7, 3))
            ),
            "outside": self._referral(v_q1, pwet[3], at(2025, 4, 2), hired, (hired, at(2025, 4, 3))),
            "outside-q3": self._referral(v_q3, ww[0], at(2025, 7, 2), ReferralStatus.PROPOSED),
        }  # fmt: skip
        # The partner's hire carried over to its duplicate: the same proposal, not a new one.
        carried = self._referral(dup, pwet[1], at(2025, 4, 20, 14), hired)
        child_carried = self._referral(child_dup, pwet[0], at(2025, 4, 22, 14), hired)
        self.r["carried"], self.r["child-carried"] = carried, child_carried
        self.r["new-on-duplicate"] = self._referral(dup, pwet[2], at(2025, 4, 21), ReferralStatus.PROPOSED)
        fp = self.p
        fp["f-hired"] = self.placement(
            self.e_care1, self.ua1, date(2025, 4, 14), TargetGroup.WW, referral=self.r["hired"], is_durable=True
        )
        fp["f-direct"] = self.placement(
            self.e_edu, self.ua1, date(2025, 5, 12), TargetGroup.WW, referral=self.r["hired-direct"], is_durable=False
        )
        fp["f-duplicate"] = self.placement(
            self.e_care1, self.gb2, date(2025, 4, 28), TargetGroup.PWET, referral=carried, is_durable=True
        )
        fp["f-child-dup"] = self.placement(
            self.e_care1, self.rc1, date(2025, 5, 2), TargetGroup.PWET, referral=child_carried
        )
        fp["f-outside"] = self.placement(
            self.e_care2, self.gb1, date(2025, 4, 7), TargetGroup.PWET, referral=self.r["outside"]
        )

    # --- 24 hours (R-10, R-12) ---------------------------------------------------------------------------------

    def compliance(self):
        def request(received, answered_after=None):
            return ContactRequestFactory(
                employer=self.e_care1,
                received_at=received,
                responded_at=received + answered_after if answered_after else None,
                responded_by=self.ua1 if answered_after else None,
            )

        self.requests = {
            "on-time": request(START_OF_Q2, timedelta(hours=2)),
            "late": request(at(2025, 5, 1), timedelta(hours=30)),
            "exactly-24h": request(at(2025, 5, 2), timedelta(hours=24)),
            "just-over": request(at(2025, 5, 3), timedelta(hours=24, seconds=1)),
            "unanswered": request(END_OF_Q2),
            "q1": request(END_OF_Q1, timedelta(hours=40)),
            "q3": request(START_OF_Q3),
        }
        late = timedelta(hours=30)
        self.vacancies = {
            "on-time": self._vacancy(self.e_edu, received=START_OF_Q2),
            "late": self._vacancy(self.e_edu, received=at(2025, 5, 5), registered=at(2025, 5, 5) + late),
            "exactly-24h": self._vacancy(
                self.e_edu, received=at(2025, 5, 6), registered=at(2025, 5, 6) + timedelta(hours=24)
            ),
            "corrected": self._vacancy(self.e_edu, received=at(2025, 5, 7), registered=at(2025, 5, 7) + late),
            "q1": self._vacancy(self.e_edu, received=END_OF_Q1, registered=END_OF_Q1 + late),
            "q3": self._vacancy(self.e_edu, received=START_OF_Q3),
            "late-partner": self._vacancy(
                self.e_edu, owner=self.gb1, received=at(2025, 5, 8), registered=at(2025, 5, 8) + late,
                parent=self.vacancies_parent(),
            ),
        }  # fmt: skip
        # receipt corrected to a later moment after the late registration: late as registered still.
        Vacancy.objects.filter(pk=self.vacancies["corrected"].pk).update(
            received_at=at(2025, 5, 7) + timedelta(hours=20)
        )

    def vacancies_parent(self):
        return self._vacancy(self.e_edu, received=at(2025, 5, 8, 8), registered=at(2025, 5, 8, 9))

    # --- Contacts, visits and instruments (R-08, R-33) -----------------------------------------------------------

    def contacts(self):
        def visit(employer, when, adviser=None):
            adviser = adviser or employer.main_account_holder
            return ContactMomentFactory(employer=employer, adviser=adviser, occurred_at=when, visit=True)

        self.visits = [
            visit(self.e_care1, START_OF_Q2),
            visit(self.e_care1, at(2025, 5, 14)),
            visit(self.e_care2, at(2025, 6, 2)),
            visit(self.e_tech, END_OF_Q2),
            visit(self.e_care1, END_OF_Q1),
            visit(self.e_care_small, at(2025, 2, 2)),
            visit(self.e_retail, START_OF_Q3),
            visit(self.e_edu, at(2024, 5, 1)),
        ]

        def call(when, advised=(), applied=(), employer=None):
            return ContactMomentFactory(
                employer=employer or self.e_edu,
                kind=ContactKind.PHONE,
                occurred_at=when,
                instruments_advised=list(advised),
                instruments_applied=list(applied),
            )

        lks, coach, sroi, lkv = Instrument.WAGE_COST_SUBSIDY, Instrument.JOB_COACHING, Instrument.SROI, Instrument.LKV
        self.calls = [
            call(START_OF_Q2, advised=[lks, coach]),
            call(at(2025, 5, 1), advised=[sroi], applied=[sroi]),
            call(at(2025, 5, 2)),
            call(END_OF_Q2, applied=[lkv, coach]),
            call(END_OF_Q1, advised=[lks], applied=[lks]),
            call(START_OF_Q3, advised=[coach]),
        ]

    def coverage_clock(self):
        """R-52: the employers' last contact, set last (the triggers of the records above moved it): in the 12 months
        up to the end of Q2 (2024-07-01 00:00 .. 2025-07-01 00:00 local) or not, on both boundaries."""
        for employer, last in (
            (self.e_care1, at(2025, 5, 1)),
            (self.e_care2, at(2024, 6, 30, 23, 30)),  # just before the 12 months; its visit in June counts
            (self.e_care_small, at(2025, 5, 1)),  # fewer than 10 staff
            (self.e_edu, at(2024, 7, 1, 0, 10)),
            (self.e_tech, START_OF_Q3),  # just after; its visit at the end of Q2 counts
            (self.e_retail, at(2025, 1, 1)),  # now in care (changed after booking), in contact
            (self.e_nosector, at(2025, 5, 1)),  # no sector
            (self.new_q1, None),
            (self.merged, at(2025, 5, 1)),  # merged into another record
            (self.ceased, at(2025, 5, 1)),
            (self.new_q3, at(2024, 3, 1)),
        ):
            Employer.objects.filter(pk=employer.pk).update(last_contact_at=last)
        Employer.objects.filter(pk__in=[e.pk for e in self.new_q2]).update(last_contact_at=None)
        # An employer of care that is only in contact through a contact moment (no last contact of its own).
        ContactMomentFactory(employer=self.new_q2[0], occurred_at=at(2025, 6, 29))
        Employer.objects.filter(pk=self.new_q2[0].pk).update(last_contact_at=None)

    # --- Satisfaction (R-11) -----------------------------------------------------------------------------------

    def feedback(self):
        def answer(adviser, score, when=None, **fields):
            employer = self.e_care1 if adviser.organisation_id == self.uwv.pk else self.e_care2
            return EmployerFeedbackFactory(
                employer=employer, adviser=adviser, score=score, received_at=when or at(2025, 5, 1), **fields
            )

        # UWV: 6 answers about 3 advisers, one on the first minutes of Q2: shown (average 47 / 6).
        for adviser, score in ((self.ua1, 6), (self.ua1, 7), (self.ua2, 8), (self.ua2, 9), (self.ua3, 9)):
            answer(adviser, score)
        answer(self.ua3, 8, START_OF_Q2)
        answer(self.ua1, 1, registered_by_manager=True)  # a manager's own hand: never counted
        answer(self.ua3, 2, END_OF_Q1)
        answer(self.ua3, 2, START_OF_Q3)
        # The municipality: 6 answers about 2 advisers (their averages would show): suppressed.
        for adviser in (self.gb1, self.gb1, self.gb1, self.gb2, self.gb2, self.gb2):
            answer(adviser, 5)
        # The reintegration body: 1 answer: suppressed.
        answer(self.rc1, 10)

    # --- Projects, events, activities (R-19, R-54, R-56) --------------------------------------------------------

    def projects_and_events(self):
        def project(title, first, last):
            return Project.objects.create(
                title=title, applicant="WSP", period_start=first, period_end=last, budgeted_direct_costs=1000,
                initial_max_subsidy=800, max_subsidy=800,
            )  # fmt: skip

        self.proj_a = project("Zorg aan het werk", date(2025, 1, 1), date(2025, 12, 31))
        self.proj_b = project("Oud project", date(2024, 1, 1), date(2025, 3, 31))  # ends before Q2
        self.proj_c = project("Techniek start", date(2025, 6, 30), date(2026, 5, 31))  # begins on Q2's last day
        self.proj_d = project("Later", date(2025, 7, 1), date(2025, 12, 31))  # begins after Q2
        for proj, placements in (
            (self.proj_a, ["p1", "p3", "p9", "cancelled"]),
            (self.proj_b, ["p10"]),
            (self.proj_c, ["p5"]),
            (self.proj_d, ["p11"]),
        ):
            for name in placements:
                ProjectPlacement.objects.create(project=proj, placement=self.p[name])
        for proj, code, fields in (
            (self.proj_a, "A1", {"realised_low": 5}),
            (self.proj_a, "A2", {"realised_low": 10, "realised_high": 12}),
            (self.proj_a, "A3", {"not_realised_reason": "Geen deelnemers"}),
            (self.proj_a, "A4", {}),
            (self.proj_b, "B1", {"realised_low": 3}),
            (self.proj_c, "C1", {"realised_low": 0}),
            (self.proj_d, "D1", {"realised_low": 7}),
        ):
            Activity.objects.create(project=proj, code=code, description=f"Activiteit {code}", target=10, **fields)

        def event(kind, day, participants, employers=(), referrals=(), placements=(), organisers=()):
            found = Event.objects.create(kind=kind, title=f"{kind} {day}", date=day, participants=participants)
            found.employers.set(employers)
            found.organisers.set(organisers)
            for referral in referrals:
                EventReferral.objects.create(event=found, referral=referral)
            for placement in placements:
                EventPlacement.objects.create(event=found, placement=self.p[placement])
            return found

        self.events = [
            event(
                EventKind.JOB_FAIR, date(2025, 4, 1), 40, [self.e_care1, self.e_edu],
                [self.r["proposed"], self.r["hired"]], ["p1", "cancelled"], [self.uwv],
            ),
            event(EventKind.SPEED_MEET, date(2025, 6, 30), 15, [self.e_care1], [self.r["hired"]], ["p3", "p1"]),
            event(EventKind.OTHER, date(2025, 5, 5), 0),
            event(EventKind.JOB_FAIR, date(2025, 7, 1), 100, [self.e_tech], [self.r["partner"]], ["p11"]),
            event(EventKind.INFORMATION, date(2025, 3, 31), 5, [self.e_retail], [], ["p9"]),
        ]  # fmt: skip

    # --- Reach and budget (R-53, R-56) ------------------------------------------------------------------------

    def reach_and_budget(self):
        for year, quarter, channel, reach in (
            (2025, 2, Channel.WEBSITE, 1000),
            (2025, 2, Channel.LINKEDIN, 300),
            (2025, 2, Channel.NEWSLETTER, 0),
            (2025, 1, Channel.WEBSITE, 800),
            (2025, 3, Channel.WEBSITE, 500),
            (2024, 2, Channel.WEBSITE, 700),
        ):
            ChannelReach.objects.create(year=year, quarter=quarter, channel=channel, reach=reach)
        budget = Budget.objects.create(year=2025, title="Begroting 2025")
        earlier = Budget.objects.create(year=2024, title="Begroting 2024")

        def line(of, kind, planned, *spend):
            found = BudgetLine.objects.create(budget=of, kind=kind, label=f"{kind} {planned}", planned=planned)
            for month, amount in spend:
                BudgetSpend.objects.create(line=found, month=month, amount=Decimal(amount))
            return found

        line(
            budget, LineKind.PERSONNEL, Decimal("100000"),
            (date(2025, 1, 1), "5000"), (date(2025, 4, 1), "8000.50"), (date(2025, 6, 1), "9000"),
            (date(2025, 7, 1), "7000"),
        )  # fmt: skip
        line(budget, LineKind.OTHER_COST, Decimal("20000.25"), (date(2025, 4, 1), "1000"), (date(2025, 5, 1), "499.99"))
        line(budget, LineKind.CONTRIBUTION, Decimal("50000"), (date(2025, 4, 1), "99999"))  # income: never cost
        line(earlier, LineKind.PERSONNEL, Decimal("90000"), (date(2024, 4, 1), "4000"))

    # --- Targets (R-50, ZKIJ plan 5.3) ------------------------------------------------------------------------

    def targets(self):
        def target(measure, value, year=2025, **key):
            Target.objects.create(year=year, measure=measure, target=Decimal(value), created_by=self.manager, **key)

        target(Measure.PLACEMENTS, "160", organisation=self.uwv, target_group=TargetGroup.WW)
        target(Measure.PLACEMENTS, "35", organisation=self.uwv, target_group=TargetGroup.WIA)
        target(Measure.PLACEMENTS, "175", organisation=self.gem, target_group=TargetGroup.PWET)
        target(Measure.PLACEMENTS, "25", organisation=self.reint, target_group=TargetGroup.PWET)
        target(Measure.PLACEMENTS, "75.5", organisation=self.gem, target_group=TargetGroup.OEKRAINE)
        target(Measure.PLACEMENTS, "50", organisation=self.uwv, sector=self.care)  # a sector target: not per group
        target(Measure.PLACEMENTS, "150", year=2024, organisation=self.uwv, target_group=TargetGroup.WW)
        target(Measure.DURABLE, "20", organisation=self.uwv, target_group=TargetGroup.WW)
        target(Measure.PLACEMENTS, "10", adviser=self.ua1)
        target(Measure.PLACEMENTS, "5", adviser=self.gb1)
        target(Measure.NEW_EMPLOYERS, "3", adviser=self.ua1)
        target(Measure.VISITS, "12", adviser=self.ua1)
        target(Measure.VISITS, "6", adviser=self.rc1)
        target(Measure.VISITS, "9", year=2024, adviser=self.ua3)  # last year's agreement: not an adviser of 2025
