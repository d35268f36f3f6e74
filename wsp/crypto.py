"""Encryption at rest and keyed hashing for personal data such as the BSN (R-40).

R-40: a candidate's BSN is stored encrypted, shown masked, and never appears in logs or exports. This module gives
the storage half:

* `encrypt_text` / `decrypt_text`: Fernet (AES-128-CBC + HMAC-SHA256, authenticated) through `MultiFernet`.
  `settings.FIELD_ENCRYPTION_KEYS` is a list of urlsafe-base64 Fernet keys; the first one encrypts, every one of
  them decrypts. Rotating keys = put a new key first, re-encrypt the stored tokens with `rotate_text` (a data
  migration or command), then drop the old key.
* `keyed_hash`: HMAC-SHA256 with `settings.BSN_HASH_KEY`, for looking a value up or making it unique without storing
  it readably (a Fernet token differs on every encryption, so it cannot be compared or indexed).
* `EncryptedTextField`: a `TextField` that keeps the Fernet token in the database and plaintext in Python.

Changing `BSN_HASH_KEY` changes every hash: the hash column then has to be recomputed from the decrypted values.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

__all__ = [
    "EncryptedTextField",
    "InvalidToken",
    "decrypt_text",
    "encrypt_text",
    "keyed_hash",
    "rotate_text",
]


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if isinstance(keys, str | bytes) or not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be a non-empty list of Fernet keys.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (TypeError, ValueError) as error:  # the keys themselves are never put in the message
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key.") from error


@receiver(setting_changed)
def _reset_fernet(*, setting: str, **kwargs) -> None:
    """`override_settings(FIELD_ENCRYPTION_KEYS=...)` takes effect at once (and is undone afterwards)."""
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernet.cache_clear()


def encrypt_text(value: str) -> str:
    """Encrypt `value` with the primary (first) key; the token differs on every call."""
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    """Decrypt a token made with any configured key; raises `cryptography.fernet.InvalidToken` otherwise."""
    return _fernet().decrypt(token.encode("ascii")).decode()


def rotate_text(token: str) -> str:
    """Re-encrypt a token with the primary key (`MultiFernet.rotate`); the plaintext is never returned."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 hex digest of `value` with `settings.BSN_HASH_KEY`: stable, unreadable without the key."""
    key = settings.BSN_HASH_KEY
    if not key:
        raise ImproperlyConfigured("BSN_HASH_KEY must be set.")
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def _decrypt_if_token(value: str) -> str:
    try:
        return decrypt_text(value)
    except (InvalidToken, UnicodeEncodeError):
        return value


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with `encrypt_text`; model instances hold the plaintext.

    * `None` and `""` are stored as they are (so `null=True`/`blank=True` behave as on a TextField).
    * Lookups: only `isnull` works. Every encryption gives a different token, so `exact`, `in`, `contains` etc.
      could never match; they raise `FieldError` instead of silently finding nothing. Look values up through a
      separate `keyed_hash` column (see `matching.bsn.bsn_lookup_hash`). Ordering by this column is meaningless.
    * Serialisation (`dumpdata`, R-40 "never in exports") writes the token, not the plaintext; `to_python` accepts
      either a token made with a configured key or plaintext, so `loaddata` with the same keys round-trips.
    * The field takes no options of its own, so migrations deconstruct it like a TextField.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or value == "":
            return value
        return _decrypt_if_token(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)  # TextField: to_python, so a token passed in is not encrypted twice
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, name):
        return None
