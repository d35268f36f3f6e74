"""API tokens remembered per process (`accounts.token_cache`): a held token costs no query, and whatever changes who
it stands for (revoked, expired, its user deactivated or given another role) is refused or seen at the next
request, in this process and in another one, through the shared cache's generation."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from accounts import token_cache
from accounts.choices import Role
from accounts.services import api_token_create, api_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


@pytest.fixture
def remembered(monkeypatch):
    """The per-process token cache on (the test settings turn it off so that query counts count the lookup)."""
    monkeypatch.setitem(settings.WSP, "API_TOKEN_CACHE_SECONDS", 30)
    token_cache._held.clear()
    yield
    token_cache._held.clear()


def _client(client, key):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def test_a_held_token_costs_no_query(remembered, client, django_assert_num_queries):
    token, key = api_token_create(user=UserFactory(role=Role.ADVISER))
    api = _client(client, key)
    assert api.get(ME).status_code == 200  # asked from the database, and held
    with django_assert_num_queries(0):
        assert api.get(ME).status_code == 200  # users/me/ reads nothing else: the token came from memory


def test_a_revoked_token_is_refused_at_the_next_request(remembered, client, django_capture_on_commit_callbacks):
    token, key = api_token_create(user=UserFactory(role=Role.ADVISER))
    api = _client(client, key)
    assert api.get(ME).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(token=token, at=timezone.now())
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_deactivated_user_and_a_new_role_are_seen_at_the_next_request(
    remembered, client, django_capture_on_commit_callbacks
):
    user = UserFactory(role=Role.ADVISER)
    _token, key = api_token_create(user=user)
    api = _client(client, key)
    assert api.get(ME).json()["role"] == "adviser"
    with django_capture_on_commit_callbacks(execute=True):
        user.role = Role.MANAGER
        user.save()
    assert api.get(ME).json()["role"] == "manager"
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save()
    assert api.get(ME).status_code == 401


def test_a_token_that_expires_while_held_is_refused(remembered, client, monkeypatch):
    _token, key = api_token_create(user=UserFactory(role=Role.ADVISER), expires_at=timezone.now() + timedelta(hours=1))
    api = _client(client, key)
    assert api.get(ME).status_code == 200
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr("accounts.authentication.timezone.now", lambda: later)
    monkeypatch.setattr("accounts.models.timezone.now", lambda: later)
    assert api.get(ME).status_code == 401


def test_after_its_lifetime_a_token_is_asked_again(remembered, client, monkeypatch, django_assert_num_queries):
    _token, key = api_token_create(user=UserFactory(role=Role.ADVISER))
    api = _client(client, key)
    api.get(ME)
    clock = token_cache.time.monotonic() + 31
    monkeypatch.setattr(token_cache.time, "monotonic", lambda: clock)
    with django_assert_num_queries(1):  # the token, again
        assert api.get(ME).status_code == 200


def test_without_the_shared_cache_nothing_is_held(remembered, client, monkeypatch, django_assert_num_queries):
    class Down:
        def get_or_set(self, *args, **kwargs):
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(token_cache, "_shared", lambda: Down())
    _token, key = api_token_create(user=UserFactory(role=Role.ADVISER))
    api = _client(client, key)
    assert api.get(ME).status_code == 200
    with django_assert_num_queries(1):  # asked from the database every time, and still served
        assert api.get(ME).status_code == 200


def test_a_login_does_not_make_the_workers_forget(remembered, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.ADVISER)
    before = token_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    assert token_cache.generation() == before


# --- Across processes: the revocation reaches a worker that holds the token -----------------------------------------

HOLDER = """
import sys
import django
django.setup()
from rest_framework.exceptions import AuthenticationFailed
from accounts.authentication import ApiTokenAuthentication

def ask():
    try:
        ApiTokenAuthentication().authenticate_credentials(sys.argv[1])
        return "accepted"
    except AuthenticationFailed:
        return "refused"

from django.db import connection
from django.test.utils import CaptureQueriesContext

print(ask(), flush=True)
with CaptureQueriesContext(connection) as queries:
    answer = ask()
tokens_read = sum("accounts_apitoken" in query["sql"] for query in queries.captured_queries)
print(answer, "held" if tokens_read == 0 else "asked", flush=True)
sys.stdin.readline()  # the test revokes the token meanwhile
print(ask(), flush=True)
"""


@pytest.mark.django_db(transaction=True)
def test_a_token_revoked_here_is_refused_at_once_by_another_process(monkeypatch):
    """The other process has the development settings and no Redis: its cache (and so its token signal) is the
    database's table, which this process writes the revocation to. Within the 30 seconds it holds the token."""
    from tests.test_settings_and_infra import ROOT, database_url

    monkeypatch.setitem(settings.WSP, "API_TOKEN_CACHE_SECONDS", 30)
    monkeypatch.setitem(settings.WSP, "TOKEN_SIGNAL_CACHE", "database")
    token, key = api_token_create(user=UserFactory(role=Role.ADVISER))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "wsp.settings.local",
    }
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, key],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "accepted", holder.stderr.read()
        assert holder.stdout.readline().strip() == "accepted held"  # from its memory, no token query
        api_token_revoke(token=token, at=timezone.now())  # committed at once (no test transaction around it)
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "refused"
    finally:
        holder.kill()
        holder.wait(timeout=10)
        caches["database"].delete(token_cache.GENERATION_KEY)
