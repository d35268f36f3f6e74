"""Browser pages that bring vacancies and candidates together (Dutch UI): the vacancy page with its matches and
referral pipeline, candidates, placements and the adviser's home page.

These pages live here because this app knows both sides; they read through selectors and write through
services, so the browser meets exactly the rules the API meets. One module per page group (`home`, `vacancy_page`,
`candidates`, `placements`); every view is importable from here, as `matching.urls` does.
"""

from .candidates import (
    PAGE_SIZE,
    candidate_create,
    candidate_detail,
    candidate_edit,
    candidate_list,
    candidate_reviewed,
    weekly_overview,
    weekly_overview_email,
)
from .home import home
from .placements import (
    aftercare_register,
    instrument_labels,
    placement_book,
    placement_cancel,
    placement_correct,
    placement_detail,
    placement_durability,
)
from .vacancy_page import (
    MATCH_LIMIT,
    MATCH_LIMIT_MAX,
    referral_propose,
    referral_status,
    vacancy_close_with_placements,
    vacancy_detail,
)

__all__ = [
    "MATCH_LIMIT",
    "MATCH_LIMIT_MAX",
    "PAGE_SIZE",
    "aftercare_register",
    "candidate_create",
    "candidate_detail",
    "candidate_edit",
    "candidate_list",
    "candidate_reviewed",
    "home",
    "instrument_labels",
    "placement_book",
    "placement_cancel",
    "placement_correct",
    "placement_detail",
    "placement_durability",
    "referral_propose",
    "referral_status",
    "vacancy_close_with_placements",
    "vacancy_detail",
    "weekly_overview",
    "weekly_overview_email",
]
