"""`manage.py create_api_token` (API.md): prints a new key once; only its hash is stored."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_user_token_prints_only_the_key_and_stores_its_hash_R01(adviser):
    key = run("--user", adviser.username, "--name", "CRM-koppeling")

    assert len(key.split()) == 1 and len(key) >= 40
    token = ApiToken.objects.get()
    assert (token.user, token.organisation, token.read_only, token.name) == (adviser, None, False, "CRM-koppeling")
    assert token.key_hash == ApiToken.hash_key(key)
    assert token.expires_at is None


def test_the_key_itself_is_nowhere_in_the_database_R01(adviser):
    key = run("--user", adviser.username)
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(t)::text FROM accounts_apitoken t")
        stored = cursor.fetchone()[0]
    assert key not in stored
    assert key[:8] in stored  # only the prefix, to recognise it


def test_organisation_token_is_read_only_and_can_expire_R01(uwv):
    key = run("--organisation", "uwv", "--expires-days", "30")

    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert (token.organisation, token.user, token.read_only) == (uwv, None, True)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_read_only_user_token_R01(adviser):
    key = run("--user", adviser.username, "--read-only")
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).read_only is True


def test_each_call_makes_a_new_key_R01(adviser):
    assert run("--user", adviser.username) != run("--user", adviser.username)
    assert ApiToken.objects.filter(user=adviser).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--user", "nobody"), "nobody"),
        (("--organisation", "nowhere"), "nowhere"),
        (("--user", "anna", "--organisation", "uwv"), "exactly one"),
        ((), "exactly one"),
        (("--user", "anna", "--expires-days", "0"), "expires-days"),
    ],
)
def test_unknown_owner_or_both_or_neither_is_a_command_error_R01(adviser, uwv, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token_R01(uwv):
    UserFactory(username="gone", organisation=uwv, is_active=False)
    with pytest.raises(CommandError):
        run("--user", "gone")
    assert not ApiToken.objects.exists()
