"""Signals the employers app sends, so apps that depend on it can follow without employers importing them.

`employer_anonymised` (R-09): sent by `employers.services.lifecycle._anonymise` inside the purge's transaction and
its named pghistory action "purge", with `employer_ids` (the anonymised records and the tombstones merged into them)
and `now`. A receiver removes what identifies those employers in its own records (the vacancies app: titles,
descriptions, postcodes, notes and their audit-trail copies) and keeps what the figures count; it must be
idempotent. An exception in a receiver rolls the whole purge back.
"""

from django.dispatch import Signal

employer_anonymised = Signal()
