"""Writes for employers and their relations (STYLE habit 2).

Every rule of R-03..R-11 is enforced here, so the browser, the API, the admin and Celery pass through the same
code. Each service runs in one transaction and checks before it writes: a refusal leaves the data as it was.

One module per sub-domain: `employers` (entering and changing the record, and the checks the others share),
`ownership` (admission, takeover, reassignment), `lifecycle` (merge, cease, purge), `contacts` (contact moments and
contact requests) and `feedback`. Callers import from `employers.services`, which names them all.
"""

from .contacts import (
    MSG_RESPONSE_MOMENT,
    contact_moment_register,
    contact_request_register,
    contact_request_respond,
    contact_requests_flag_overdue,
)
from .duplicates import DUPLICATE_FIELDS, likely_duplicates_refresh
from .employers import (
    EDITABLE_FIELDS,
    MSG_ADMISSION_REQUIRED,
    MSG_PURGED,
    MSG_UNKNOWN_INSTRUMENT,
    VISIT_REPORT_FIELDS,
    VisitReport,
    employer_clock_start,
    employer_create,
    employer_update,
    instruments_clean,
    require_admission,
)
from .feedback import (
    FEEDBACK_ADVISER_ROLES,
    MSG_FEEDBACK_FUTURE,
    MSG_FEEDBACK_SCORE,
    MSG_IMPORT_REFUSED,
    FeedbackImportResult,
    FeedbackInput,
    feedback_import,
    feedback_register,
)
from .lifecycle import (
    COUNTED_FIELDS,
    IDENTIFYING_FIELDS,
    PurgeResult,
    employer_cease,
    employer_merge,
    employer_reactivate,
    employers_purge_ceased,
)
from .ownership import (
    access_request_create,
    access_request_decide,
    employer_ownership_move_agreed,
    employer_take_over,
    employers_reassign,
    takeover_possible_from,
)

__all__ = [
    # employers
    "DUPLICATE_FIELDS",
    "EDITABLE_FIELDS",
    "MSG_ADMISSION_REQUIRED",
    "MSG_PURGED",
    "MSG_UNKNOWN_INSTRUMENT",
    "VISIT_REPORT_FIELDS",
    "VisitReport",
    "employer_clock_start",
    "employer_create",
    "employer_update",
    "instruments_clean",
    "likely_duplicates_refresh",
    "require_admission",
    # ownership
    "access_request_create",
    "access_request_decide",
    "employer_ownership_move_agreed",
    "employer_take_over",
    "employers_reassign",
    "takeover_possible_from",
    # lifecycle
    "COUNTED_FIELDS",
    "IDENTIFYING_FIELDS",
    "PurgeResult",
    "employer_cease",
    "employer_merge",
    "employer_reactivate",
    "employers_purge_ceased",
    # contacts
    "MSG_RESPONSE_MOMENT",
    "contact_moment_register",
    "contact_request_register",
    "contact_request_respond",
    "contact_requests_flag_overdue",
    # feedback
    "FEEDBACK_ADVISER_ROLES",
    "MSG_FEEDBACK_FUTURE",
    "MSG_FEEDBACK_SCORE",
    "MSG_IMPORT_REFUSED",
    "FeedbackImportResult",
    "FeedbackInput",
    "feedback_import",
    "feedback_register",
]
