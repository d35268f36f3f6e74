"""Models of the employers app, one module per sub-domain; import them from `employers.models`.

pghistory puts the event models it generates (EmployerEvent, AccountHolderEvent, ContactMomentEvent,
ContactRequestEvent) on this module, under the app label "employers", as before the split.
"""

# The modules are imported in the order the models were defined in the single models.py, so the app registry (and
# with it Employer._meta.related_objects, which the merge walks) keeps the same order.
# isort: off
from .employers import (
    EMPLOYER_AUDIT_CONTACT,
    KVK_REGEX,
    NOTE_CONTACT_FUNCTION,
    POSTCODE_REGEX,
    Employer,
    EmployerQuerySet,
    kvk_validator,
    note_contact,
    postcode_validator,
)
from .ownership import AccessRequest, AccountHolder
from .contacts import ContactMoment, ContactMomentQuerySet, ContactRequest, instrument_labels, instrument_list
from .feedback import EmployerFeedback
from .lifecycle import EmployerMerge, PurgedEmployerTally
from .duplicates import LikelyDuplicate

# isort: on

__all__ = [
    "EMPLOYER_AUDIT_CONTACT",
    "KVK_REGEX",
    "NOTE_CONTACT_FUNCTION",
    "POSTCODE_REGEX",
    "AccessRequest",
    "AccountHolder",
    "ContactMoment",
    "ContactMomentQuerySet",
    "ContactRequest",
    "Employer",
    "EmployerFeedback",
    "EmployerMerge",
    "EmployerQuerySet",
    "LikelyDuplicate",
    "PurgedEmployerTally",
    "instrument_labels",
    "instrument_list",
    "kvk_validator",
    "note_contact",
    "postcode_validator",
]
