"""The BSN building blocks (matching.bsn) and the log filter (wsp.logging).

R-40: the BSN is validated with the eleven-test, shown masked and never written to logs; a validation error never
repeats the value. R-58: the BSN is optional, so empty input is simply "no BSN" (masked as "", never required here).
"""

import io
import logging

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from matching.bsn import bsn_lookup_hash, is_valid_bsn, mask_bsn, normalise_bsn, validate_bsn
from wsp.crypto import keyed_hash
from wsp.logging import RedactBsnFilter, redact_bsn

VALID = ["111222333", "123456782", "012345672"]
INVALID = [
    "123456781",  # wrong check digit
    "111222334",  # wrong check digit
    "12345678a",  # a letter
    "1234567820",  # ten digits
    "1234567",  # seven digits
    "000000000",  # all zeros passes the sum, but is no BSN
    "00000000",  # eight zeros: padded to all zeros
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0662",  # Arabic-Indic digits for 123456782
    "",
    None,
]


# --- Normalising and the eleven-test ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.56.782", "123456782"),
        ("123 456 782", "123456782"),
        ("123-456-782", "123456782"),
        (" 123456782 ", "123456782"),
        ("12345672", "012345672"),  # eight digits: the leading zero was lost
        (12345672, "012345672"),
        (123456782, "123456782"),
        (None, ""),
    ],
)
def test_normalise_strips_separators_and_restores_the_leading_zero_R40(raw, expected):
    assert normalise_bsn(raw) == expected


@pytest.mark.parametrize("value", [*VALID, "1234.56.782", "12345672", 123456782])
def test_valid_bsns_pass_the_eleven_test_R40(value):
    assert is_valid_bsn(value)
    validate_bsn(value)  # does not raise


@pytest.mark.parametrize("value", INVALID)
def test_invalid_bsns_are_refused_R40(value):
    assert not is_valid_bsn(value)
    with pytest.raises(ValidationError) as caught:
        validate_bsn(value)
    assert caught.value.code == "bsn_invalid"


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("value", ["123456781", "1234.56.781", "12345678a", "1234567820"])
def test_the_error_message_never_contains_the_value_R40(value, language):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        validate_bsn(value)
    text = " ".join(str(message) for message in caught.value.messages) + repr(caught.value)
    assert text.strip()
    for fragment in (value, normalise_bsn(value), "6781", "781"):
        assert fragment not in text


# --- Masking and the lookup hash ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [("123456782", "******782"), ("1234.56.782", "******782"), ("12345672", "******672"), ("", ""), (None, "")],
)
def test_mask_shows_only_the_last_three_digits_R40(value, masked):
    assert mask_bsn(value) == masked


def test_lookup_hash_is_the_keyed_hash_of_the_normalised_bsn_R40():
    assert bsn_lookup_hash("1234.56.782") == bsn_lookup_hash("123456782") == keyed_hash("123456782")
    assert bsn_lookup_hash("12345672") == keyed_hash("012345672")
    assert "123456782" not in bsn_lookup_hash("123456782")
    default = bsn_lookup_hash("123456782")
    with override_settings(BSN_HASH_KEY="another-key"):
        assert bsn_lookup_hash("123456782") != default


# --- Logs (R-40: never in logs) ----------------------------------------------------------------------------------


@pytest.fixture
def log():
    """A logger writing to a string through the filter, formatted like a real handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactBsnFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.matching.redact")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_log_filter_redacts_a_valid_bsn_in_message_and_args_R40(log):
    logger, stream = log
    logger.info("candidate 123456782 registered")
    logger.info("candidate %s registered", "111222333")
    logger.info("candidate %d registered", 123456782)
    logger.info("candidate %(bsn)s registered", {"bsn": "012345672"})
    logger.info("bsn=123456782;")
    output = stream.getvalue()
    for bsn in ("123456782", "111222333", "012345672"):
        assert bsn not in output
    assert output.count("[BSN]") == 5


def test_log_filter_leaves_other_numbers_alone_R40(log):
    logger, stream = log
    logger.info("order %s, phone %s, kvk %s", "123456781", "0612345678", "12345678")
    logger.info("account 1234567820 and 123456782000")  # valid BSN inside a longer number is not a BSN
    output = stream.getvalue()
    assert "order 123456781, phone 0612345678, kvk 12345678" in output
    assert "account 1234567820 and 123456782000" in output
    assert "[BSN]" not in output


def test_log_filter_redacts_tracebacks_and_unformattable_records_R40(log):
    logger, stream = log
    try:
        raise ValueError("cannot save 123456782")
    except ValueError:
        logger.exception("saving failed")
    logger.info("%s and %s", "123456782")  # one argument short: would otherwise be printed raw in the error report
    output = stream.getvalue()
    assert "123456782" not in output
    assert "ValueError: cannot save [BSN]" in output
    assert "Traceback" in output


def test_redact_is_idempotent_R40():
    once = redact_bsn("a 123456782 b 123456781")
    assert once == "a [BSN] b 123456781"
    assert redact_bsn(once) == once


def test_every_configured_log_handler_redacts_R40():
    filters = settings.LOGGING["filters"]
    assert filters["redact_bsn"]["()"] == "wsp.logging.RedactBsnFilter"
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact_bsn" in handler.get("filters", []), name
    # The live configuration: root and django.server handlers carry the filter; Django's own unfiltered handlers
    # are gone from the django logger.
    live = [
        handler
        for handler in (*logging.getLogger().handlers, *logging.getLogger("django.server").handlers)
        if not type(handler).__module__.startswith("_pytest")  # pytest's own capturing handlers
    ]
    assert live
    for handler in live:
        assert any(isinstance(f, RedactBsnFilter) for f in handler.filters), handler
    assert logging.getLogger("django").handlers == []
