"""The referral register of the demo (R-17, R-21, R-43): the proposals that did not lead to a hire, and the rows.

A mixin of `funnel.Funnel`, which decides the hires first. The other proposals: about three more per hire on the
vacancies that were filled (four proposals per successful match, R-43), the rest spread over the vacancies that
accepted referrals (not blocked, R-16), each by the vacancy's owner at that moment (R-17) of a candidate of any
partner (R-18) who was work-ready, not hired elsewhere and met the requirements then. Still-open proposals only on
open vacancies, for candidates available now. Every step is a `ReferralStatusChange`, in order (R-21).

A few of the withdrawn ones are hires that fell through: the owner's own candidate was hired on a vacancy with a
recruitment request and the owner withdrew the hire with a reason before it was booked (R-21: hired -> withdrawn;
the funnel counts it as hired, never as booked, R-43). The candidate was not hired elsewhere in between.
"""

import math

from matching.choices import ReferralStatus
from vacancies.choices import VacancyStatus, Visibility

from .bulk import DAY, stamp
from .vocabulary import REFERRAL_NOTES, WITHDRAW_REASONS

PROPOSED, INVITED, HIRED = ReferralStatus.PROPOSED.value, ReferralStatus.INVITED.value, ReferralStatus.HIRED.value
REJECTED, WITHDRAWN = ReferralStatus.REJECTED.value, ReferralStatus.WITHDRAWN.value
EXTRA_PROPOSALS_PER_HIRE = 3  # four proposals per successful match
# the share of the withdrawn proposals of the owner's own candidates that were hires which fell through.
HIRE_FELL_THROUGH_SHARE = 0.25
HIRE_FELL_THROUGH_REASONS = [
    "Kandidaat is niet begonnen: elders een baan aangenomen.",
    "Werkgever heeft de aanname teruggedraaid voor de startdatum.",
    "Kandidaat is voor de start ziek geworden; de werkgever zoekt verder.",
]


class Proposals:
    """The referral-register half of `funnel.Funnel` (it provides rng, c, vacancies, streams and counters)."""

    def _window(self, v) -> tuple[float, float]:
        """When the owner could propose candidates: from registration (or the R-13 handover) until it closed,
        expired, was hired on (one position: the R-24 owner then changes) or now."""
        if v.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
            end = v.closed_at
        elif v.status == VacancyStatus.EXPIRED:
            end = v.expires_end - 600
        else:
            end = self.now - 60
        if v.first_hire and v.requested == 1:
            end = min(end, v.first_hire - 60)
        return v.start + 300, end

    def _refer(self) -> None:
        rng = self.rng
        hired = self.next_referral_id - self.first_referral_id
        budget = max(0, self.n_referrals - hired)
        with_hires = [v for v in self.vacancies if v.hires]
        others = [
            v for v in self.vacancies
            if not v.hires and v.visibility != Visibility.BLOCKED and _span(self._window(v)) > 2 * 3600
        ]  # fmt: skip
        wanted_extra = EXTRA_PROPOSALS_PER_HIRE * sum(v.hires for v in with_hires)
        factor = min(1.0, budget / wanted_extra) if wanted_extra else 0.0
        rest = budget - factor * wanted_extra
        per_other = rest / len(others) if others else 0.0
        carry = 0.0
        for v in self.vacancies:
            if v.visibility == Visibility.BLOCKED:
                continue
            window = self._window(v)
            if _span(window) <= 2 * 3600:
                continue
            if v.hires:
                n = _poisson(rng, EXTRA_PROPOSALS_PER_HIRE * v.hires * factor)
            else:
                n = _poisson(rng, per_other) + int(carry)
                carry -= int(carry)
            made = attempts = 0
            # R-43 on filled vacancies: retry a missed proposal with another candidate; elsewhere carry it over.
            while made < n and attempts < (3 * n if v.hires else n):
                attempts += 1
                made += self._proposal(v, window)
            if not v.hires:
                carry = min(carry + n - made, 50)

    def _proposal(self, v, window) -> bool:
        """One referral that did not lead to a hire: still open, rejected by the employer or withdrawn."""
        rng = self.rng
        c = self.c
        start, end = window
        proposed_at = rng.uniform(start, end - 3600)
        active = (
            v.status == VacancyStatus.OPEN and not v.hires and self.now - proposed_at < 45 * DAY and rng.random() < 0.6
        )
        use = self.any_pool
        if active:
            i = self._search(v, use, (), proposed_at, self.now + 1, tries=6, active=True)
        else:
            i = self._search(v, use, (), proposed_at, proposed_at + 1, tries=6)
        if i is None:
            return False
        referrer = v.partner_hire[1] if v.partner_hire else v.owner
        org = self.s.org_of[referrer]
        steps = [(PROPOSED, proposed_at)]
        if active:
            if rng.random() < 0.45:
                steps.append((INVITED, proposed_at + rng.uniform(0.1, 10) * DAY))
        else:
            if rng.random() < 0.35:
                steps.append((INVITED, proposed_at + rng.uniform(0.1, 10) * DAY))
            final = REJECTED if rng.random() < 0.65 else WITHDRAWN
            steps.append((final, steps[-1][1] + rng.uniform(0.1, 20) * DAY))
        steps = _fit(steps, end)
        by = [referrer] * len(steps)
        withdraw_reasons = None
        if steps[-1][0] == WITHDRAWN and c.org[i] == org and v.recruitment_request:
            fell_through = self._hire_fell_through(i, steps)
            if fell_through is not None:
                steps, by, withdraw_reasons = fell_through, [referrer] * len(fell_through), HIRE_FELL_THROUGH_REASONS
        if steps[-1][0] == WITHDRAWN and withdraw_reasons is None and rng.random() < 0.5:
            by[-1] = c.adviser[i]  # the candidate's own organisation may withdraw its candidate
        reason = ""
        if steps[-1][0] == REJECTED:
            reason = "other_candidate" if v.hires and rng.random() < 0.6 else self.rejection_of(rng)
        referral_id = self.next_referral_id
        self.next_referral_id += 1
        self._referral_rows(
            referral_id, v, i, referrer, org, steps, reason, self._pawa(org), by, withdraw_reasons=withdraw_reasons
        )
        v.referred.add(i)
        return True

    def _hire_fell_through(self, i: int, steps: list) -> list | None:
        """R-21: the withdrawn proposal as a hire that fell through (a share of them): hired between the last step
        before the withdrawal and the withdrawal, while the candidate was hired nowhere else; None otherwise."""
        rng = self.rng
        if rng.random() >= HIRE_FELL_THROUGH_SHARE:
            return None
        before, (_withdrawn, withdrawn_at) = steps[-2][1], steps[-1]
        if withdrawn_at - before < 2 * 3600:
            return None
        hired_at = before + (withdrawn_at - before) * rng.uniform(0.2, 0.6)
        if not self.c.is_free(i, hired_at, withdrawn_at):
            return None
        self.c.occupy(i, hired_at, withdrawn_at)
        self.counts["hires that fell through (withdrawn, R-21)"] += 1
        return [*steps[:-1], (HIRED, hired_at), steps[-1]]

    def _referral_rows(
        self, referral_id, v, i, referrer, org, steps, rejection_reason, pawa, by, booker=None, withdraw_reasons=None
    ) -> None:
        """The register entry and its lines; a hired one with who books it (R-23..R-25), decided at the hire. A
        withdrawal's reason comes from `withdraw_reasons` (default: a proposal's, which may be empty; a hire that fell
        through always has one, R-21)."""
        rng = self.rng
        status, changed_at = steps[-1]
        proposed_at = stamp(steps[0][1])
        last = stamp(changed_at)
        note = rng.choice(REFERRAL_NOTES)
        booker_id = booker if status == HIRED and booker is not None else "\\N"
        self.referral_stream.line(
            f"{referral_id}\t{v.id}\t{self.c.id(i)}\t{referrer}\t{org}\t{proposed_at}\t{status}\t{last}\t"
            f"{rejection_reason}\t{note}\t{'t' if pawa else 'f'}\t{proposed_at}\t{last}\t{booker_id}"
        )
        previous = ""
        change = self.change_stream.line
        for (to_status, at), user in zip(steps, by, strict=True):
            reason = ""
            if to_status == WITHDRAWN:
                reason = rng.choice(withdraw_reasons or WITHDRAW_REASONS)
            change(f"{referral_id}\t{previous}\t{to_status}\t{user}\t{stamp(at)}\t{reason}")
            previous = to_status
        self.counts[f"referrals {status}"] += 1


def _span(window) -> float:
    return window[1] - window[0]


def _fit(steps: list, end: float) -> list:
    """Squeeze the steps of a referral into [first step, end], keeping them in order at least a minute apart."""
    first = steps[0][1]
    last = steps[-1][1]
    if last > end:
        scale = (end - first) / (last - first) if last > first else 0.0
        steps = [(status, first + (at - first) * scale) for status, at in steps]
    fitted = []
    previous = None
    for status, at in steps:
        if previous is not None and at < previous + 60:
            at = previous + 60
        fitted.append((status, at))
        previous = at
    return fitted


def _poisson(rng, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, int(rng.gauss(mean, math.sqrt(mean)) + 0.5))
    limit = math.exp(-mean)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
