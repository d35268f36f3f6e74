"""Demo vacancies (R-12..R-20): who registered them, when, for how many people and for which target groups.

What happens to a vacancy afterwards (referrals, hires, placements, its status) is decided by `funnel.Funnel`;
this module plans the vacancy as it was registered: the owner, who registered it, is a holder of the employer (R-04:
its main account holder, or an account holder admitted before the registration), the organisation is the owner's,
the employer is active, it was received at most 24 hours before registration except for the late ones (R-12), the
registered positions start at 1 (R-20), age limits only on target-group vacancies and as a band of at least five
years (R-15), no requirement on age, sex or origin in the text of an ordinary vacancy (R-15), blocked ones carry a
reason (R-16) and a request for 10 or more people is a co-production with one vacancy per chain partner (R-19).

Once the demo is committed and the triggers are on again, `DemoAfterLoad` offers a few open vacancies to the chain
partners (R-13) and corrects a few moments of receipt with a reason (R-12, R-57) through the services themselves,
so their audit trail is exactly what the application writes.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from vacancies.choices import TargetGroupFlag, Visibility
from vacancies.models import AGE_BAND_YEARS, Vacancy
from vacancies.texts import discriminating_phrases

from .bulk import DAY, Weighted, max_id, working_hours
from .vocabulary import (
    BLOCKED_REASONS,
    CHAIN_HANDOVER_SHARE,
    EXTENDED_SHARE,
    HISTORY_DAYS,
    LATE_REGISTRATION_SHARE,
    RECRUITMENT_ACTIVITIES,
    RECRUITMENT_NOTES,
    RECRUITMENT_REQUEST_SHARE,
    REQUESTED_POSITIONS,
    SECTORS,
    TARGET_GROUP_FLAGS,
    TARGET_GROUP_VACANCY_SHARE,
    TITLE_SUFFIXES,
    VACANCY_DESCRIPTIONS,
    VACANCY_HOURS,
    VACANCY_SOURCES,
    VISIBILITIES,
)

TZ = ZoneInfo(settings.TIME_ZONE)


def local_date(epoch: float) -> date:
    return datetime.fromtimestamp(epoch, TZ).date()


def local_midnight(day: date) -> float:
    return datetime.combine(day, time(), TZ).timestamp()


class VacancyPlan:
    """One vacancy: as registered, and (filled in by the funnel) what became of it."""

    __slots__ = (
        "id", "employer", "owner0", "org0", "owner", "org", "occupation", "skills", "skillset", "requested",
        "hours", "postcode", "municipality", "received", "registered", "source", "recruitment_request",
        "visibility", "blocked_reason", "flags", "min_age", "max_age", "expires_on", "expires_end", "parent",
        "children", "share", "plan", "chain_handover", "start", "title", "description",
        # outcome (funnel)
        "status", "close_reason", "close_note", "closed_at", "booked", "hires", "pending_hire", "partner_hire",
        "referred", "updated", "first_hire", "last_hire", "partial",
    )  # fmt: skip

    def __init__(self):
        self.parent = None
        self.children = []
        self.share = 0
        self.plan = None
        self.chain_handover = None
        self.status = "open"
        self.close_reason = ""
        self.close_note = ""
        self.closed_at = None
        self.booked = 0
        self.hires = 0
        self.pending_hire = False
        self.partner_hire = None
        self.referred = None
        self.first_hire = None
        self.last_hire = None
        self.partial = False

    @property
    def is_co_production(self) -> bool:
        return self.requested >= settings.WSP["CO_PRODUCTION_FROM_POSITIONS"] and self.parent is None


class VacancyPlanner:
    """Plans `count` vacancies (co-production children included) over the last HISTORY_DAYS days."""

    def __init__(self, seeder, skills, count: int):
        self.seeder = seeder
        self.skills = skills
        self.count = count
        self.valid_days = settings.WSP["VACANCY_VALID_DAYS"]
        self.handovers = []  # (vacancy, at, from_user, to_user, reason, note)
        self.plans = []  # recruitment plans: (vacancy, activities, planned_on, notes, created_at, partner org ids)

    def build(self) -> list[VacancyPlan]:
        s = self.seeder
        rng = s.rng
        now = s.now_epoch
        window_start = now - HISTORY_DAYS * DAY
        employers = [p for p in s.plans if not p.ceased and p.last >= window_start]
        if not employers or not self.skills or not s.advisers or self.count <= 0:
            return []
        employer_of = Weighted((p, p.weight) for p in employers)
        requested_of = Weighted(REQUESTED_POSITIONS)
        hours_of = Weighted(VACANCY_HOURS)
        source_of = Weighted(VACANCY_SOURCES)
        visibility_of = Weighted(VISIBILITIES)
        flag_of = Weighted(TARGET_GROUP_FLAGS)
        suffix_of = Weighted(TITLE_SUFFIXES)
        self.activity_of = Weighted(RECRUITMENT_ACTIVITIES)
        self.sector_description = {spec.code: spec.description for spec in SECTORS}
        self.advisers_by_org = {}
        for adviser in s.advisers:
            self.advisers_by_org.setdefault(adviser.organisation_id, []).append(adviser.pk)
        co_production_from = settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]
        admitted = self._admitted_since()

        vacancies: list[VacancyPlan] = []
        while len(vacancies) < self.count:
            employer = employer_of(rng)
            v = VacancyPlan()
            v.employer = employer
            earliest = max(window_start, employer.first)
            v.registered = min(working_hours(rng.uniform(earliest, employer.last)), now - 600)
            v.registered = max(v.registered, employer.first)
            # registered by the main account holder, or by an account holder admitted before the registration.
            holders = [h for h in employer.holders if admitted.get((employer.id, h), v.registered + 1) <= v.registered]
            r = rng.random()
            owner = employer.holder if r < 0.85 or not holders else rng.choice(holders)
            v.owner0 = v.owner = owner
            v.org0 = v.org = s.org_of[owner]
            requested = requested_of(rng)
            room = self.count - len(vacancies)
            if requested >= co_production_from and room < 4:
                requested = rng.randint(2, 9) if room > 1 else 1
            v.requested = requested
            v.occupation = self.skills.occupation_for_sector(rng, employer.sector_code)
            v.skills = self.skills.skills_for(rng, [v.occupation], 3, 8)
            v.skillset = frozenset(v.skills)
            v.hours = hours_of(rng)
            v.postcode = employer.postcode if rng.random() < 0.9 else ""
            v.municipality = employer.municipality
            if rng.random() < LATE_REGISTRATION_SHARE:
                v.received = v.registered - rng.uniform(25, 96) * 3600  # late
            else:
                v.received = v.registered - rng.random() ** 2 * 23.5 * 3600
            v.source = source_of(rng)
            v.recruitment_request = rng.random() < RECRUITMENT_REQUEST_SHARE or requested >= co_production_from
            v.visibility = visibility_of(rng)
            if requested >= co_production_from and v.visibility == Visibility.BLOCKED:
                v.visibility = Visibility.OPEN
            v.blocked_reason = rng.choice(BLOCKED_REASONS) if v.visibility == Visibility.BLOCKED else ""
            self._target_groups(v, flag_of)
            self._expiry(v)
            self._texts(v, suffix_of)
            v.start = v.registered
            vacancies.append(v)
            if requested >= co_production_from:
                vacancies.extend(self._co_production(v))
            elif rng.random() < CHAIN_HANDOVER_SHARE:
                self._chain_handover(v)

        vacancies.sort(key=lambda v: (v.registered, v.parent is not None))
        first_id = max_id(Vacancy) + 1
        for index, v in enumerate(vacancies):
            v.id = first_id + index
        if vacancies and connection.in_atomic_block:
            # After the load's transaction: the rows exist and the triggers write the audit trail again.
            transaction.on_commit(DemoAfterLoad(self.seeder, len(vacancies)).run)
        return vacancies

    @staticmethod
    def _admitted_since() -> dict[tuple[int, int], float]:
        """When each account holder was admitted (epoch), from the rows the seeder copied before the vacancies."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT employer_id, user_id, extract(epoch FROM added_at) FROM employers_accountholder")
            return {(employer, user): float(added) for employer, user, added in cursor.fetchall()}

    # --- Parts of a vacancy -----------------------------------------------------------------------------------------

    def _target_groups(self, v: VacancyPlan, flag_of) -> None:
        """R-14 flags; R-15: only such vacancies set an age limit."""
        rng = self.seeder.rng
        v.flags, v.min_age, v.max_age = (), None, None
        if rng.random() >= TARGET_GROUP_VACANCY_SHARE:
            return
        flags = [flag_of(rng)]
        if rng.random() < 0.15:
            other = flag_of(rng)
            if other not in flags:
                flags.append(other)
        v.flags = tuple(flags)
        # every band spans at least AGE_BAND_YEARS years ("50+", "18-27"), so a match never tells an age.
        if TargetGroupFlag.YOUTH in flags and rng.random() < 0.7:
            v.min_age, v.max_age = rng.choice([(None, 26), (16, 26), (18, 26), (18, 23)])
        elif TargetGroupFlag.OVER_50 in flags and rng.random() < 0.6:
            v.min_age = 50
        elif rng.random() < 0.1:
            v.min_age = 18
        assert v.min_age is None or v.max_age is None or v.max_age - v.min_age >= AGE_BAND_YEARS - 1

    def _expiry(self, v: VacancyPlan) -> None:
        rng = self.seeder.rng
        v.expires_on = local_date(v.registered) + timedelta(days=self.valid_days)
        if rng.random() < EXTENDED_SHARE:
            v.expires_on += timedelta(days=rng.choice([30, 30, 45, 60]))
        v.expires_end = local_midnight(v.expires_on + timedelta(days=1))

    def _texts(self, v: VacancyPlan, suffix_of) -> None:
        rng = self.seeder.rng
        suffix = suffix_of(rng)
        if (suffix == " (parttime)" and v.hours > 28) or (suffix == " (fulltime)" and v.hours < 32):
            suffix = ""
        v.title = (self.skills.name[v.occupation] + suffix)[:200]
        v.description = rng.choice(VACANCY_DESCRIPTIONS).format(
            sector=self.sector_description.get(v.employer.sector_code, "dienstverlening"),
            title=v.title.lower(),
            hours=v.hours,
            municipality=v.municipality,
        )
        if not v.flags and discriminating_phrases(f"{v.title}\n{v.description}"):
            # the service would refuse this text on an ordinary vacancy; the demo never shows what it refuses.
            v.title = self.skills.name[v.occupation][:200]
            v.description = f"{v.title} in {v.municipality}, {v.hours} uur per week."

    def _other_org_adviser(self, org: int) -> int | None:
        rng = self.seeder.rng
        others = [o for o in self.advisers_by_org if o != org]
        if not others:
            return None
        return rng.choice(self.advisers_by_org[rng.choice(others)])

    def _chain_handover(self, v: VacancyPlan) -> None:
        """R-13: handed to a chain partner right after registration; referrals start after it."""
        rng = self.seeder.rng
        to_user = self._other_org_adviser(v.org)
        at = v.registered + rng.uniform(0.5, 48) * 3600
        if to_user is None or at > self.seeder.now_epoch - 600:
            return
        v.chain_handover = (at, v.owner, to_user)
        v.owner = to_user
        v.org = self.seeder.org_of[to_user]
        v.start = at

    def _co_production(self, parent: VacancyPlan) -> list[VacancyPlan]:
        """R-19: a recruitment plan with 1-3 chain partners and one vacancy per partner under the same employer."""
        s = self.seeder
        rng = s.rng
        now = s.now_epoch
        others = [o for o in self.advisers_by_org if o != parent.org]
        if not others:
            return []
        partners = rng.sample(others, min(len(others), rng.randint(1, 3)))
        parent.share = max(1, parent.requested // (len(partners) + 1))
        planned_at = min(parent.registered + rng.uniform(1, 48) * 3600, now - 300)
        activities = list(dict.fromkeys(self.activity_of(rng) for _ in range(rng.randint(1, 3))))
        parent.plan = (
            activities,
            local_date(parent.registered + rng.uniform(7, 30) * DAY),
            rng.choice(RECRUITMENT_NOTES),
            planned_at,
            partners,
        )
        children = []
        for org in partners:
            child = VacancyPlan()
            for name in ("employer", "occupation", "skills", "skillset", "hours", "postcode", "municipality",
                         "source", "visibility", "blocked_reason", "flags", "min_age", "max_age", "title",
                         "description"):  # fmt: skip
                setattr(child, name, getattr(parent, name))
            child.parent = parent
            child.owner0 = child.owner = rng.choice(self.advisers_by_org[org])
            child.org0 = child.org = org
            child.requested = parent.share
            child.recruitment_request = True
            child.registered = max(min(working_hours(planned_at + rng.uniform(1, 15) * DAY), now - 300), planned_at)
            child.received = max(child.registered - rng.uniform(0.2, 6) * 3600, planned_at)
            child.start = child.registered
            self._expiry(child)
            parent.children.append(child)
            children.append(child)
        return children


# --- After the load: offers to chain partners and corrected receipts (R-12, R-57) ---------------------------

PARTNER_OFFER_NOTES = [
    "Geen passende kandidaten in ons eigen bestand; mogelijk iets voor Wajong of P-wet.",
    "Werkgever zoekt snel iemand; onze WW-kandidaten passen niet bij de uren.",
    "Past beter bij een leerwerktraject van een gemeente.",
    "",
]
RECEIPT_EARLIER_REASONS = [
    "De e-mail van de werkgever kwam de avond ervoor binnen; het ontvangstmoment was verkeerd overgenomen.",
    "Voicemail van de werkgever was eerder ingesproken dan genoteerd.",
    "Werkgever meldde de vacature al tijdens het bedrijfsbezoek van de dag ervoor.",
]
RECEIPT_LATER_REASONS = [
    "Ontvangstdatum bij het invoeren een dag te vroeg getypt; de werkgever belde op de dag van registratie.",
]


class DemoAfterLoad:
    """Runs on commit of the demo load, with the triggers on: the services record these as the application would.

    A few open vacancies are offered to the chain partners by their owners (R-13: they then show on the partners'
    home pages), and a few moments of receipt are corrected with a reason (R-12, R-57: the reason is in the audit
    trail, `registered_late` follows, the moment as registered stays): earlier by the owner, later by a manager of
    the vacancy's organisation. Its own random generator keeps the rest of the demo unchanged.
    """

    MAX_EACH = 25

    def __init__(self, seeder, vacancies: int):
        self.seeder = seeder
        self.count = min(self.MAX_EACH, max(3, vacancies // 150))
        self.rng = random.Random(f"demo-after-load-{vacancies}")

    def run(self) -> None:
        from vacancies import services  # the services import the whole domain; only needed here

        offered = self._offer(services)
        corrected = self._correct(services)
        counts = getattr(self.seeder, "counts", None)
        if counts is not None:
            counts["vacancies offered to chain partners (R-13)"] = offered
            counts["receipts corrected with a reason (R-12, R-57)"] = corrected

    def _offer(self, services) -> int:
        candidates = list(
            Vacancy.objects.referable()
            .filter(parent__isnull=True, partner_offer_at__isnull=True, owner__role=Role.ADVISER)
            .order_by("id")
            .values_list("id", flat=True)
        )
        now = timezone.now()
        for vacancy_id in self.rng.sample(candidates, min(self.count, len(candidates))):
            vacancy = Vacancy.objects.select_related("owner").get(pk=vacancy_id)
            offered_at = max(vacancy.registered_at, now - timedelta(hours=self.rng.uniform(1, 72)))
            services.vacancy_offer_to_partners(
                vacancy=vacancy, by=vacancy.owner, note=self.rng.choice(PARTNER_OFFER_NOTES), now=offered_at
            )
        return min(self.count, len(candidates))

    def _correct(self, services) -> int:
        """R-12, R-57: the owner moves a receipt earlier (it came in before it was noted); a late one typed a day too
        early is moved later by a manager of the vacancy's organisation (the only one who may flatter the figure),
        never past the intake it was registered from."""
        candidates = list(
            Vacancy.objects.filter(
                parent__isnull=True, duplicated_from__isnull=True, owner__role=Role.ADVISER, intake__isnull=True
            )
            .order_by("id")
            .values_list("id", flat=True)
        )
        managers: dict[int, User] = {}
        for manager in User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id"):
            managers.setdefault(manager.organisation_id, manager)
        done = 0
        for vacancy_id in self.rng.sample(candidates, min(self.count, len(candidates))):
            vacancy = Vacancy.objects.select_related("owner").get(pk=vacancy_id)
            waited = vacancy.registered_at - vacancy.received_at
            manager = managers.get(vacancy.organisation_id)
            if vacancy.registered_late and manager is not None and self.rng.random() < 0.5:
                # Typed a day too early: the receipt moves to half-way, before the registration.
                received_at, reasons, by = vacancy.received_at + waited / 2, RECEIPT_LATER_REASONS, manager
            else:
                received_at = vacancy.received_at - timedelta(hours=self.rng.uniform(2, 30))
                reasons, by = RECEIPT_EARLIER_REASONS, vacancy.owner
            services.vacancy_correct_receipt(
                vacancy=vacancy,
                by=by,
                received_at=received_at.replace(microsecond=0),
                reason=self.rng.choice(reasons),
            )
            done += 1
        return done
