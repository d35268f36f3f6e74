"""The BSN (burgerservicenummer, Dutch citizen service number) of a candidate: validate, mask, hash.

R-40: the BSN is validated with the eleven-test, stored encrypted (`wsp.crypto.EncryptedTextField`), shown masked
(`mask_bsn`) and never written to logs or exports (`wsp.logging.RedactBsnFilter`; error messages here never contain
the value). Lookups and uniqueness go through `bsn_lookup_hash`, a keyed hash, never through the plaintext.
R-58: the BSN is optional; nothing here makes it compulsory.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wsp.crypto import keyed_hash

_SEPARATORS = re.compile(r"[\s.\-]")
_NINE_DIGITS = re.compile(r"[0-9]{9}")


def normalise_bsn(value) -> str:
    """Strip spaces, dots and hyphens; an 8-digit number (leading zero lost) gets its zero back.

    Anything else is returned stripped but otherwise as it was, for `is_valid_bsn` to refuse.
    """
    if value is None:
        return ""
    digits = _SEPARATORS.sub("", str(value))
    if len(digits) == 8 and digits.isascii() and digits.isdigit():
        digits = "0" + digits
    return digits


def passes_eleven_test(digits: str) -> bool:
    """The BSN eleven-test on exactly nine ASCII digits: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11."""
    if not _NINE_DIGITS.fullmatch(digits):
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(weight * int(digit) for weight, digit in zip(weights, digits, strict=True)) % 11 == 0


def is_valid_bsn(value) -> bool:
    """Nine digits after normalising, passing the eleven-test, and not all zeros."""
    digits = normalise_bsn(value)
    return digits != "000000000" and passes_eleven_test(digits)


def validate_bsn(value) -> None:
    """Django validator. The message never contains the value (R-40: it may end up in logs or on screen)."""
    if not is_valid_bsn(value):
        raise ValidationError(
            _("This is not a valid BSN: it must be 9 digits and pass the eleven-test."), code="bsn_invalid"
        )


def mask_bsn(value) -> str:
    """Only the last three digits visible, e.g. `******782`; empty or missing gives ""."""
    digits = normalise_bsn(value)
    if not digits:
        return ""
    return "*" * 6 + digits[-3:]


def bsn_lookup_hash(value) -> str:
    """Keyed hash of the normalised BSN, for a unique/indexed lookup column next to the encrypted one."""
    return keyed_hash(normalise_bsn(value))
