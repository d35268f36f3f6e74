"""Logging helpers. R-40: a BSN is never written to a log.

`RedactBsnFilter` sits on the handlers in `settings.LOGGING`. It replaces every standalone run of nine digits that
passes the BSN eleven-test with "[BSN]", in the formatted message (so in its arguments too), in the traceback and
in the stack info. Nine-digit numbers that fail the eleven-test (order numbers, phone numbers without separators)
are left alone; about one in eleven of them does pass and is redacted as well, which is the safe side.
Numbers written with separators ("1234.56.782") or without their leading zero are not recognised.
"""

from __future__ import annotations

import logging
import re

from matching.bsn import passes_eleven_test

REDACTED = "[BSN]"
_NINE_DIGITS = re.compile(r"(?<![0-9])[0-9]{9}(?![0-9])")


def redact_bsn(text: str) -> str:
    """`text` with every eleven-test-passing nine-digit run replaced by "[BSN]"."""
    return _NINE_DIGITS.sub(lambda match: REDACTED if passes_eleven_test(match.group()) else match.group(), text)


class RedactBsnFilter(logging.Filter):
    """Never drops a record; rewrites it so that no BSN reaches a handler's output."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message, unformattable = record.getMessage(), False
        except Exception:  # the handler would print msg and args raw in its error report: redact them here
            message, unformattable = f"{record.msg} (arguments that do not fit: {record.args!r})", True
        redacted = redact_bsn(message)
        if unformattable or redacted != message:
            # The message is formatted here; afterwards msg is the final text and there are no args left to apply.
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatter.format reuses exc_text when it is set, so the traceback is formatted (and redacted) once.
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_bsn(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_bsn(record.stack_info)
        return True
