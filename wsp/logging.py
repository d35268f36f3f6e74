"""Logging helpers. R-40: a BSN is never written to a log.

`redact_bsn` recognises a BSN as nine digits standing alone, also written in groups with dots, spaces or hyphens
("1234.56.782", "123 456 782") and, in a URL, with the separators a browser encodes ("123+456+782", "%20", "%2E"):

* in a query string (a value after `?` or `&`, as a search box sends it) every such nine-digit number is replaced
  by "[BSN]", valid or not: a mistyped BSN is still the candidate's;
* elsewhere only a number that passes the BSN eleven-test is replaced: order numbers and phone numbers without
  separators are left alone, and the one in eleven of them that passes is redacted as well, the safe side.

A digit run of more or fewer than nine digits (counting across the separators) is not a BSN, so dates, times, amounts
and longer numbers stay readable. Numbers without their leading zero (eight digits) are not recognised.

`RedactBsnFilter` sits on the handlers in `settings.LOGGING` (so on Django's request and runserver logs, and on
Celery's). `GunicornLogger` is gunicorn's logger class (`wsp/gunicorn.conf.py`): it redacts every field of the access
log line (request line, path, query string, referrer) and filters the error log the same way.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as _GunicornBaseLogger

from matching.bsn import passes_eleven_test

REDACTED = "[BSN]"
_SEPARATOR = r"(?:[. \-+]|%20|%2[eE])"
# Nine digits with at most one separator between two of them, not part of a longer run of digit groups (nor of an
# amount with decimals, "123.456.782,50").
_BSN_LIKE = re.compile(
    r"(?<![0-9])(?<![0-9][. \-+,])(?<![0-9]%20)(?<![0-9]%2[eE])"
    rf"[0-9](?:{_SEPARATOR}?[0-9]){{8}}"
    rf"(?!(?:{_SEPARATOR}|,)?[0-9])"
)
_QUERY_VALUE = re.compile(r"(?<=[?&])([^\s?&#=]*=)([^\s&#\"']*)")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _digits(match: re.Match) -> str:
    return _NOT_DIGIT.sub("", match.group().replace("%20", "").replace("%2E", "").replace("%2e", ""))


def redact_bsn_everywhere(text: str) -> str:
    """`text` with every BSN-like nine-digit number replaced by "[BSN]", whether it passes the eleven-test or not."""
    return _BSN_LIKE.sub(REDACTED, text)


def redact_bsn(text: str) -> str:
    """`text` with every BSN replaced by "[BSN]": any nine-digit number in a query string, elsewhere those that pass
    the eleven-test."""
    if "=" in text:
        text = _QUERY_VALUE.sub(lambda m: m.group(1) + redact_bsn_everywhere(m.group(2)), text)
    return _BSN_LIKE.sub(lambda m: REDACTED if passes_eleven_test(_digits(m)) else m.group(), text)


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


class GunicornLogger(_GunicornBaseLogger):
    """gunicorn's logger with R-40 redaction: no BSN in the access log or the error log.

    Every value the access log format can print (request line `r`, path `U`, query string `q`, the headers such as
    the referrer `{referer}i`) is redacted before formatting; the query string as a whole, the rest as `redact_bsn`
    does. Error log records (a bad request line, a worker's traceback) pass `RedactBsnFilter`.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactBsnFilter) for f in logger.filters):
                logger.addFilter(RedactBsnFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str):
                atoms[key] = redact_bsn_everywhere(value) if key == "q" else redact_bsn(value)
        return atoms
