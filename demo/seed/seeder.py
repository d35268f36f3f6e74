"""Demo data for the WSP Zuid-Kennemerland en IJmond (ZKIJ plan 2024, seed 000).

Builds the region's partner organisations (UWV, Spaarne Werkt, IJmond Werkt! and the 7 municipalities), about 40
staff members in every role, the sector approach (R-51: weight category, lead partner, focus sectors and teams),
and employers with their contact history, account holders, contact requests, admission requests and feedback.

Reproducible: one fixed random seed; dates are relative to the day the command runs, so "12 months without
contact" (R-05) means the same thing whenever it runs.

Fast enough for benchmarks (`--employers 100000` gives 1,000,000 contact moments): the history is loaded with
PostgreSQL COPY inside one transaction with `session_replication_role = replica`, which switches off the audit and
last-contact triggers (and foreign-key checks, so the rows are built consistent here). What the triggers would have
done is then done once, in bulk: the audit trail gets its insert events and `last_contact_at` is set from the
contact history (R-05). Check constraints stay on, so every visit still needs its report (R-08).
"""

import functools
import io
import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Organisation, Sector, SectorTeam, User
from employers.choices import (
    AccessRequestStatus,
    AccountHolderVia,
    ContactChannel,
    ContactKind,
    EmployerStatus,
    EmployerType,
    FeedbackSource,
    Instrument,
)
from employers.models import (
    Employer,
)
from employers.normalize import name_key
from employers.services.duplicates import likely_duplicates_refresh
from matching.generation import RAISE as RAISE_FIGURES_GENERATION
from matching.moments import FILL as FILL_FUNNEL_MOMENTS
from matching.summaries import FILL as FILL_PLACEMENT_MONTHS
from matching.summaries import FUNNEL_FILL, REFERRAL_MONTH_FILL

from .budgets import seed_budgets
from .bulk import copy_value as _copy_value
from .bulk import cumulative as _cumulative
from .bulk import drop_secondary_indexes as _drop_secondary_indexes
from .bulk import insert_events as _insert_events
from .bulk import max_id as _max_id
from .bulk import pick as _pick
from .bulk import reset_sequence as _reset_sequence
from .bulk import ts as _ts
from .bulk import working_hours as _working_hours
from .candidates import CandidatePool
from .events import BULK_TABLES, insert_vacancy_and_placement_events
from .factsheets import seed_factsheets
from .funnel import Funnel
from .projects import seed_projects_and_events
from .skills import SkillIndex
from .targets import seed_targets
from .vacancies import VacancyPlanner
from .vocabulary import (
    ACCESS_MESSAGES,
    CASELOAD_WEIGHT,
    CONTACT_KIND_WEIGHTS,
    COPY_CHUNK_ROWS,
    DAY,
    DEMO_PASSWORD,
    FANCY,
    FEEDBACK_COMMENTS,
    FEEDBACK_SCORE_WEIGHTS,
    FIRST_NAMES,
    INITIALS,
    MONTH,
    MUNICIPAL_STAFF,
    ORGANISATIONS,
    PLACE_WORDS,
    PLACES,
    POSTCODE_LETTERS,
    QUESTIONS,
    RANDOM_SEED,
    RESPONSES,
    SECTORS,
    STAFF,
    SUBREGION_PARTNER,
    SUMMARIES,
    SURNAMES,
    VISIT_AGREEMENTS,
    VISIT_REASONS,
    SectorSpec,
)


def _username(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace(" ", "").replace("'", "")


@functools.lru_cache(maxsize=200_000)
def _name_key(name: str) -> str:
    """name_key() once per distinct name: bulk loading bypasses Employer.save(), which sets it otherwise."""
    return name_key(name)


@dataclass
class EmployerPlan:
    """What the generator decided for one employer; the rows of its history are built from it."""

    id: int
    holder: int
    municipality: str
    sector_code: str
    staff: int | None
    first: float
    last: float
    n_contacts: int
    ceased: bool = False
    holders: list = field(default_factory=list)
    # when each account holder was admitted; they act towards the employer only from then on.
    holder_since: dict = field(default_factory=dict)
    postcode: str = ""
    government: bool = False
    # How much history (contacts, vacancies) the employer gets relative to the others: bigger ones get more.
    weight: float = 1.0


class Seeder:
    def __init__(
        self,
        *,
        employers: int,
        contacts_per_employer: int,
        stdout,
        vacancies: int = 0,
        candidates: int = 0,
        referrals: int = 0,
        placements: int = 0,
    ):
        self.rng = random.Random(RANDOM_SEED)
        self.n_employers = employers
        self.contacts_per_employer = contacts_per_employer
        self.n_vacancies = vacancies
        self.n_candidates = candidates
        self.n_referrals = referrals
        self.n_placements = placements
        self.stdout = stdout
        # Whole minutes, so the same day gives the same history.
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.now_epoch = self.now.timestamp()
        self.today = timezone.localdate(self.now)
        self.plans: list[EmployerPlan] = []
        self.near_duplicates = 0
        self.unique_names: set[str] = set()

    def log(self, message: str) -> None:
        self.stdout.write(message)

    # --- Organisations, staff, sectors ----------------------------------------------------------------------------

    def build_people(self) -> None:
        now = self.now
        self.orgs = {
            code: Organisation(code=code, name=name, kind=kind, created_at=now, updated_at=now)
            for code, name, kind in ORGANISATIONS
        }
        Organisation.objects.bulk_create(self.orgs.values())
        # One hash for all demo users: hashing 40 times would cost more than the rest of a small seed.
        password = make_password(DEMO_PASSWORD)
        users = []
        for first, last, org_code, role in STAFF:
            username = _username(first, last)
            users.append(
                User(
                    username=username, first_name=first, last_name=last, email=f"{username}@{org_code}.example",
                    organisation=self.orgs[org_code], role=role, password=password,
                    is_staff=role == Role.ADMIN,
                    phone=f"06-{self.rng.randrange(10_000_000, 99_999_999)}",
                )
            )  # fmt: skip
        User.objects.bulk_create(users)
        # Administrators are staff in the group "Beheerders", not superusers: the admin shows them the domain
        # records read-only and lets them maintain the reference data (accounts.admin).
        from accounts.admin import administrators_group

        administrators_group().user_set.add(*[u for u in users if u.role == Role.ADMIN])
        self.users = users
        self.advisers = [u for u in users if u.role == Role.ADVISER]
        self.account_managers = [u for u in users if u.role == Role.ACCOUNT_MANAGER]
        self.org_of = {u.pk: u.organisation_id for u in users}
        # Who may hold an employer in a municipality: UWV (whole region), the sub-region's reintegration partner
        # and the municipality's own advisers.
        self.holder_pool = {}
        for municipality, partner in SUBREGION_PARTNER.items():
            pool, weights = [], []
            for adviser in self.advisers:
                code = adviser.organisation.code
                if code in ("uwv", partner):
                    pool.append(adviser.pk)
                    weights.append(CASELOAD_WEIGHT[code])
                elif code == f"gemeente-{municipality.lower()}":
                    pool.append(adviser.pk)
                    weights.append(CASELOAD_WEIGHT["municipality"])
            self.holder_pool[municipality] = (pool, list(_cumulative(weights)))

        self.sectors = {}
        for spec in SECTORS:
            self.sectors[spec.code] = Sector(
                code=spec.code, name=spec.name, weight_category=spec.weight_category,
                lead_organisation=self.orgs[spec.lead], is_focus=spec.is_focus,
            )  # fmt: skip
        Sector.objects.bulk_create(self.sectors.values())
        teams = [SectorTeam(sector=s, name=f"Brancheteam {s.name}") for s in self.sectors.values()]
        SectorTeam.objects.bulk_create(teams)
        through = SectorTeam.members.through
        links = []
        for team in teams:
            lead_code = team.sector.lead_organisation.code
            lead_advisers = [a for a in self.advisers if a.organisation.code == lead_code]
            others = [a for a in self.advisers if a.organisation.code != lead_code]
            members = self.rng.sample(lead_advisers, 2) + self.rng.sample(others, self.rng.randint(1, 3))
            links += [through(sectorteam_id=team.pk, user_id=m.pk) for m in members]
        through.objects.bulk_create(links)
        self.sector_cum = list(_cumulative([spec.share for spec in SECTORS]))
        self.place_cum = list(_cumulative([p[3] for p in PLACES]))

    # --- Employers ------------------------------------------------------------------------------------------------

    def _postcode(self, place) -> str:
        low, high = self.rng.choice(place[2])
        letters = self.rng.choice(POSTCODE_LETTERS) + self.rng.choice(POSTCODE_LETTERS)
        if letters in ("SA", "SD", "SS"):
            letters = "AB"
        return f"{self.rng.randint(low, high)} {letters}"

    def _staff_count(self) -> int | None:
        r = self.rng.random()
        if r < 0.05:
            return None
        if r < 0.58:
            return self.rng.randint(1, 9)
        if r < 0.86:
            return self.rng.randint(10, 49)
        if r < 0.97:
            return self.rng.randint(50, 249)
        if r < 0.995:
            return self.rng.randint(250, 999)
        return self.rng.randint(1000, 6000)

    def _name(self, spec: SectorSpec, place) -> tuple[str, str, bool]:
        """(name, SBI code, is an institution) in one of the patterns Dutch company names follow."""
        rng = self.rng
        sbi, trade, activity = rng.choice(spec.activities)
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.3:
            # "J. de Vries": after initials the prefix is written in lower case.
            prefixed = surname.split(" ")[0] in ("De", "Van", "El")
            surname = f"{rng.choice(INITIALS)}. " + (surname[0].lower() + surname[1:] if prefixed else surname)
        r = rng.random()
        if r < 0.32:
            name = f"{trade} {surname}"  # Bakkerij De Vries
        elif r < 0.6:
            # Van Dijk Installatietechniek B.V.
            name = f"{surname} {activity}" + rng.choice([" B.V.", " B.V.", "", " V.O.F."])
        elif r < 0.7:
            other = rng.choice(SURNAMES)
            name = f"{surname} & {other} {activity}" if other != surname else f"{surname} & Zn. {activity}"
        elif r < 0.8:
            name = f"{rng.choice(PLACE_WORDS)} {activity}" + rng.choice([" B.V.", ""])  # Kennemer Schoonmaak B.V.
        else:
            template = rng.choice(spec.institutions)
            municipality = place[1]
            subregion = "IJmond" if SUBREGION_PARTNER[municipality] == "ijmond-werkt" else "Zuid-Kennemerland"
            region = rng.choice([subregion, municipality, "Kennemerland"])
            name = template.format(place=place[0], region=region, fancy=rng.choice(FANCY))
        if r >= 0.7:
            # Names without a family name exist once ("Zorggroep Kennemerland"); when taken, take a family name.
            key = _name_key(name)
            if key in self.unique_names:
                return f"{trade} {surname}", sbi, False
            self.unique_names.add(key)
        return name, sbi, r >= 0.8

    def _variant(self, name: str) -> str:
        """A near-duplicate spelling (R-07): 'De Vries Bouw B.V.' -> 'DeVries-bouw', 'de vries bouw bv', ..."""
        base = name.replace(" B.V.", "").replace(" V.O.F.", "")
        words = base.split()
        style = self.rng.randrange(4)
        if style == 0 and len(words) >= 2:
            # Words of the surname written together, the rest joined with a hyphen in lower case.
            split = 2 if words[0] in ("De", "Van") and len(words) > 2 else 1
            if words[0] == "Van" and len(words) > 3 and words[1] in ("der", "den", "de"):
                split = 3
            return "".join(words[:split]) + "-" + " ".join(words[split:]).lower()
        if style == 1:
            return base.lower() + " bv"
        if style == 2:
            return base.replace(" & ", " en ")
        return base.upper()

    def _last_contact(self) -> float:
        """R-05: most employers were contacted recently; some are near 12 months, some past it (takeover)."""
        r = self.rng.random()
        if r < 0.07:
            return self.now_epoch - self.rng.uniform(12.3, 30) * MONTH
        if r < 0.12:
            return self.now_epoch - self.rng.uniform(10.2, 11.9) * MONTH
        return self.now_epoch - (self.rng.random() ** 1.6) * 9.5 * MONTH - self.rng.uniform(0, 2 * 3600)

    def build_employers(self) -> None:
        rng = self.rng
        n = self.n_employers
        employer_rows = []
        weights = []
        start_id = _max_id(Employer) + 1
        fixed = self._fixed_employers()
        recent_by_place: list[tuple] = []
        for index in range(n):
            employer_id = start_id + index
            if index < len(fixed):
                name, sbi, spec_code, place, staff, gov = fixed[index]
                spec = next(s for s in SECTORS if s.code == spec_code)
                self.unique_names.add(_name_key(name))
                postcode = self._postcode(place)
                if index == 1:  # "DeVries-bouw" at the same postcode as "De Vries Bouw B.V."
                    postcode = employer_rows[0][5]
                    self.near_duplicates += 1
            elif recent_by_place and rng.random() < 0.015:
                # A near-duplicate of an earlier record, at the same or another postcode in the same place.
                original = rng.choice(recent_by_place)
                name = self._variant(original[0])
                spec, place, sbi, staff, gov = original[1], original[2], original[3], original[4], original[5]
                postcode = original[6] if rng.random() < 0.5 else self._postcode(place)
                self.near_duplicates += 1
            else:
                spec = SECTORS[_pick(rng, self.sector_cum)]
                place = PLACES[_pick(rng, self.place_cum)]
                name, sbi, institution = self._name(spec, place)
                staff = self._staff_count()
                if institution and staff is not None and staff < 10:
                    staff = rng.randint(20, 400)
                gov = spec.government or (institution and spec.code == "P")
                postcode = self._postcode(place)
            city, municipality, area = place[0], place[1], place[4]
            if index >= len(fixed) and rng.random() < 0.3:
                recent_by_place.append((name, spec, place, sbi, staff, gov, postcode))
                if len(recent_by_place) > 500:
                    recent_by_place.pop(0)

            pool, cum = self.holder_pool[municipality]
            holder = pool[_pick(rng, cum)]
            last = self._last_contact()
            span = rng.uniform(0, 3 * 365 * DAY) if rng.random() < 0.9 else 0.0
            first = _working_hours(last - span)
            last = max(_working_hours(last), first)
            last = min(last, self.now_epoch - 600)
            first = min(first, last)
            ceased = rng.random() < 0.03
            plan = EmployerPlan(
                id=employer_id, holder=holder, municipality=municipality, sector_code=spec.code, staff=staff,
                first=first, last=last, n_contacts=1, ceased=ceased, postcode=postcode, government=bool(gov),
            )  # fmt: skip
            self.plans.append(plan)
            size = staff or 5
            weights.append((0.4 + math.log10(size + 1)) * rng.uniform(0.5, 1.5) * (1 if span else 0.2))
            plan.weight = weights[-1]

            key = _name_key(name)
            slug = key[:40] or "bedrijf"
            contact_first, contact_last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            created = first + 3600
            ceased_on = None
            if ceased:
                ceased_on = min(date.fromtimestamp(last) + timedelta(days=rng.randint(7, 240)), self.now.date())
            created_by = (
                holder if rng.random() < 0.85 or not self.account_managers else rng.choice(self.account_managers).pk
            )
            employer_rows.append((
                employer_id, name, key,
                "" if rng.random() < 0.12 else str(rng.choice("3456789")) + f"{rng.randrange(10_000_000):07d}",
                f"{rng.choice(place[5])} {rng.randint(1, 250)}", postcode, city, municipality,
                sbi, staff, EmployerType.GOVERNMENT if gov else EmployerType.MARKET,
                f"https://www.{slug}.example" if rng.random() < 0.4 else "",
                f"{contact_first} {contact_last}",
                f"{contact_first.lower()}@{slug}.example" if rng.random() < 0.7 else "",
                f"{area}-{rng.randrange(1_000_000, 9_999_999) if len(area) == 3 else rng.randrange(100_000, 999_999)}",
                EmployerStatus.CEASED if ceased else EmployerStatus.ACTIVE, ceased_on,
                _ts(max(last, created)), _ts(created), _ts(created), created_by, holder, None,
                self.sectors[spec.code].pk,
            ))  # fmt: skip

        # Spread the contact moments: bigger employers get more; the total is about employers x per-employer.
        target = n * self.contacts_per_employer
        scale = target / sum(weights) if weights else 0
        for plan, weight in zip(self.plans, weights, strict=True):
            expected = weight * scale
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            plan.n_contacts = max(1, min(count, 60 * max(self.contacts_per_employer, 1)))
        if self.plans and n >= 3:
            # "Zorggroep Kennemerland" gets a long history: the employer page must stay fast with one.
            self.plans[2].n_contacts = max(self.plans[2].n_contacts, 40 * self.contacts_per_employer)
        self._copy(
            "employers_employer",
            ["id", "name", "name_key", "kvk_number", "visiting_address", "postcode", "city", "municipality",
             "sbi_code", "staff_count", "employer_type", "website", "contact_name", "contact_email", "contact_phone",
             "status", "ceased_on", "last_contact_at", "created_at", "updated_at", "created_by_id",
             "main_account_holder_id", "merged_into_id", "sector_id"],
            employer_rows,
        )  # fmt: skip
        _reset_sequence(Employer)

    def _fixed_employers(self) -> list[tuple]:
        """Named records the demo and the duplicate check can be shown with; then the 7 municipalities."""
        by_place = {p[0]: p for p in PLACES}
        rows = [
            ("De Vries Bouw B.V.", "4120", "F", by_place["Haarlem"], 35, False),
            ("DeVries-bouw", "4120", "F", by_place["Haarlem"], 35, False),
            ("Zorggroep Kennemerland", "8710", "Q", by_place["Haarlem"], 1250, False),
            ("Van Dijk Installatietechniek B.V.", "4322", "C", by_place["Velserbroek"], 48, False),
            ("Bakkerij De Vries", "1071", "C", by_place["Heemstede"], 8, False),
        ]
        for municipality, staff in MUNICIPAL_STAFF.items():
            rows.append((f"Gemeente {municipality}", "8411", "O", by_place[_main_place(municipality)], staff, True))
        return rows[: self.n_employers]

    # --- History --------------------------------------------------------------------------------------------------

    def build_account_holders(self) -> None:
        """R-04: some employers have further advisers admitted; never the main account holder itself."""
        rng = self.rng
        vias = (
            [AccountHolderVia.ACCESS_REQUEST] * 50
            + [AccountHolderVia.OWNERSHIP_CHANGE] * 20
            + [AccountHolderVia.HANDOVER] * 20
            + [AccountHolderVia.MANUAL] * 8
            + [AccountHolderVia.MERGE] * 2
        )
        adviser_ids = [a.pk for a in self.advisers]
        holder_rows, approved_rows = [], []
        for plan in self.plans:
            if rng.random() >= 0.12:
                continue
            for user_id in rng.sample(adviser_ids, rng.choice([1, 1, 1, 2])):
                if user_id == plan.holder:
                    continue
                via = rng.choice(vias)
                added_epoch = rng.uniform(plan.first, plan.last)
                added = _ts(added_epoch)
                plan.holders.append(user_id)
                plan.holder_since[user_id] = added_epoch
                holder_rows.append((via, added, user_id, plan.id))
                if via == AccountHolderVia.ACCESS_REQUEST:
                    approved_rows.append(
                        (
                            plan.id,
                            user_id,
                            rng.choice(ACCESS_MESSAGES),
                            AccessRequestStatus.APPROVED,
                            plan.holder,
                            added,
                            "",
                            added,
                            added,
                        )
                    )
        self._copy("employers_accountholder", ["via", "added_at", "user_id", "employer_id"], holder_rows)
        self._copy(
            "employers_accessrequest",
            ["employer_id", "requester_id", "message", "status", "decided_by_id", "decided_at", "decision_note",
             "created_at", "updated_at"],
            approved_rows,
        )  # fmt: skip
        self.counts["account holders"] = len(holder_rows)

    def build_contact_moments(self) -> None:
        rng = self.rng
        kinds = [kind.value for kind, _ in CONTACT_KIND_WEIGHTS]
        kind_cum = list(_cumulative([w for _, w in CONTACT_KIND_WEIGHTS]))
        # Pre-built text columns per kind: summary, reason, company activities, agreements.
        texts = {kind: [f"{s}\t\t\t" for s in SUMMARIES[kind]] for kind in kinds if kind != ContactKind.VISIT.value}
        activities = {
            spec.code: [
                f"Bedrijf in de sector {spec.description}; {what}" for what in (
                    "vaste kern met flexibele schil", "groeit en zoekt instroom van nieuwe medewerkers",
                    "werkt in ploegen en leidt zelf op", "seizoensgebonden werk",
                )
            ]
            for spec in SECTORS
        }  # fmt: skip
        visit_texts = {
            code: [
                f"{summary}\t{reason}\t{activity}\t{agreement}"
                for summary in SUMMARIES[ContactKind.VISIT]
                for reason in VISIT_REASONS
                for activity in acts
                for agreement in VISIT_AGREEMENTS
            ]
            for code, acts in activities.items()
        }
        columns = ["employer_id", "adviser_id", "organisation_id", "kind", "occurred_at", "summary", "reason",
                   "company_activities", "agreements", "instruments_advised", "instruments_applied", "created_at",
                   "updated_at"]  # fmt: skip
        org_of = self.org_of
        visit = ContactKind.VISIT.value
        # the instruments a visit most often advises on; now and then one of them is applied.
        common_instruments = [
            Instrument.WAGE_COST_SUBSIDY, Instrument.NO_RISK_POLICY, Instrument.JOB_COACHING,
            Instrument.TRIAL_PLACEMENT, Instrument.LKV, Instrument.WORKPLACE_ADAPTATION, Instrument.TRAINING,
        ]  # fmt: skip
        order = {value: index for index, value in enumerate(Instrument.values)}
        buffer, rows, total, visits, with_instruments = io.StringIO(), 0, 0, 0, 0
        # the other organisation's contacts of the collision demo are by advisers admitted first.
        admitted_rows, approved_rows = [], []
        for plan in self.plans:
            times = [plan.first, plan.last] if plan.n_contacts > 1 else [plan.first]
            times += [_working_hours(rng.uniform(plan.first, plan.last)) for _ in range(plan.n_contacts - 2)]
            for position, moment in enumerate(times):
                moment = max(plan.first, min(moment, plan.last))
                # the first contact is the visit that brought the employer in.
                kind = visit if position == 0 else kinds[_pick(rng, kind_cum)]
                r = rng.random()
                # only the main account holder or an account holder admitted before the contact acts.
                helpers = [h for h in plan.holders if plan.holder_since[h] <= moment]
                if position == 0 or r < 0.78 or (not helpers and r < 0.95):
                    adviser = plan.holder
                elif helpers:
                    adviser = rng.choice(helpers)
                else:
                    adviser = self._admit_from_another_organisation(plan, moment, admitted_rows, approved_rows)
                if kind == visit:
                    text = rng.choice(visit_texts[plan.sector_code])
                    visits += 1
                else:
                    text = rng.choice(texts[kind])
                advised: list[str] = []
                applied: list[str] = []
                if rng.random() < (0.3 if kind == visit else 0.04):
                    advised = sorted({rng.choice(common_instruments) for _ in range(rng.choice((1, 1, 2)))},
                                     key=order.__getitem__)  # fmt: skip
                    if rng.random() < 0.4:
                        applied = [rng.choice(advised)]
                    with_instruments += 1
                stamp = _ts(moment)
                buffer.write(
                    f"{plan.id}\t{adviser}\t{org_of[adviser]}\t{kind}\t{stamp}\t{text}\t"
                    f"{{{','.join(advised)}}}\t{{{','.join(applied)}}}\t{stamp}\t{stamp}\n"
                )
                rows += 1
            if rows >= COPY_CHUNK_ROWS:
                self._copy_buffer("employers_contactmoment", columns, buffer)
                total += rows
                buffer, rows = io.StringIO(), 0
        self._copy_buffer("employers_contactmoment", columns, buffer)
        total += rows
        self._copy("employers_accountholder", ["via", "added_at", "user_id", "employer_id"], admitted_rows)
        self._copy(
            "employers_accessrequest",
            ["employer_id", "requester_id", "message", "status", "decided_by_id", "decided_at", "decision_note",
             "created_at", "updated_at"],
            approved_rows,
        )  # fmt: skip
        self.counts["account holders"] = self.counts.get("account holders", 0) + len(admitted_rows)
        self.counts["contact moments"] = total
        self.counts["  of which visits"] = visits
        self.counts["  with instruments (R-33)"] = with_instruments

    def _admit_from_another_organisation(self, plan: EmployerPlan, moment: float, holder_rows, request_rows) -> int:
        """R-04: an adviser of another organisation asked the main account holder and was admitted some days before
        their contact (the collision warning shows it to the main account holder's organisation)."""
        rng = self.rng
        holder_org = self.org_of[plan.holder]
        candidates = [a.pk for a in self.advisers if self.org_of[a.pk] != holder_org and a.pk not in plan.holder_since]
        if not candidates:
            return plan.holder
        adviser = rng.choice(candidates)
        created = plan.first + 3600  # as build_employers enters it
        admitted = min(moment, max(created, moment - rng.uniform(1, 30) * DAY))
        asked = min(admitted, max(created, admitted - rng.uniform(0.1, 3) * DAY))
        plan.holders.append(adviser)
        plan.holder_since[adviser] = admitted
        holder_rows.append((AccountHolderVia.ACCESS_REQUEST, _ts(admitted), adviser, plan.id))
        request_rows.append((plan.id, adviser, rng.choice(ACCESS_MESSAGES), AccessRequestStatus.APPROVED, plan.holder,
                             _ts(admitted), "", _ts(asked), _ts(admitted)))  # fmt: skip
        return adviser

    def build_requests_and_feedback(self) -> None:
        rng = self.rng
        now = self.now_epoch
        channels = (
            [ContactChannel.PHONE] * 50
            + [ContactChannel.EMAIL] * 30
            + [ContactChannel.WEBSITE] * 15
            + [ContactChannel.OTHER] * 5
        )
        request_rows, pending_rows, declined_rows, feedback_rows = [], [], [], []
        open_count = late_count = stated_afterwards = 0
        adviser_ids = [a.pk for a in self.advisers]
        for plan in self.plans:
            recent = plan.last > now - 9 * MONTH and not plan.ceased
            # an employer asks for contact; answered within 24 hours, late, or still open (a small demo gets a
            # few all the same).
            if recent and (rng.random() < 0.03 or len(request_rows) < 4):
                r = rng.random()
                if r < 0.15:
                    received = now - rng.uniform(0.1, 5) * DAY
                    responded = None
                    open_count += 1
                elif r < 0.8:
                    received = now - rng.uniform(1.5, 60) * DAY
                    responded = received + rng.uniform(0.3, 23) * 3600
                else:
                    received = now - rng.uniform(5, 60) * DAY
                    responded = received + rng.uniform(25, 96) * 3600
                    late_count += 1
                overdue = received + 24.5 * 3600 if (responded or now) > received + 24 * 3600 else None
                # answered by the main account holder; some answered by phone and entered later, with
                # the moment of the call stated (recorded when entered, so it shows as stated afterwards).
                responder = plan.holder if responded else None
                recorded = responded
                if responded and (rng.random() < 0.2 or not stated_afterwards):
                    recorded = min(now - 60, responded + rng.uniform(0.5, 30) * 3600)
                    stated_afterwards += recorded > responded
                request_rows.append((
                    plan.id, _ts(received), rng.choice(channels), f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    rng.choice(QUESTIONS), plan.holder, _ts(responded) if responded else None, responder,
                    rng.choice(RESPONSES) if responded else "", _ts(recorded) if recorded else None,
                    _ts(overdue) if overdue else None, _ts(received), _ts(recorded or received),
                ))  # fmt: skip
            # admission requests waiting for the main account holder; one pending per requester.
            if rng.random() < 0.01:
                requester = rng.choice(adviser_ids)
                if requester != plan.holder and requester not in plan.holders:
                    created = _ts(now - rng.uniform(0.2, 20) * DAY)
                    pending_rows.append(
                        (
                            plan.id,
                            requester,
                            rng.choice(ACCESS_MESSAGES),
                            AccessRequestStatus.PENDING,
                            None,
                            None,
                            "",
                            created,
                            created,
                        )
                    )
            elif rng.random() < 0.003:
                requester = rng.choice(adviser_ids)
                if requester != plan.holder and requester not in plan.holders:
                    created = now - rng.uniform(20, 200) * DAY
                    decided = _ts(created + rng.uniform(0.1, 3) * DAY)
                    declined_rows.append(
                        (
                            plan.id,
                            requester,
                            rng.choice(ACCESS_MESSAGES),
                            AccessRequestStatus.DECLINED,
                            plan.holder,
                            decided,
                            "Werkgever wil één vast aanspreekpunt houden.",
                            _ts(created),
                            decided,
                        )
                    )
            # feedback on the adviser who serves the employer.
            if rng.random() < 0.05:
                adviser = plan.holder if not plan.holders or rng.random() < 0.8 else rng.choice(plan.holders)
                score = rng.choices(range(1, 11), weights=FEEDBACK_SCORE_WEIGHTS)[0]
                received = _ts(rng.uniform(max(plan.first, now - 12 * MONTH), now))
                source = FeedbackSource.DIRECT_FEEDBACK if rng.random() < 0.8 else FeedbackSource.SURVEY
                feedback_rows.append(
                    (plan.id, adviser, score, rng.choice(FEEDBACK_COMMENTS), source, received, "", received, received)
                )
        feedback_rows += self._survey_waves()
        self._copy(
            "employers_contactrequest",
            ["employer_id", "received_at", "channel", "requested_by", "question", "assigned_to_id", "responded_at",
             "responded_by_id", "response", "response_recorded_at", "overdue_notified_at", "created_at",
             "updated_at"],
            request_rows,
        )  # fmt: skip
        self._copy(
            "employers_accessrequest",
            ["employer_id", "requester_id", "message", "status", "decided_by_id", "decided_at", "decision_note",
             "created_at", "updated_at"],
            pending_rows + declined_rows,
        )  # fmt: skip
        self._copy(
            "employers_employerfeedback",
            ["employer_id", "adviser_id", "score", "comment", "source", "received_at", "external_id", "created_at",
             "updated_at"],
            feedback_rows,
        )  # fmt: skip
        self.counts["contact requests"] = len(request_rows)
        self.counts["  open"] = open_count
        self.counts["  answered late (> 24 h)"] = late_count
        self.counts["  response stated afterwards (R-10)"] = stated_afterwards
        self.counts["admission requests pending"] = len(pending_rows)
        self.counts["feedback"] = len(feedback_rows)

    def _survey_waves(self) -> list[tuple]:
        """R-11: each quarter the survey tool asks employers about their adviser; the answers come in with the
        tool's id. The two largest caseloads give groups of 5 or more per quarter, about several advisers (shown to
        managers as totals: R-11 needs 5 responses about 3 advisers or more), the other organisations fewer (left
        out of the totals), as response rates differ. Demo rows have no registrant, as answers from before it was
        recorded, so they count like the survey tool's."""
        rng = self.rng
        now = self.now_epoch
        by_organisation: dict[int, list[EmployerPlan]] = {}
        for plan in self.plans:
            by_organisation.setdefault(self.org_of[plan.holder], []).append(plan)
        largest = sorted(by_organisation, key=lambda org: -len(by_organisation[org]))[:2]
        rows = []
        year, quarter = self.today.year, (self.today.month - 1) // 3
        for _ in range(4):
            start = timezone.make_aware(datetime(year, quarter * 3 + 1, 1)).timestamp()
            end = min(now - 3600, timezone.make_aware(
                datetime(year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)).timestamp())  # fmt: skip
            for organisation_id, plans in sorted(by_organisation.items()):
                wanted = rng.randint(5, 9) if organisation_id in largest else rng.randint(1, 4)
                wanted = max(wanted, round(len(plans) * 0.02)) if organisation_id in largest else wanted
                for number, plan in enumerate(rng.sample(plans, min(wanted, len(plans)))):
                    received = _ts(rng.uniform(max(start, plan.first), end) if plan.first < end else end)
                    score = rng.choices(range(1, 11), weights=FEEDBACK_SCORE_WEIGHTS)[0]
                    external_id = f"enq-{year}-Q{quarter + 1}-{organisation_id}-{number:04d}"
                    rows.append((plan.id, plan.holder, score, rng.choice(FEEDBACK_COMMENTS), FeedbackSource.SURVEY,
                                 received, external_id, received, received))  # fmt: skip
            year, quarter = (year, quarter - 1) if quarter else (year - 1, 3)
        return rows

    def build_audit_trail_and_clock(self) -> None:
        """Do once, in bulk, what the disabled triggers would have done row by row: the insert events of the audit
        trail, and the takeover clock of each employer (R-05)."""
        with connection.cursor() as cursor:
            _insert_events(cursor, "employers.EmployerEvent", "employers_employer", "created_at", "insert")
            _insert_events(cursor, "employers.AccountHolderEvent", "employers_accountholder", "added_at", "insert")
            _insert_events(
                cursor, "employers.ContactRequestEvent", "employers_contactrequest", "received_at", "insert",
                overrides={"responded_at": "NULL", "responded_by_id": "NULL", "response": "''",
                           "response_recorded_at": "NULL"},
            )  # fmt: skip
            # the response entered the audit trail when it was recorded.
            _insert_events(
                cursor, "employers.ContactRequestEvent", "employers_contactrequest", "response_recorded_at", "update",
                where="responded_at IS NOT NULL",
            )  # fmt: skip
            insert_vacancy_and_placement_events(cursor)
            # R-05, replayed as the triggers decide it (employers.models.NOTE_CONTACT_FUNCTION): the latest of
            # entering the employer, and the contact moments, reported vacancies and contact-request responses of
            # its main account holder or an admitted account holder; the entry that set the clock is recorded.
            cursor.execute(
                """
                WITH holders AS (
                    SELECT id AS employer_id, main_account_holder_id AS user_id FROM employers_employer
                    UNION SELECT employer_id, user_id FROM employers_accountholder
                ), contact AS (
                    SELECT id AS employer_id, created_at AS moment, 'entered' AS source,
                           COALESCE(created_by_id, main_account_holder_id) AS user_id, NULL::bigint AS object_id
                      FROM employers_employer
                    UNION ALL
                    SELECT c.employer_id, c.occurred_at,
                           CASE WHEN c.kind = 'visit' THEN 'visit' ELSE 'contact_moment' END, c.adviser_id, c.id
                      FROM employers_contactmoment c
                      JOIN holders h ON h.employer_id = c.employer_id AND h.user_id = c.adviser_id
                    UNION ALL
                    SELECT v.employer_id, v.received_at, 'vacancy', v.created_by_id, v.id
                      FROM vacancies_vacancy v
                      JOIN holders h ON h.employer_id = v.employer_id AND h.user_id = v.created_by_id
                     WHERE v.parent_id IS NULL AND v.duplicated_from_id IS NULL
                    UNION ALL
                    SELECT r.employer_id, r.responded_at, 'contact_response', r.responded_by_id, r.id
                      FROM employers_contactrequest r
                      JOIN holders h ON h.employer_id = r.employer_id AND h.user_id = r.responded_by_id
                     WHERE r.responded_at IS NOT NULL
                ), latest AS (
                    SELECT DISTINCT ON (employer_id) employer_id, moment, source, user_id, object_id
                      FROM contact ORDER BY employer_id, moment DESC, object_id DESC NULLS LAST
                )
                UPDATE employers_employer e
                   SET last_contact_at = l.moment, last_contact_source = l.source, last_contact_by_id = l.user_id,
                       last_contact_object_id = l.object_id
                  FROM latest l
                 WHERE e.id = l.employer_id
                """
            )

    def build_vacancies_and_placements(self) -> None:
        """Vacancies, candidates, referrals, placements and aftercare that follow the rules (R-12..R-43)."""
        skills = SkillIndex()
        candidates = CandidatePool(self, skills, self.n_candidates)
        candidates.build()
        vacancies = VacancyPlanner(self, skills, self.n_vacancies).build()
        funnel = Funnel(self, skills, vacancies, candidates, referrals=self.n_referrals, placements=self.n_placements)
        self.counts.update(funnel.run())

    def fill_funnel_moments(self):
        """R-21, R-43, R-50: the moments the triggers keep on referrals and placements, the placements and referrals
        per month and the funnel's cells (the triggers are off during the bulk load); the figures' generation raised."""
        with connection.cursor() as cursor:
            for statement in [*FILL_FUNNEL_MOMENTS, *FILL_PLACEMENT_MONTHS, *FUNNEL_FILL, *REFERRAL_MONTH_FILL]:
                cursor.execute(statement)
            cursor.execute(RAISE_FIGURES_GENERATION)  # what was cached of the figures before counts no longer

    # --- COPY ---------------------------------------------------------------------------------------------------------

    def _copy(self, table: str, columns: list[str], rows) -> None:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_value(v) for v in row))
            buffer.write("\n")
        self._copy_buffer(table, columns, buffer)

    def _copy_buffer(self, table: str, columns: list[str], buffer: io.StringIO) -> None:
        if not buffer.tell():
            return
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)

    def run(self) -> None:
        self.counts: dict[str, int] = {}
        started = time.monotonic()
        steps = [
            ("organisations, staff and sectors", self.build_people),
            ("employers", self.build_employers),
            ("account holders", self.build_account_holders),
            ("contact moments", self.build_contact_moments),
            ("contact requests, admission requests, feedback", self.build_requests_and_feedback),
            ("vacancies, candidates, referrals, placements", self.build_vacancies_and_placements),
            ("audit trail and last contact", self.build_audit_trail_and_clock),
            ("funnel moments and cells, placements and referrals per month", self.fill_funnel_moments),
            ("projects and events", lambda: seed_projects_and_events(today=self.today)),
            ("targets and coverage", lambda: seed_targets(self)),
            ("budgets", lambda: seed_budgets(orgs=self.orgs, today=self.today)),
            ("published factsheets", lambda: self.counts.update(seed_factsheets(self))),
        ]
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Bulk history: no audit or last-contact triggers per row (they are replayed in bulk above).
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # Building an index once is much cheaper than maintaining it row by row (the trigram index above all);
            # the tables are empty here, and the transaction restores the indexes should anything fail.
            dropped = _drop_secondary_indexes(["employers_employer", "employers_contactmoment", *BULK_TABLES])
            for label, step in steps:
                step_started = time.monotonic()
                step()
                self.log(f"  {label}: {time.monotonic() - step_started:.1f} s")
            step_started = time.monotonic()
            with connection.cursor() as cursor:
                for definition in dropped:
                    cursor.execute(definition)
            self.log(f"  indexes: {time.monotonic() - step_started:.1f} s")
            # the likely duplicates the bulk load made without a save (as the nightly run does). The
            # employers' statistics first: the planner would otherwise take the table for the empty one it was
            # at the start of the transaction, and join 100,000 employers with themselves row by row (minutes).
            step_started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE employers_employer")
            self.counts["likely duplicate pairs"] = likely_duplicates_refresh()
            self.log(f"  likely duplicates: {time.monotonic() - step_started:.1f} s")
        step_started = time.monotonic()
        with connection.cursor() as cursor:
            for table in _domain_tables():
                cursor.execute(f"ANALYZE {table}")
        self.log(f"  analyze: {time.monotonic() - step_started:.1f} s")
        self.elapsed = time.monotonic() - started


# --- Helpers -------------------------------------------------------------------------------------------------------


def _main_place(municipality: str) -> str:
    return {"Velsen": "IJmuiden"}.get(municipality, municipality)


VOCABULARY_TABLES = ("vacancies_skill", "vacancies_skill_typical_skills")
# The project's apps whose records the demo seeds (their sub-apps too, such as the reporting ones).
DOMAIN_APPS = ("accounts", "employers", "vacancies", "matching", "reporting")


def _domain_tables() -> list[str]:
    """Tables of the domain apps (and what points at their users): what --reset empties."""
    tables = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in DOMAIN_APPS:
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.db_table in VOCABULARY_TABLES:
                continue  # the shared vocabulary is loaded by a migration, not by the demo
            if model._meta.managed and not model._meta.proxy and model._meta.db_table not in tables:
                tables.append(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    return [t for t in tables if t in existing]
