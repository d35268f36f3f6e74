"""Writes for the referral register: proposing candidates and moving them through the funnel (R-16..R-18, R-21,
R-24, R-41, R-43).

Every service runs in one transaction, locks the vacancy row first (then the referral) and checks before it
writes, so a refusal leaves the data as it was and two advisers acting on one vacancy are serialised.

One module per part: `proposals` (the register entry), `status` (the funnel, a hire that falls through), `who_books`
(who books a hired candidate, R-23..R-25) and `common`; every name is importable from here.
"""

from accounts.rules import require_staff
from wsp.inputs import full_clean

from .common import lock_vacancy
from .proposals import has_recruitment_plan, referral_propose
from .status import referral_set_status
from .who_books import (
    BOOKER_LEFT_SUFFIX,
    HIRE_NOTICE_SUFFIXES,
    BookingPlan,
    booking_plan,
    co_production_vacancy_of,
    is_two_to_nine_original,
    partner_adviser,
    refuse_outside_own_vacancy,
)

__all__ = [
    "BOOKER_LEFT_SUFFIX",
    "HIRE_NOTICE_SUFFIXES",
    "BookingPlan",
    "booking_plan",
    "co_production_vacancy_of",
    "full_clean",
    "has_recruitment_plan",
    "is_two_to_nine_original",
    "lock_vacancy",
    "partner_adviser",
    "referral_propose",
    "referral_set_status",
    "refuse_outside_own_vacancy",
    "require_staff",
]
