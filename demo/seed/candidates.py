"""Demo candidates (R-40, R-41, R-58): the caseloads of the partner organisations.

Held as parallel lists (index = position, id = first id + index) because the funnel samples them a million times.
Personal data follows the rules: the BSN is optional (about one in ten has one), passes the eleven-test, is stored
as a Fernet token (`wsp.crypto.encrypt_text`) with its keyed hash for uniqueness (`matching.bsn.bsn_lookup_hash`);
health notes are encrypted the same way.

R-23: a candidate's target group belongs to the kind of their organisation (`TargetGroup.may_book`), as the
candidate service checks it: the target groups drawn per kind are those of `TARGET_GROUPS_BY_KIND` that fit it.
R-42: candidates carry the coordinates of their municipality, and the vacancies (written by the funnel just before
the candidates) those of their work place, both from `wsp.geo` exactly as the services compute them
(`place_vacancies`).
"""

from datetime import date, timedelta

from django.db import connection

from matching.bsn import bsn_lookup_hash, is_valid_bsn
from matching.choices import CandidateStatus, TargetGroup
from matching.models import Candidate
from vacancies.choices import TargetGroupFlag
from wsp import geo
from wsp.crypto import encrypt_text

from .bulk import DAY, CopyStream, Weighted, max_id, reset_sequence, stamp, working_hours
from .vocabulary import (
    AGES,
    BSN_SHARE,
    CANDIDATE_HOURS,
    FIRST_NAMES,
    HEALTH_NOTES,
    INACTIVE_SHARE,
    JOB_AGREEMENT_SHARE,
    MAX_BSN_CANDIDATES,
    MORE_FIRST_NAMES,
    PLACES,
    POSTCODE_LETTERS,
    SECTORS,
    SURNAMES,
    TARGET_GROUPS_BY_KIND,
    TRAVEL_KM,
    UKRAINIAN_FIRST_NAMES,
    UKRAINIAN_SURNAMES,
)

YOUTH_BELOW_AGE = 27  # R-14 flags as matching applies them (matching.selectors.ranking)
OVER_50_FROM_AGE = 50
INF = float("inf")


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def make_bsn(rng) -> str:
    """Nine digits passing the eleven-test: 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11."""
    while True:
        digits = [rng.randint(1, 6)] + [rng.randrange(10) for _ in range(7)]
        check = sum(w * d for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        if check < 10:
            value = "".join(map(str, digits)) + str(check)
            if is_valid_bsn(value):
                return value


def postcode(rng, place) -> str:
    low, high = rng.choice(place[2])
    letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
    if letters in ("SA", "SD", "SS"):
        letters = "AB"
    return f"{rng.randint(low, high)} {letters}"


class CandidatePool:
    """The region's candidates and what the funnel needs to know about them."""

    COLUMNS = [
        "id", "organisation_id", "adviser_id", "first_name", "last_name", "email", "phone", "birth_date",
        "health_notes", "bsn", "bsn_hash", "target_group", "job_agreement", "work_ready_since", "hours_per_week",
        "postcode", "municipality", "latitude", "longitude", "skills", "max_travel_km", "status", "profile_reviewed_at",
        "created_by_id", "created_at", "updated_at",
    ]  # fmt: skip

    def __init__(self, seeder, skills, count: int):
        self.seeder = seeder
        self.skills = skills
        self.count = count
        self.first_id = max_id(Candidate) + 1
        self.today = seeder.today

    def build(self) -> None:
        s = self.seeder
        rng = s.rng
        today = self.today
        now = s.now_epoch
        kinds = {org.pk: org.kind for org in s.orgs.values()}
        target_groups = {kind: Weighted(fitting_target_groups(kind)) for kind in TARGET_GROUPS_BY_KIND}
        hours = Weighted(CANDIDATE_HOURS)
        travel = Weighted(TRAVEL_KM)
        place_of = Weighted((place, place[3]) for place in PLACES)
        sector_of = Weighted((spec.code, spec.share) for spec in SECTORS)
        first_names = FIRST_NAMES + MORE_FIRST_NAMES
        advisers = [a.pk for a in s.advisers]
        n = self.count
        self.org, self.adviser, self.target_group, self.job_agreement = [], [], [], []
        self.birth, self.work_ready, self.skillset, self.occupations = [], [], [], []
        self.inactive, self.bookable, self.busy, self.flags = [], [], [], []
        self.rows = []  # what only the row needs, kept until the status is known
        used_bsn_hashes: set[str] = set()
        bsn_budget = min(MAX_BSN_CANDIDATES, n)
        for _ in range(n):
            adviser = rng.choice(advisers)
            org = s.org_of[adviser]
            kind = kinds[org]
            group = target_groups[kind](rng)
            low, high, mode = AGES[group]
            age = int(rng.triangular(low, high + 0.99, mode))
            birth = None
            if rng.random() > 0.03:
                birth = today - timedelta(days=int(age * 365.25) + rng.randrange(365))
            job_agreement = rng.random() < JOB_AGREEMENT_SHARE[group]
            r = rng.random()
            if r < 0.85:
                # Handed over for placement at some point of the last three years, more of them recently.
                ready = today - timedelta(days=int(rng.random() ** 1.3 * 1100))
            elif r < 0.93:
                ready = today + timedelta(days=rng.randint(1, 90))
            else:
                ready = None
            if ready is not None:
                created = working_hours(_epoch(ready) - rng.uniform(1, 60) * DAY)
            else:
                created = working_hours(now - rng.uniform(2, 400) * DAY)
            created = min(created, now - 3600)
            sector = sector_of(rng)
            occupations = [self.skills.occupation_for_sector(rng, sector)]
            if rng.random() < 0.3:
                other = (
                    self.skills.occupation_for_sector(rng, sector)
                    if rng.random() < 0.6
                    else rng.choice(self.skills.occupations)
                )
                if other not in occupations:
                    occupations.append(other)
            skill_ids = self.skills.skills_for(rng, occupations, 3, 10)
            r = rng.random()
            if r < 0.62:
                reviewed = now - rng.uniform(0, 88) * DAY
            elif r < 0.9:
                reviewed = now - rng.uniform(92, 500) * DAY  # stale (CANDIDATE_STALE_DAYS)
            else:
                reviewed = None
            if reviewed is not None and reviewed < created:
                reviewed = None if rng.random() < 0.5 else min(created + rng.uniform(1, 30) * DAY, now - 60)
            ukrainian = group == TargetGroup.OEKRAINE and rng.random() < 0.8
            first = rng.choice(UKRAINIAN_FIRST_NAMES if ukrainian else first_names)
            last = rng.choice(UKRAINIAN_SURNAMES if ukrainian else SURNAMES)
            mail_name = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            email = f"{mail_name}{rng.randrange(100)}@mail.example" if rng.random() < 0.75 else ""
            phone = f"06-{rng.randrange(10_000_000, 99_999_999)}" if rng.random() < 0.85 else ""
            health = ""
            if rng.random() < (0.4 if group in (TargetGroup.WIA, TargetGroup.WAJONG) else 0.08):
                health = encrypt_text(rng.choice(HEALTH_NOTES))
            bsn = bsn_hash = None
            if bsn_budget and rng.random() < BSN_SHARE:
                while True:
                    value = make_bsn(rng)
                    bsn_hash = bsn_lookup_hash(value)
                    if bsn_hash not in used_bsn_hashes:
                        break
                used_bsn_hashes.add(bsn_hash)
                bsn = encrypt_text(value)
                bsn_budget -= 1
            place = place_of(rng)

            self.org.append(org)
            self.adviser.append(adviser)
            self.target_group.append(group)
            self.job_agreement.append(job_agreement)
            self.birth.append(birth)
            self.work_ready.append(_epoch(ready) if ready is not None and ready <= today else None)
            self.skillset.append(frozenset(skill_ids))
            self.occupations.append(occupations)
            self.inactive.append(rng.random() < INACTIVE_SHARE)
            self.bookable.append(TargetGroup.may_book(group, kind))
            self.busy.append(None)
            self.flags.append(_static_flags(group, job_agreement, birth, today))
            self.rows.append([
                first, last, email, phone, birth, health, bsn or "", bsn_hash, group, job_agreement, ready,
                hours(rng), postcode(rng, place), place[1], skill_ids, travel(rng), reviewed, created,
            ])  # fmt: skip
        self.kind_of_org = kinds

    # --- What the funnel asks ---------------------------------------------------------------------------------------

    def id(self, index: int) -> int:
        return self.first_id + index

    def is_free(self, index: int, start: float, end: float) -> bool:
        """Not hired anywhere between start and end (a candidate is proposed only while available, R-41)."""
        intervals = self.busy[index]
        if intervals:
            for a, b in intervals:
                if a < end and start < b:
                    return False
        return True

    def occupy(self, index: int, start: float, end: float) -> None:
        if self.busy[index] is None:
            self.busy[index] = []
        self.busy[index].append((start, end))

    def fits_flag(self, flag: str, index: int, day: date) -> bool:
        """R-14: the vacancy's target-group flag this candidate fits, as matching checks it."""
        if flag == TargetGroupFlag.JOB_AGREEMENT:
            return self.job_agreement[index]
        group = self.target_group[index]
        if flag == TargetGroupFlag.WAJONG:
            return group == TargetGroup.WAJONG
        if flag == TargetGroupFlag.WELFARE_SUBSIDY:
            return group == TargetGroup.PWET
        if flag == TargetGroupFlag.STATUS_HOLDER:
            return group in (TargetGroup.OEKRAINE, TargetGroup.NUG)
        age = age_on(self.birth[index], day)
        if flag == TargetGroupFlag.YOUTH:
            return age is not None and age < YOUTH_BELOW_AGE
        if flag == TargetGroupFlag.OVER_50:
            return age is not None and age >= OVER_50_FROM_AGE
        return False

    # --- Rows -------------------------------------------------------------------------------------------------------

    def write(self, *, placed_until: dict[int, float], last_change: dict[int, float]) -> dict[str, int]:
        """COPY the candidates with their status: placed while a booked placement runs, otherwise available
        (or inactive); `updated_at` moves with the last booking that changed the status."""
        stream = CopyStream("matching_candidate", self.COLUMNS)
        now = self.seeder.now_epoch
        statuses = {CandidateStatus.PLACED: 0, CandidateStatus.AVAILABLE: 0, CandidateStatus.INACTIVE: 0}
        with_bsn = 0
        points: dict[str, tuple] = {}  # per municipality, as candidate_create computes it
        for index, row in enumerate(self.rows):
            (first, last, email, phone, birth, health, bsn, bsn_hash, group, job_agreement, ready, hours, code,
             municipality, skill_ids, travel, reviewed, created) = row  # fmt: skip
            if placed_until.get(index, 0) >= now:
                status = CandidateStatus.PLACED
            elif self.inactive[index]:
                status = CandidateStatus.INACTIVE
            else:
                status = CandidateStatus.AVAILABLE
            statuses[status] += 1
            with_bsn += bool(bsn)
            updated = max(created, reviewed or 0, last_change.get(index, 0))
            if municipality not in points:
                points[municipality] = geo.coordinates(municipality)
            latitude, longitude = points[municipality]
            stream.row((
                self.first_id + index, self.org[index], self.adviser[index], first, last, email, phone, birth,
                health, bsn, bsn_hash, group, job_agreement, ready, hours, code, municipality, latitude, longitude,
                skill_ids, travel, status, stamp(reviewed) if reviewed else None, self.adviser[index], stamp(created),
                stamp(updated),
            ))  # fmt: skip
        stream.close()
        reset_sequence(Candidate)
        self.rows = []
        located = place_vacancies()
        return {
            "candidates": stream.count,
            "  placed": statuses[CandidateStatus.PLACED],
            "  available": statuses[CandidateStatus.AVAILABLE],
            "  with a BSN (encrypted)": with_bsn,
            "vacancies with a place (R-42)": located,
        }


def fitting_target_groups(kind: str) -> list[tuple[str, float]]:
    """R-23: the weighted target groups of an organisation kind, without those its caseload cannot hold."""
    return [(group, weight) for group, weight in TARGET_GROUPS_BY_KIND[kind] if TargetGroup.may_book(group, kind)]


def place_vacancies() -> int:
    """R-42: give every vacancy without coordinates those of its work place, as `vacancy_register` does
    (`wsp.geo.work_place`: the vacancy's municipality, else the employer's place and municipality). One query for
    the distinct places, one UPDATE; returns the number of vacancies placed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT v.municipality, e.city, e.municipality FROM vacancies_vacancy v"
            " JOIN employers_employer e ON e.id = v.employer_id WHERE v.latitude IS NULL"
        )
        places = []
        for municipality, city, employer_municipality in cursor.fetchall():
            latitude, longitude = geo.work_place(
                municipality=municipality, employer_city=city, employer_municipality=employer_municipality
            )
            if latitude is not None:
                places += [municipality, city, employer_municipality, latitude, longitude]
        if not places:
            return 0
        values = ", ".join(["(%s, %s, %s, %s::float8, %s::float8)"] * (len(places) // 5))
        cursor.execute(
            f"""UPDATE vacancies_vacancy v SET latitude = p.latitude, longitude = p.longitude
                  FROM employers_employer e, (VALUES {values}) AS p(municipality, city, employer_municipality,
                                                                   latitude, longitude)
                 WHERE e.id = v.employer_id AND v.latitude IS NULL AND v.municipality = p.municipality
                   AND e.city = p.city AND e.municipality = p.employer_municipality""",
            places,
        )
        return cursor.rowcount


def _static_flags(group: str, job_agreement: bool, birth: date | None, today: date) -> tuple[str, ...]:
    """The flags a candidate fits about now; youth/50+ are checked again at the moment of a referral."""
    flags = []
    if job_agreement:
        flags.append(TargetGroupFlag.JOB_AGREEMENT.value)
    if group == TargetGroup.WAJONG:
        flags.append(TargetGroupFlag.WAJONG.value)
    if group == TargetGroup.PWET:
        flags.append(TargetGroupFlag.WELFARE_SUBSIDY.value)
    if group in (TargetGroup.OEKRAINE, TargetGroup.NUG):
        flags.append(TargetGroupFlag.STATUS_HOLDER.value)
    age = age_on(birth, today)
    if age is not None and age < YOUTH_BELOW_AGE + 2:
        flags.append(TargetGroupFlag.YOUTH.value)
    if age is not None and age >= OVER_50_FROM_AGE:
        flags.append(TargetGroupFlag.OVER_50.value)
    return tuple(flags)


def _epoch(day: date) -> float:
    """Midnight UTC of a date (the local day starts an hour or two earlier: close enough for 'ready since')."""
    return (day.toordinal() - 719163) * DAY
