"""Lockout after repeated wrong passwords (issue 7, security defects): on the login page and on the admin login,
keyed on user name and address together, with a Dutch message; API tokens are not affected (R-01)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from accounts.admin import administrators_group
from accounts.choices import Role
from accounts.services import api_token_create
from tests.factories import UserFactory
from wsp.middleware import client_ip_address

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
LOGINS = {"login page": "/inloggen/", "admin login": "/admin/login/"}
DUTCH_LOCKOUT = "Te vaak geprobeerd in te loggen"


@pytest.fixture
def staff(uwv):
    """Someone who may use both logins (the admin's needs is_staff)."""
    return UserFactory(username="sanne", organisation=uwv, is_staff=True)


@pytest.fixture
def demo_admin(uwv):
    user = UserFactory(username="beheer", organisation=uwv, role=Role.ADMIN, is_staff=True)
    administrators_group().user_set.add(user)
    return user


def attempt(client: Client, url: str, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGINS.values(), ids=LOGINS.keys())
def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, staff, url):
    for _ in range(20):
        attempt(client, url, "sanne", "wrong-password")
    response = attempt(client, url, "sanne", PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    # The same page, with the Dutch message where the form's errors go.
    assert DUTCH_LOCKOUT in response.content.decode()
    assert 'name="password"' in response.content.decode()


@pytest.mark.parametrize("url", LOGINS.values(), ids=LOGINS.keys())
def test_the_lockout_starts_at_the_failure_limit(client, staff, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, url, "sanne", "wrong-password")
        assert response.status_code == 200
        assert DUTCH_LOCKOUT not in response.content.decode()
    response = attempt(client, url, "sanne", "wrong-password")
    assert response.status_code == 429
    assert DUTCH_LOCKOUT in response.content.decode()


def test_the_lockout_is_for_that_user_name_at_that_address(staff, uwv):
    UserFactory(username="bram", organisation=uwv)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "/inloggen/", "sanne", "wrong-password", address="10.0.0.1")

    elsewhere, colleague, same = Client(), Client(), Client()
    assert attempt(elsewhere, "/inloggen/", "sanne", PASSWORD, address="10.0.0.2").status_code == 302
    assert logged_in(elsewhere)
    assert attempt(colleague, "/inloggen/", "bram", PASSWORD, address="10.0.0.1").status_code == 302
    assert logged_in(colleague)
    assert attempt(same, "/inloggen/", "sanne", PASSWORD, address="10.0.0.1").status_code == 429
    assert not logged_in(same)


def test_a_successful_login_resets_the_count(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "/inloggen/", "sanne", "wrong-password")
    assert attempt(client, "/inloggen/", "sanne", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "/inloggen/", "sanne", "wrong-password")
    assert attempt(client, "/inloggen/", "sanne", PASSWORD).status_code == 302


def test_after_the_cool_off_the_right_password_logs_in(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "/inloggen/", "sanne", "wrong-password")
    assert attempt(client, "/inloggen/", "sanne", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert attempt(client, "/inloggen/", "sanne", PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_administrator_lifts_the_lockout_in_the_admin(client, staff, demo_admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "/inloggen/", "sanne", "wrong-password")
    locked = AccessAttempt.objects.get(username="sanne")
    admin_client = Client()
    admin_client.force_login(demo_admin)
    response = admin_client.post(f"/admin/axes/accessattempt/{locked.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert attempt(client, "/inloggen/", "sanne", PASSWORD).status_code == 302


def test_api_tokens_are_not_affected_by_a_lockout_R01(staff):
    _token, key = api_token_create(user=staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "/inloggen/", "sanne", "wrong-password", address="127.0.0.1")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/users/me/").status_code == 200
    # Wrong keys are refused by the token check (401) and do not count as login attempts.
    attempts = AccessAttempt.objects.count()
    bad = Client(HTTP_AUTHORIZATION="Token not-a-key")
    assert [bad.get("/api/v1/users/me/").status_code for _ in range(10)] == [401] * 10
    assert AccessAttempt.objects.count() == attempts


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy configured: the header is the caller's to forge
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a forged entry further left is ignored
        (2, "198.51.100.1, 203.0.113.9", "198.51.100.1"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: the socket's address
    ],
)
def test_the_lockout_uses_the_address_the_trusted_proxies_saw(proxies, forwarded, expected):
    request = RequestFactory().post("/inloggen/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(WSP_TRUSTED_PROXY_COUNT=proxies):
        assert client_ip_address(request) == expected
