"""What became of the demo vacancies: referrals, hires, placements and aftercare (R-17..R-25, R-30..R-32, R-43).

Everything here is what the services would have accepted at the moment it happened:

* Hires first, in the order the vacancies were registered. A hire is a referral by the vacancy's owner at that time
  (R-17) of a candidate who was work-ready, not hired elsewhere, and met the vacancy's hard requirements: a shared
  skill, its target-group flags and age limits (R-14, R-15, R-41). It is booked only on a vacancy with a recruitment
  request (R-22), by the vacancy owner, whose organisation may book the candidate's target group (R-23). On a
  one-position vacancy a chain partner's candidate may be hired: the vacancy then moves to the candidate's adviser,
  who books (R-24, a `VacancyHandover` and an account holder). Vacancies of 2-9 positions and co-production
  vacancies book their own organisation's candidates (R-19, R-25). Registered positions = max(1, booked) (R-20).
* Then the other referrals: about three more proposals per hire on the vacancies that were filled (four proposals
  per successful match, R-43) and the rest spread over the other vacancies that accepted referrals (not blocked,
  R-16). Every step is a `ReferralStatusChange` with increasing times; PAWA only for UWV staff (R-21).
* A placement's target group, employer, employer type and sector are copied; `durable_after` is start + 3 or 6
  months by the booking organisation; `is_durable` follows the daily check (R-30); job-agreement jobs are computed
  by the database (R-31); aftercare contacts every 30 days until the employer needs no more (R-32).
* No backdating (R-22, R-57): a placement starts on or after the hire (so after the receipt and the proposal) and at
  most three months after its booking. Durability counts only time that has passed (R-30): a fixed end within the
  durable period decides only once it has come. A short placement (under 15 hours, or a fixed end within the durable
  period) records the conditions agreed (ZKIJ plan 3.1); a share of placements has instruments advised and applied
  (R-33); some are ended by an aftercare contact that finds the candidate gone (R-32: the end date is that last day
  and the reason is the contact, as `aftercare_register` records it).
* Every hire records who books it (`Referral.booker`, R-23..R-25): the vacancy owner for its own candidates, the
  partner's adviser after an R-24 handover. Hires not booked yet stand on the booker's home page.
* Among the other referrals a few hires of the owner's own candidates fell through before they were booked
  (`proposals.Proposals`): withdrawn by the owner with a reason (R-21: hired -> withdrawn, no booker any more).
"""

import calendar
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from accounts.choices import OrganisationKind
from employers.choices import AccountHolderVia, EmployerType, Instrument
from matching.choices import PlacementStatus, ReferralStatus
from matching.models import Placement, Referral
from vacancies.choices import CloseReason, HandoverReason, TargetGroupFlag, VacancyStatus, Visibility
from vacancies.models import RecruitmentPlan, Vacancy

from .bulk import DAY, CopyStream, Weighted, copy_rows, max_id, reset_sequence, stamp, working_hours
from .candidates import INF, age_on
from .proposals import HIRED, INVITED, PROPOSED, Proposals
from .vacancies import local_date, local_midnight
from .vocabulary import (
    AFTERCARE_END_SUMMARIES,
    AFTERCARE_LEFT_SUMMARY,
    AFTERCARE_SUMMARIES,
    CANCEL_REASONS,
    CANCELLED_SHARE,
    CHAIN_HANDOVER_NOTES,
    CLOSE_NOTES,
    CLOSE_REASONS,
    COMFORTABLE_TURNOVER,
    CORRECTION_REASONS,
    NO_REQUEST_HIRE_NOTE,
    NO_REQUEST_HIRE_SHARE,
    PARTIAL_CLOSE_SHARE,
    PARTNER_HIRE_SHARE,
    PARTNER_HIRED_NOTE,
    PAWA_SHARE,
    PLACEMENT_HOURS_BELOW_MINIMUM_SHARE,
    PLACEMENT_TYPES,
    REJECTION_REASONS,
)

# R-30, ZKIJ plan 3.1 ("stelt voorwaarden bij een korte werkduur"): what is agreed for a short placement.
SHORT_CONDITIONS = [
    "Start met minder uren; na drie maanden evaluatie en uitbreiding naar 20 uur.",
    "Jobcoach begeleidt de eerste maanden; tussentijdse evaluatie na zes weken.",
    "Tijdelijk contract; werkgever bespreekt verlenging twee maanden voor het einde.",
    "Korte werkweek naast dagbesteding; uren worden in overleg met de werkgever opgebouwd.",
]
# an aftercare contact that finds the candidate gone before the planned end (a share of the contacts).
LEFT_EARLY_SHARE = 0.04
LEFT_EARLY_SUMMARIES = [
    "Werkgever meldt dat de kandidaat tijdens de proeftijd is gestopt.",
    "Kandidaat is uit dienst getreden voor een andere baan.",
    "Dienstverband in overleg beëindigd; kandidaat terug in de eigen caseload.",
]
# The reason the service records when aftercare ends a placement (matching.services.placements.aftercare_register).
LEFT_EARLY_REASON = "Nazorgcontact van {contact}: niet meer in dienst, laatste werkdag {ended} (R-32)."
# R-23..R-25: a share of the hires of the last weeks is not booked yet: they wait on the booker's home page.
RECENT_HIRE_DAYS = 21
RECENT_HIRE_UNBOOKED_SHARE = 0.3
# the share of placements with instruments advised, from the one list.
INSTRUMENT_SHARE = 0.4
INSTRUMENT_CODES = list(Instrument.values)


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Funnel(Proposals):
    def __init__(self, seeder, skills, vacancies, candidates, *, referrals: int, placements: int):
        self.s = seeder
        self.rng = seeder.rng
        self.skills = skills
        self.vacancies = vacancies
        self.c = candidates
        self.n_referrals = referrals
        self.n_placements = placements
        self.now = seeder.now_epoch
        self.today = seeder.today
        self.kind_of_org = {org.pk: org.kind for org in seeder.orgs.values()}
        self.durable_months = settings.WSP["DURABLE_AFTER_MONTHS"]
        self.min_hours = Decimal(settings.WSP["DURABLE_MIN_HOURS"])
        self.aftercare_days = settings.WSP["AFTERCARE_INTERVAL_DAYS"]
        self.co_production_from = settings.WSP["CO_PRODUCTION_FROM_POSITIONS"]
        self.first_referral_id = self.next_referral_id = max_id(Referral) + 1
        self.next_placement_id = max_id(Placement) + 1
        self.referral_stream = CopyStream(
            "matching_referral",
            ["id", "vacancy_id", "candidate_id", "referred_by_id", "organisation_id", "referred_at", "status",
             "status_changed_at", "rejection_reason", "note", "pawa", "created_at", "updated_at", "booker_id"],
        )  # fmt: skip
        self.change_stream = CopyStream(
            "matching_referralstatuschange",
            ["referral_id", "from_status", "to_status", "changed_by_id", "changed_at", "reason"],
        )
        self.placement_stream = CopyStream(
            "matching_placement",
            ["id", "vacancy_id", "candidate_id", "referral_id", "employer_id", "booked_by_id", "organisation_id",
             "target_group", "employer_type", "sector_id", "placement_type", "start_date", "end_date",
             "hours_per_week", "job_agreement", "durable_after", "is_durable", "durability_checked_on",
             "next_aftercare_on", "aftercare_ended_at", "status", "correction_reason", "cancel_reason",
             "cancelled_at", "cancelled_by_id", "booked_at", "created_at", "updated_at", "instruments_advised",
             "instruments_applied", "conditions"],
        )  # fmt: skip
        self.aftercare_stream = CopyStream(
            "matching_aftercarecontact",
            ["placement_id", "adviser_id", "occurred_at", "still_employed", "summary", "ends_aftercare",
             "created_at", "employment_ended_on"],
        )  # fmt: skip
        self.handovers = []
        self.account_holders = []
        self.placed_until: dict[int, float] = {}
        self.last_change: dict[int, float] = defaultdict(float)
        self.counts = defaultdict(int)
        self.recent_pending = 0  # recent hires left for the booker to book (see `_fill`)
        self.rejection_of = Weighted(REJECTION_REASONS)
        self.placement_type_of = Weighted((spec, spec[1]) for spec in PLACEMENT_TYPES)
        self.close_reason_of = Weighted(CLOSE_REASONS)

    def run(self) -> dict[str, int]:
        self._pools()
        self._hire()
        self._settle()
        self._refer()
        for stream in (self.referral_stream, self.change_stream, self.placement_stream, self.aftercare_stream):
            stream.close()
        self._write_vacancies()
        counts = self.c.write(placed_until=self.placed_until, last_change=self.last_change)
        for model in (Vacancy, Referral, Placement, RecruitmentPlan):
            reset_sequence(model)
        return {**self._vacancy_counts(), **counts, **self._funnel_counts()}

    # --- Candidate pools --------------------------------------------------------------------------------------------

    def _pools(self) -> None:
        """Work-ready candidates by occupation, occupation group and target-group flag: all of them (to propose),
        those their own organisation may book (R-23), and those per organisation (own hires, R-25)."""
        c = self.c
        group_of = self.skills.group_of
        self.any_pool = defaultdict(list)
        self.book_pool = defaultdict(list)
        self.own_pool = defaultdict(list)
        for i in range(c.count):
            if c.work_ready[i] is None:
                continue
            occupations = c.occupations[i]
            groups = {group_of[o] for o in occupations}
            keys = [("o", o) for o in occupations] + [("g", g) for g in groups]
            keys += [("f", f, g) for f in c.flags[i] for g in groups]
            for key in keys:
                self.any_pool[key].append(i)
            if c.bookable[i]:
                org = c.org[i]
                for key in keys:
                    self.book_pool[key].append(i)
                    self.own_pool[(org, *key)].append(i)

    def _keys(self, v) -> list[tuple]:
        group = self.skills.group_of[v.occupation]
        keys = [("o", v.occupation), ("g", group)]
        if v.flags:
            flagged = [("f", f, group) for f in v.flags]
            self.rng.shuffle(flagged)
            keys = flagged + keys
        return keys

    def _meets(self, v, i: int, t: float) -> bool:
        """The hard requirements at moment t (R-14, R-15, R-41, R-42; matching.selectors.ranking)."""
        c = self.c
        ready = c.work_ready[i]
        if ready is None or ready > t or v.skillset.isdisjoint(c.skillset[i]):
            return False
        if v.flags or v.min_age is not None or v.max_age is not None:
            day = local_date(t)
            if v.flags and not any(c.fits_flag(flag, i, day) for flag in v.flags):
                return False
            if v.min_age is not None or v.max_age is not None:
                age = age_on(c.birth[i], day)
                if age is None:
                    return False
                if (v.min_age is not None and age < v.min_age) or (v.max_age is not None and age > v.max_age):
                    return False
        return True

    def _search(
        self, v, pool, prefix: tuple, t0: float, t1: float, *, tries=10, exclude_org=None, only_org=None, active=False
    ):
        """A random candidate from the pools of the vacancy's occupation, group and flags who may be proposed at t0
        and is not hired elsewhere until t1."""
        rng = self.rng
        c = self.c
        referred = v.referred
        for key in self._keys(v):
            candidates = pool.get((*prefix, *key))
            if not candidates:
                continue
            size = len(candidates)
            for _ in range(tries):
                i = candidates[int(rng.random() * size)]
                if i in referred or (exclude_org is not None and c.org[i] == exclude_org):
                    continue
                if only_org is not None and c.org[i] != only_org:
                    continue
                if active and c.inactive[i]:
                    continue
                if c.is_free(i, t0, t1) and self._meets(v, i, t0):
                    return i
        return None

    # --- Hires and placements ---------------------------------------------------------------------------------------

    def _bookings_if_filled(self, v) -> int:
        if v.is_co_production:
            return v.share
        return v.requested

    def _fillable(self, v) -> bool:
        return (
            v.recruitment_request
            and v.visibility != Visibility.BLOCKED
            and min(v.expires_end, self.now) - v.start > 6 * DAY
        )

    def _hire(self) -> None:
        rng = self.rng
        ready = sum(1 for moment in self.c.work_ready if moment is not None)
        turnover = self.n_placements / ready if ready else 0.0
        self.job_length = min(1.0, COMFORTABLE_TURNOVER / turnover) if turnover else 1.0
        capacity = sum(self._bookings_if_filled(v) for v in self.vacancies if self._fillable(v))
        target = self.n_placements
        rate = target / (capacity * (1 + CANCELLED_SHARE)) if capacity else 0.0
        expected = 0.0
        made = 0
        for v in self.vacancies:
            v.referred = set()
            v.updated = v.start
            if v.chain_handover:
                at, from_user, to_user = v.chain_handover
                note = rng.choice(CHAIN_HANDOVER_NOTES)
                self._handover(v, at, from_user, to_user, HandoverReason.CHAIN_PARTNER, note, from_user)
            if v.visibility == Visibility.BLOCKED:
                continue
            if not v.recruitment_request:
                if rng.random() < NO_REQUEST_HIRE_SHARE:
                    self._hire_without_request(v)
                continue
            if not self._fillable(v):
                continue
            k = self._bookings_if_filled(v)
            expected += rate * k * (1 + CANCELLED_SHARE)
            if made >= target or made + rng.uniform(-0.5, 0.5) * k >= expected:
                continue
            partial = 2 <= v.requested <= 9 and not v.is_co_production and rng.random() < PARTIAL_CLOSE_SHARE
            if partial:
                k = rng.randint(1, v.requested - 1)
            v.partial = partial
            made += self._fill(v, k, target - made)
        self._one_hire_to_book()
        self.counts["placements asked for"] = target

    def _one_hire_to_book(self) -> None:
        """R-23..R-25: the demo always shows a recent hire its booker has yet to book. When the placements asked for
        were all made before the last weeks, the most recent vacancies with room get one more hire, which `_fill`
        leaves unbooked (the first recent hire always is), until one is made; no placement is added."""
        for v in sorted(self.vacancies, key=lambda v: v.start, reverse=True):
            if self.recent_pending:
                return
            recent_start = self.now - (RECENT_HIRE_DAYS + 4) * DAY <= v.start <= self.now - 5 * DAY
            if recent_start and self._fillable(v) and not v.pending_hire and v.booked < v.requested:
                self._fill(v, v.booked + 1, 1)

    def _fill(self, v, k: int, room: int) -> int:
        """Hire and book up to k candidates on v, one after the other; returns the placement rows made."""
        rng = self.rng
        c = self.c
        now = self.now
        t = v.start
        limit = min(v.expires_end - 2 * DAY, now - 3600)
        rows = 0
        attempts = 0
        single = v.requested == 1 and v.parent is None
        while v.booked < k and rows < room and attempts < k + 4:
            attempts += 1
            gap = rng.uniform(4, 30) if attempts == 1 else rng.uniform(0.5, 10)
            hired_at = working_hours(t + gap * DAY)
            if hired_at <= t:
                hired_at = t + 3600
            if hired_at > limit:
                break
            booked_at = working_hours(hired_at + rng.uniform(0.05, 4) * DAY)
            if booked_at <= hired_at:
                booked_at = hired_at + 1800
            shape = self._shape(v, hired_at, booked_at)
            proposed_at = max(v.start + 300, hired_at - rng.uniform(1, 14) * DAY)
            partner = single and rng.random() < PARTNER_HIRE_SHARE
            i = None
            for as_partner in (partner, not partner) if single else (False,):
                if as_partner:
                    i = self._search(v, self.book_pool, (), proposed_at, shape["busy_end"], exclude_org=v.org)
                else:
                    i = self._search(v, self.own_pool, (v.org,), proposed_at, shape["busy_end"])
                if i is not None:
                    partner = as_partner
                    break
            if i is None:
                self.counts["hire attempts without a fitting candidate"] += 1
                t = hired_at
                continue
            # Not booked yet: hired a moment ago, or the vacancy expired first, or a recent hire its booker has yet to
            # book (it stands under "Plaatsing boeken" on the booker's home page, R-23..R-25); the first recent hire
            # always, so the demo shows one whatever the day it is seeded on.
            recent = hired_at > now - RECENT_HIRE_DAYS * DAY
            pending = (
                booked_at > now - 600
                or booked_at >= v.expires_end
                or (recent and (rng.random() < RECENT_HIRE_UNBOOKED_SHARE or not self.recent_pending))
            )
            self.recent_pending += pending and recent
            cancelled = not pending and not partner and booked_at < now - 3 * DAY and rng.random() < CANCELLED_SHARE
            cancelled_at = min(booked_at + rng.uniform(1, 30) * DAY, now - 600) if cancelled else None
            c.occupy(i, hired_at, cancelled_at or shape["busy_end"])
            referrer = v.owner
            # the candidate's own organisation books: the partner's adviser takes the vacancy over.
            booker = c.adviser[i] if partner else v.owner
            referral_id = self._hired_referral(v, i, referrer, proposed_at, hired_at, booker=booker)
            v.hires += 1
            v.first_hire = v.first_hire or hired_at
            v.last_hire = hired_at
            if partner:
                self._partner_handover(v, i, hired_at + 60)
            if pending:
                # Hired; the owner has not booked yet (or the vacancy expired first: reactivate before booking).
                v.pending_hire = True
                v.updated = max(v.updated, hired_at)
                self.counts["hires not booked yet"] += 1
                break
            self._placement(v, i, referral_id, booked_at, shape, cancelled_at)
            rows += 1
            if cancelled:
                t = cancelled_at
                v.updated = max(v.updated, cancelled_at)
                continue
            v.booked += 1
            v.updated = max(v.updated, booked_at)
            t = booked_at
        return rows

    def _hire_without_request(self, v) -> None:
        """A hire on a vacancy without a recruitment request: no reciprocity, so never booked (R-22)."""
        rng = self.rng
        limit = min(v.expires_end - 2 * DAY, self.now - 4 * DAY)
        hired_at = working_hours(v.start + rng.uniform(5, 40) * DAY)
        if hired_at > limit or hired_at <= v.start:
            return
        proposed_at = max(v.start + 300, hired_at - rng.uniform(1, 14) * DAY)
        # Of the owner's own caseload: a partner's hire would move the vacancy or need a duplicate.
        i = self._search(v, self.any_pool, (), proposed_at, hired_at + 180 * DAY, tries=30, only_org=v.org)
        if i is None:
            return
        self.c.occupy(i, hired_at, hired_at + 180 * DAY)
        self._hired_referral(v, i, v.owner, proposed_at, hired_at, booker=v.owner)
        v.hires += 1
        v.first_hire = v.last_hire = hired_at
        v.status, v.close_reason, v.close_note = VacancyStatus.CLOSED, CloseReason.OTHER, NO_REQUEST_HIRE_NOTE
        v.closed_at = min(working_hours(hired_at + rng.uniform(1, 3) * DAY), self.now - 600)
        v.closed_at = max(v.closed_at, hired_at + 60)
        self.counts["hires without recruitment request (not booked, R-22)"] += 1

    def _shape(self, v, hired_at: float, booked_at: float) -> dict:
        """Type, dates and hours of the placement the hire becomes."""
        rng = self.rng
        kind, _, (shortest, longest), end_share = self.placement_type_of(rng)
        hired_day = local_date(hired_at)
        start = max(local_date(booked_at) + timedelta(days=rng.randint(-3, 21)), hired_day)
        end = None
        length = self.job_length
        if rng.random() < 1 - (1 - end_share) * length:
            months = rng.uniform(shortest, longest) * length
            end = start + timedelta(days=max(14, int(months * 30.44)))
        if rng.random() < PLACEMENT_HOURS_BELOW_MINIMUM_SHARE:
            hours = Decimal(rng.choice(["8", "10", "12", "12.5", "14"]))
        else:
            hours = Decimal(max(4, min(40, v.hours + rng.choice([0, 0, 0, 0, -4, -8, 4]))))
        busy_end = local_midnight(end + timedelta(days=1)) if end else INF
        return {"type": kind, "start": start, "end": end, "hours": hours, "busy_end": busy_end}

    def _hired_referral(self, v, i: int, referrer: int, proposed_at: float, hired_at: float, *, booker: int) -> int:
        rng = self.rng
        referral_id = self.next_referral_id
        self.next_referral_id += 1
        org = self.s.org_of[referrer]
        steps = [(PROPOSED, proposed_at)]
        if rng.random() < 0.7:
            steps.append((INVITED, proposed_at + (hired_at - proposed_at) * rng.uniform(0.2, 0.8)))
        steps.append((HIRED, hired_at))
        self._referral_rows(
            referral_id, v, i, referrer, org, steps, "", self._pawa(org), (referrer,) * len(steps), booker=booker
        )
        v.referred.add(i)
        return referral_id

    def _pawa(self, org: int) -> bool:
        return self.kind_of_org[org] == OrganisationKind.UWV and self.rng.random() < PAWA_SHARE

    def _partner_handover(self, v, i: int, at: float) -> None:
        """R-24: a chain partner's candidate hired on one position: the vacancy moves to the candidate's adviser."""
        to_user = self.c.adviser[i]
        v.partner_hire = (at, v.owner, to_user)
        self._handover(v, at, v.owner, to_user, HandoverReason.PARTNER_HIRED, PARTNER_HIRED_NOTE, v.owner)
        v.owner, v.org = to_user, self.c.org[i]
        v.updated = max(v.updated, at)

    def _handover(self, v, at, from_user, to_user, reason, note, by) -> None:
        org_of = self.s.org_of
        self.handovers.append((
            v.id, from_user, to_user, org_of[from_user], org_of[to_user], reason, False, note, by, stamp(at),
        ))  # fmt: skip
        employer = v.employer
        if to_user != employer.holder and to_user not in employer.holders:
            employer.holders.append(to_user)
            self.account_holders.append((AccountHolderVia.HANDOVER, stamp(at), to_user, employer.id))

    def _placement(self, v, i: int, referral_id: int, booked_at: float, shape: dict, cancelled_at) -> None:
        rng = self.rng
        c = self.c
        booker = v.owner  # after an R-24 handover: the partner's adviser
        org = self.s.org_of[booker]
        start, end, hours = shape["start"], shape["end"], shape["hours"]
        booked_day = local_date(booked_at)
        durable_after = add_months(start, self.durable_months[self.kind_of_org[org]])
        # R-30, ZKIJ plan 3.1: a short placement records the conditions agreed; R-33: instruments on a share.
        short = hours < self.min_hours or (end is not None and end <= durable_after)
        conditions = rng.choice(SHORT_CONDITIONS) if short else ""
        advised, applied = self._instruments()
        placement_id = self.next_placement_id
        self.next_placement_id += 1
        updated = booked_at
        next_aftercare = start + timedelta(days=self.aftercare_days)
        ended_at = None
        left_on = decided_on = None
        correction = cancel_reason = ""
        if cancelled_at is not None:
            status = PlacementStatus.CANCELLED
            cancel_reason = rng.choice(CANCEL_REASONS)
            updated = cancelled_at
            self.counts["placements cancelled"] += 1
            self.last_change[i] = max(self.last_change[i], cancelled_at)
        else:
            status = PlacementStatus.BOOKED
            next_aftercare, ended_at, last_contact, left_on = self._aftercare(placement_id, booker, start, end)
            updated = max(updated, last_contact or 0)
            if left_on is not None:
                # the aftercare contact ended the placement on the candidate's last day, as its reason.
                end, decided_on = left_on, local_date(ended_at)
                correction = LEFT_EARLY_REASON.format(
                    contact=decided_on.strftime("%d-%m-%Y"), ended=end.strftime("%d-%m-%Y")
                )
                self.counts["placements ended by aftercare"] += 1
            elif rng.random() < 0.02:
                correction = rng.choice(CORRECTION_REASONS)
                updated = max(updated, min(booked_at + rng.uniform(1, 20) * DAY, self.now - 60))
        is_durable, checked_on = self._durability(hours, end, durable_after, booked_day, cancelled_at, decided_on)
        if status == PlacementStatus.BOOKED:
            if checked_on is not None and checked_on > booked_day:
                updated = max(updated, min(local_midnight(checked_on) + 5 * 3600, self.now - 60))
            running_until = local_midnight(end + timedelta(days=1)) if left_on is not None else shape["busy_end"]
            self.placed_until[i] = max(self.placed_until.get(i, 0), running_until)
            self.counts["placements booked"] += 1
            self.counts["  durable"] += is_durable is True
            self.counts["  short, with conditions"] += bool(conditions)
            self.counts["  with instruments"] += bool(advised or applied)
        self.last_change[i] = max(self.last_change[i], booked_at)
        employer = v.employer
        flags = v.flags
        job_agreement = c.job_agreement[i] or TargetGroupFlag.JOB_AGREEMENT in flags
        self.counts["  job agreement"] += job_agreement and status == PlacementStatus.BOOKED
        self.placement_stream.row((
            placement_id, v.id, c.id(i), referral_id, employer.id, booker, org, c.target_group[i],
            EmployerType.GOVERNMENT if employer.government else EmployerType.MARKET, self.s.sectors[
                employer.sector_code].pk, shape["type"], start, end, hours, job_agreement, durable_after, is_durable,
            checked_on, next_aftercare, stamp(ended_at) if ended_at else None, status, correction, cancel_reason,
            stamp(cancelled_at) if cancelled_at else None, booker if cancelled_at else None, stamp(booked_at),
            stamp(booked_at), stamp(updated), advised, applied, conditions,
        ))  # fmt: skip

    def _durability(self, hours, end, durable_after: date, booked_day: date, cancelled_at, decided_on):
        """R-30 as matching.services.placements.durability_on decides it (at booking, in the daily check, and when an
        aftercare contact ends the placement, `decided_on`): only time that has passed counts. Returns (is_durable,
        the day it was decided)."""
        today = self.today
        if hours < self.min_hours:
            return False, booked_day
        if cancelled_at is not None:
            return None, None  # the daily check leaves cancelled placements alone
        if end is not None and end <= durable_after:
            if end >= today:
                return None, None  # a future end decides nothing yet
            return False, decided_on or max(booked_day, end + timedelta(days=1))
        if today > durable_after:
            return True, durable_after + timedelta(days=1)
        return None, None

    def _instruments(self) -> tuple[list[str], list[str]]:
        """R-33: about four in ten placements come with instruments advised; most of those are applied."""
        rng = self.rng
        if rng.random() >= INSTRUMENT_SHARE:
            return [], []
        advised = set(rng.sample(INSTRUMENT_CODES, rng.choice([1, 1, 2, 2, 3])))
        applied = {code for code in advised if rng.random() < 0.7}
        order = Instrument.values
        return [code for code in order if code in advised], [code for code in order if code in applied]

    def _aftercare(self, placement_id: int, adviser: int, start: date, end: date | None):
        """R-32: a follow-up every AFTERCARE_INTERVAL_DAYS until the employer needs no more (or the job ended).
        Returns (next aftercare date or None, aftercare ended at, last contact moment, the last day of employment
        when a contact found the candidate gone before the planned end, which then ends the placement)."""
        rng = self.rng
        now = self.now
        due = start + timedelta(days=self.aftercare_days)
        last = None
        end_moment = local_midnight(end) + 10 * 3600 if end else INF
        for number in range(6):
            moment = working_hours(local_midnight(due) + rng.uniform(7, 10) * 3600)
            if moment >= now - 3600:
                return due, None, last, None
            if moment >= end_moment:
                moment = min(max(end_moment, (last or 0) + 3600), now - 3600)
                self._aftercare_row(placement_id, adviser, moment, False, AFTERCARE_LEFT_SUMMARY, True, ended_on=end)
                return None, moment, moment, None
            if rng.random() < 0.07:
                return due, None, last, None  # not followed up yet: due (or overdue) on the adviser's list
            if rng.random() < LEFT_EARLY_SHARE:
                # The candidate left between the previous contact (or the start) and this one.
                since = local_date(last) if last else start
                day = local_date(moment)
                left_on = since + timedelta(days=int(rng.random() * max(0, (day - since).days)))
                summary = rng.choice(LEFT_EARLY_SUMMARIES)
                self._aftercare_row(placement_id, adviser, moment, False, summary, False, ended_on=left_on)
                return None, moment, moment, left_on
            ends = number >= 1 and rng.random() < 0.35
            summary = rng.choice(AFTERCARE_END_SUMMARIES if ends else AFTERCARE_SUMMARIES)
            self._aftercare_row(placement_id, adviser, moment, True, summary, ends)
            last = moment
            if ends:
                return None, moment, moment, None
            due = local_date(moment) + timedelta(days=self.aftercare_days)
        return due, None, last, None

    def _aftercare_row(self, placement_id, adviser, moment, still_employed, summary, ends, *, ended_on=None) -> None:
        at = stamp(moment)
        self.aftercare_stream.row((placement_id, adviser, at, still_employed, summary, ends, at, ended_on))
        self.counts["aftercare contacts"] += 1

    # --- Vacancy outcomes -------------------------------------------------------------------------------------------

    def _settle(self) -> None:
        """Status, outcome and closing moment of each vacancy from what was booked on it."""
        rng = self.rng
        now = self.now
        for v in self.vacancies:
            if v.status == VacancyStatus.CLOSED:  # decided already (a hire without recruitment request)
                v.updated = max(v.updated, v.closed_at)
                continue
            expired = v.expires_end <= now
            last_booking = v.updated
            wanted = self._bookings_if_filled(v)
            # a vacancy with a hire still to book stays open (or expires) until it is booked.
            if v.booked and v.booked >= wanted and not v.is_co_production and not v.pending_hire:
                self._close(v, VacancyStatus.FILLED, CloseReason.PLACEMENT, last_booking)
            elif v.booked and not v.pending_hire and (v.booked >= wanted or v.partial):
                # R-25 (and a co-production owner's own share): close with the placements booked so far.
                closed = self._close_between(v, CloseReason.PLACEMENT, last_booking + DAY, last_booking + 7 * DAY)
                if not closed and expired:
                    self._expire(v)
            elif expired:
                closed = False
                if v.booked and rng.random() < 0.6:
                    closed = self._close_between(v, CloseReason.PLACEMENT, last_booking + DAY, v.expires_end)
                elif not v.booked and not v.pending_hire and rng.random() < 0.55:
                    closed = self._close_between(v, self.close_reason_of(rng), v.start + 3 * DAY, v.expires_end)
                if not closed:
                    self._expire(v)
            elif not v.booked and not v.hires and now - v.start > 6 * DAY and rng.random() < 0.08:
                self._close_between(v, self.close_reason_of(rng), v.start + 2 * DAY, now - 3600)

    def _close(self, v, status, reason, at: float) -> None:
        v.status, v.close_reason, v.closed_at = status, reason, at
        v.close_note = self.rng.choice(CLOSE_NOTES[reason])
        v.updated = max(v.updated, at)

    def _close_between(self, v, reason, low: float, high: float) -> bool:
        """Closed at a moment in [low, high], before today and the expiry date, after the last change; False when
        there is no such moment."""
        high = min(high, self.now - 600, v.expires_end - 600)
        earliest = max(v.updated, v.start) + 60
        low = max(low, earliest)
        if low > high:
            low = earliest
        if low > high:
            return False
        self._close(v, VacancyStatus.CLOSED, reason, working_hours_between(self.rng, low, high))
        return True

    def _expire(self, v) -> None:
        """The daily task expired it the night after its expiry date."""
        v.status = VacancyStatus.EXPIRED
        v.updated = max(v.updated, v.expires_end + 2 * 3600)

    # --- Rows -------------------------------------------------------------------------------------------------------

    def _write_vacancies(self) -> None:
        now = self.now
        stream = CopyStream(
            "vacancies_vacancy",
            ["id", "employer_id", "owner_id", "organisation_id", "title", "description", "occupation_id", "skills",
             "requested_positions", "positions", "hours_per_week", "postcode", "municipality", "received_at",
             "registered_at", "source", "recruitment_request", "visibility", "blocked_reason", "target_group_flags",
             "min_age", "max_age", "status", "close_reason", "close_note", "closed_at", "expires_on",
             "expiry_warned_at", "parent_id", "duplicated_from_id", "created_by_id", "created_at", "updated_at",
             "partner_offer_note", "received_at_registered"],
        )  # fmt: skip
        warning_days = settings.WSP["VACANCY_EXPIRY_WARNING_DAYS"]
        plans, partners = [], []
        plan_id = max_id(RecruitmentPlan) + 1
        for v in self.vacancies:
            warned = None
            warn_at = local_midnight(v.expires_on - timedelta(days=warning_days)) + 7 * 3600
            if v.start < warn_at < now and (v.closed_at is None or v.closed_at > warn_at):
                warned = warn_at  # R-20 housekeeping: the owner was told the vacancy would expire
            stream.row((
                v.id, v.employer.id, v.owner, v.org, v.title, v.description, v.occupation, v.skills, v.requested,
                max(1, v.booked), v.hours, v.postcode, v.municipality, stamp(v.received), stamp(v.registered),
                v.source, v.recruitment_request, v.visibility, v.blocked_reason, list(v.flags), v.min_age,
                v.max_age, v.status, v.close_reason, v.close_note, stamp(v.closed_at) if v.closed_at else None,
                v.expires_on, stamp(warned) if warned else None, v.parent.id if v.parent else None, None, v.owner0,
                stamp(v.registered), stamp(max(v.updated, v.registered)), "", stamp(v.received),
            ))  # fmt: skip
            if v.plan:
                activities, planned_on, notes, created, partner_orgs = v.plan
                plans.append((plan_id, v.id, activities, planned_on, notes, v.owner0, stamp(created), stamp(created)))
                partners += [(plan_id, org) for org in partner_orgs]
                plan_id += 1
        stream.close()
        copy_rows(
            "vacancies_recruitmentplan",
            ["id", "vacancy_id", "activities", "planned_on", "notes", "created_by_id", "created_at", "updated_at"],
            plans,
        )
        copy_rows("vacancies_recruitmentplan_partners", ["recruitmentplan_id", "organisation_id"], partners)
        copy_rows(
            "vacancies_vacancyhandover",
            ["vacancy_id", "from_user_id", "to_user_id", "from_organisation_id", "to_organisation_id", "reason",
             "employer_moved", "note", "handed_over_by_id", "handed_over_at"],
            self.handovers,
        )  # fmt: skip
        copy_rows("employers_accountholder", ["via", "added_at", "user_id", "employer_id"], self.account_holders)
        self.counts["recruitment plans (co-productions)"] = len(plans)

    def _vacancy_counts(self) -> dict[str, int]:
        statuses = defaultdict(int)
        for v in self.vacancies:
            statuses[v.status] += 1
        late = sum(1 for v in self.vacancies if v.registered - v.received > 24 * 3600)
        return {
            "vacancies": len(self.vacancies),
            **{f"  status {status}": statuses[status] for status in VacancyStatus.values},
            "  registered late (> 24 h, R-12)": late,
            "  co-production partner vacancies (R-19)": sum(1 for v in self.vacancies if v.parent),
            "vacancy handovers (R-13, R-24)": len(self.handovers),
        }

    def _funnel_counts(self) -> dict[str, int]:
        counts = self.counts
        referrals = sum(value for key, value in counts.items() if key.startswith("referrals "))
        shown = {"referrals": referrals}
        for status in ReferralStatus.values:
            shown[f"  status {status}"] = counts[f"referrals {status}"]
        for key in ("placements booked", "  durable", "  job agreement", "  short, with conditions",
                    "  with instruments", "placements ended by aftercare", "placements cancelled", "aftercare contacts",
                    "hires not booked yet", "hires without recruitment request (not booked, R-22)",
                    "hire attempts without a fitting candidate", "recruitment plans (co-productions)"):  # fmt: skip
            shown[key] = counts[key]
        return shown


def working_hours_between(rng, low: float, high: float) -> float:
    moment = working_hours(rng.uniform(low, high))
    return moment if low <= moment <= high else rng.uniform(low, high)
