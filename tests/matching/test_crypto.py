"""Encryption at rest and the keyed hash (wsp.crypto), and the production keys (wsp.settings.production).

R-40: the BSN is stored encrypted and never in exports; lookups go through a keyed hash. R-58: the BSN is optional,
so the field stores "" and NULL as they are.
"""

import json

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core import serializers
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from tests.test_settings_and_infra import PRODUCTION_ENV, manage
from wsp.crypto import EncryptedTextField, decrypt_text, encrypt_text, keyed_hash, rotate_text

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


# --- encrypt / decrypt / rotate ----------------------------------------------------------------------------------


def test_round_trip_R40():
    for text in ("123456782", "", "é ü — unicode"):
        assert decrypt_text(encrypt_text(text)) == text


def test_tokens_hide_the_plaintext_and_differ_every_time_R40():
    first, second = encrypt_text("123456782"), encrypt_text("123456782")
    assert "123456782" not in first
    assert first != second
    assert decrypt_text(first) == decrypt_text(second) == "123456782"


def test_a_token_from_another_key_is_refused_R40():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        token = encrypt_text("123456782")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(InvalidToken):
        decrypt_text(token)
    with pytest.raises(InvalidToken):
        decrypt_text("not a token")


def test_rotation_new_key_first_keeps_old_tokens_readable_R40():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        old_token = encrypt_text("123456782")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert decrypt_text(old_token) == "123456782"
        new_token = encrypt_text("111222333")
        rotated = rotate_text(old_token)
        assert rotated != old_token
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        # After re-encryption the old key can be dropped.
        assert decrypt_text(rotated) == "123456782"
        assert decrypt_text(new_token) == "111222333"
        with pytest.raises(InvalidToken):
            decrypt_text(old_token)


def test_the_override_is_undone_afterwards_R40():
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        token = encrypt_text("123456782")
    with pytest.raises(InvalidToken):
        decrypt_text(token)


@pytest.mark.parametrize("keys", [[], "", ["not-a-fernet-key"]])
def test_missing_or_malformed_keys_are_a_configuration_error_without_the_key_in_it_R40(keys):
    with override_settings(FIELD_ENCRYPTION_KEYS=keys), pytest.raises(ImproperlyConfigured) as caught:
        encrypt_text("123456782")
    assert "not-a-fernet-key" not in str(caught.value)


# --- keyed hash --------------------------------------------------------------------------------------------------


def test_keyed_hash_is_stable_and_depends_on_the_key_R40():
    digest = keyed_hash("123456782")
    assert digest == keyed_hash("123456782")
    assert len(digest) == 64 and "123456782" not in digest
    assert keyed_hash("111222333") != digest
    with override_settings(BSN_HASH_KEY="another-key"):
        assert keyed_hash("123456782") != digest
    with override_settings(BSN_HASH_KEY=""), pytest.raises(ImproperlyConfigured):
        keyed_hash("123456782")


# --- EncryptedTextField ------------------------------------------------------------------------------------------


def test_field_deconstructs_like_a_text_field_R40():
    field = EncryptedTextField(null=True, blank=True)
    name, path, args, kwargs = field.deconstruct()
    assert path == "wsp.crypto.EncryptedTextField"
    assert (args, kwargs) == ([], {"null": True, "blank": True})
    assert isinstance(EncryptedTextField(*args, **kwargs), models.TextField)


def test_field_conversions_pass_empty_values_through_R40():
    field = EncryptedTextField()
    for empty in ("", None):
        assert field.get_prep_value(empty) == empty
        assert field.from_db_value(empty, None, connection) == empty
        assert field.to_python(empty) == empty
    token = field.get_prep_value("123456782")
    assert token != "123456782"
    assert field.from_db_value(token, None, connection) == "123456782"
    assert field.to_python(token) == field.to_python("123456782") == "123456782"
    # A token handed back in is not encrypted twice.
    assert decrypt_text(field.get_prep_value(token)) == "123456782"


@pytest.fixture
def candidate_model():
    """A throw-away model with an encrypted column, created and dropped inside the test's transaction."""
    with isolate_apps("matching"):

        class Person(models.Model):
            bsn = EncryptedTextField(null=True, blank=True)

            class Meta:
                app_label = "matching"

            def __str__(self) -> str:
                return f"person {self.pk}"

        with connection.schema_editor() as editor:
            editor.create_model(Person)
        yield Person


@pytest.mark.django_db
def test_field_stores_the_token_and_gives_plaintext_R40(candidate_model):
    person = candidate_model.objects.create(bsn="123456782")
    empty = candidate_model.objects.create(bsn="")
    missing = candidate_model.objects.create(bsn=None)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, bsn FROM {candidate_model._meta.db_table} ORDER BY id")
        raw = dict(cursor.fetchall())
    assert raw[empty.pk] == "" and raw[missing.pk] is None
    assert "123456782" not in raw[person.pk]
    assert decrypt_text(raw[person.pk]) == "123456782"

    assert candidate_model.objects.get(pk=person.pk).bsn == "123456782"
    person.refresh_from_db()
    assert person.bsn == "123456782"
    assert candidate_model.objects.filter(bsn__isnull=True).get() == missing
    assert candidate_model.objects.filter(bsn__isnull=False).count() == 2
    assert list(candidate_model.objects.values_list("bsn", flat=True).order_by("pk")) == ["123456782", "", None]


@pytest.mark.django_db
def test_field_refuses_lookups_that_could_never_match_R40(candidate_model):
    candidate_model.objects.create(bsn="123456782")
    for lookup in ({"bsn": "123456782"}, {"bsn__in": ["123456782"]}, {"bsn__contains": "782"}):
        with pytest.raises(FieldError):
            list(candidate_model.objects.filter(**lookup))


@pytest.mark.django_db
def test_serialised_rows_hold_the_token_not_the_bsn_R40(candidate_model):
    person = candidate_model.objects.create(bsn="123456782")
    dumped = serializers.serialize("json", [person])
    assert "123456782" not in dumped
    assert decrypt_text(json.loads(dumped)[0]["fields"]["bsn"]) == "123456782"
    # What the deserialiser (loaddata) does with the value: a token made with a configured key becomes plaintext.
    token = json.loads(dumped)[0]["fields"]["bsn"]
    assert candidate_model._meta.get_field("bsn").to_python(token) == "123456782"


# --- production keys -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variable", ["FIELD_ENCRYPTION_KEYS", "BSN_HASH_KEY"])
def test_production_refuses_to_start_without_the_keys_R40(variable):
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "x" * 60}
    del env[variable]
    result = manage("check", **env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_refuses_empty_keys_R40():
    result = manage("check", **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "x" * 60, "FIELD_ENCRYPTION_KEYS": ""})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
