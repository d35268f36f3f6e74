"""Writes for placements: booking (R-20, R-22..R-25), closing a 2-9 vacancy with its duplicates (R-25), corrections
and cancellations (never a delete), aftercare that may end a placement (R-32) and the daily durability check (R-30,
R-31).

Each service runs in one transaction, locks the vacancy row before the placement or referral rows, and checks
before it writes: a refusal leaves the data as it was.

No backdating (R-22, R-57): a placement starts on or after the day the vacancy was received and the day the
candidate was proposed on it, and at most START_AHEAD_MONTHS ahead; a database trigger holds the first two as well
(matching.models.START_AFTER_RECEIPT_AND_PROPOSAL). Durability counts only time that has passed (R-30).

One module per sub-domain; every name is importable from here, as before the split:

* `booking`: the start window, `placement_book` and hires whose booker left (R-20, R-22..R-25, R-31, R-33, R-57);
* `closing`: `vacancy_close_with_placements` and the chain partners' duplicates (R-25);
* `corrections`: `placement_correct` and `placement_cancel` (R-57);
* `aftercare`: `aftercare_register` and the daily reminders (R-32);
* `durability`: the derived values and the daily check (R-30).
"""

from .aftercare import AFTERCARE_REMINDER_EVERY_DAYS, aftercare_register, aftercare_reminders_send, remind_today
from .booking import (
    MAX_DURATION_YEARS,
    RELATIONS,
    START_AHEAD_MONTHS,
    StartWindow,
    booker_of,
    hires_of_departed_bookers_notify,
    latest_end,
    placement_book,
    start_window,
)
from .closing import vacancy_close_with_placements
from .corrections import CORRECTABLE_FIELDS, placement_cancel, placement_correct
from .durability import (
    DurabilityCheck,
    durability_on,
    durable_after_for,
    is_short,
    placements_check_durability,
)

__all__ = [
    "AFTERCARE_REMINDER_EVERY_DAYS",
    "CORRECTABLE_FIELDS",
    "MAX_DURATION_YEARS",
    "RELATIONS",
    "START_AHEAD_MONTHS",
    "DurabilityCheck",
    "StartWindow",
    "aftercare_register",
    "aftercare_reminders_send",
    "booker_of",
    "durability_on",
    "durable_after_for",
    "hires_of_departed_bookers_notify",
    "is_short",
    "latest_end",
    "placement_book",
    "placement_cancel",
    "placement_correct",
    "placements_check_durability",
    "remind_today",
    "start_window",
    "vacancy_close_with_placements",
]
