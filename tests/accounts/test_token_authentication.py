"""`Authorization: Token <key>` (API.md): hashed keys that expire and can be revoked; organisation tokens and
read-only tokens only read (R-01)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
ORGANISATIONS = "/api/v1/organisations/"


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_user_token_authenticates_as_its_user_R01(adviser):
    _token, key = api_token_create(user=adviser)

    response = with_key(key).get(ME)

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["username"]) == (adviser.pk, "anna")


def test_token_use_is_recorded_R01(adviser):
    token, key = api_token_create(user=adviser)
    with_key(key).get(ME)
    token.refresh_from_db()
    assert abs(timezone.now() - token.last_used_at) < timedelta(minutes=1)


@pytest.mark.parametrize("header", ["Token not-a-key", "Token ", "Bearer abc", "Token a b"])
def test_wrong_or_malformed_key_is_401_R01(adviser, header):
    api_token_create(user=adviser)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ORGANISATIONS)
    assert response.status_code == 401
    assert set(response.json()) >= {"code", "detail"}


def test_expired_token_is_401_with_code_R01(adviser):
    _token, key = api_token_create(user=adviser, expires_at=timezone.now() - timedelta(seconds=1))
    response = with_key(key).get(ORGANISATIONS)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Token")


def test_revoked_token_is_401_with_code_R01(adviser):
    token, key = api_token_create(user=adviser, expires_at=timezone.now() + timedelta(days=1))
    assert with_key(key).get(ORGANISATIONS).status_code == 200

    api_token_revoke(token=token, at=timezone.now())

    response = with_key(key).get(ORGANISATIONS)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_of_inactive_user_is_401_R01(adviser):
    _token, key = api_token_create(user=adviser)
    adviser.is_active = False
    adviser.save()
    assert with_key(key).get(ORGANISATIONS).status_code == 401


def test_token_belongs_to_exactly_one_owner_R01(adviser, uwv):
    with pytest.raises(ValueError):
        api_token_create(user=adviser, organisation=uwv)
    with pytest.raises(ValueError):
        api_token_create()
    assert not ApiToken.objects.exists()


def test_organisation_token_reads_but_does_not_write_R01(uwv, counts):
    employer = EmployerFactory()
    _token, key = api_token_create(organisation=uwv)
    client = with_key(key)

    assert client.get(ORGANISATIONS).status_code == 200
    assert client.get("/api/v1/contact-moments/").status_code == 200
    before = counts()
    response = client.post(f"/api/v1/employers/{employer.pk}/access-requests/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert counts() == before


def test_organisation_token_has_no_me_R01(uwv):
    _token, key = api_token_create(organisation=uwv)
    response = with_key(key).get(ME)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_read_only_user_token_reads_but_does_not_write_R01(adviser, other_adviser, counts):
    employer = EmployerFactory(main_account_holder=other_adviser)
    _token, key = api_token_create(user=adviser, read_only=True)
    client = with_key(key)

    assert client.get(ME).status_code == 200
    before = counts()
    response = client.post(f"/api/v1/employers/{employer.pk}/access-requests/", {}, format="json")
    assert response.status_code == 403
    response = client.post(
        "/api/v1/contact-moments/",
        {"employer": employer.pk, "kind": "phone", "occurred_at": timezone.now().isoformat(), "summary": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert counts() == before


def test_read_only_token_of_a_manager_cannot_merge_or_reassign_R01(manager, adviser, colleague, counts):
    keep, duplicate = EmployerFactory(), EmployerFactory()
    EmployerFactory(main_account_holder=adviser)
    _token, key = api_token_create(user=manager, read_only=True)
    client = with_key(key)
    before = counts()

    merge = client.post(f"/api/v1/employers/{keep.pk}/merge/", {"merge": duplicate.pk}, format="json")
    reassign = client.post(
        "/api/v1/employers/reassign/", {"from_user": adviser.pk, "to_users": [colleague.pk]}, format="json"
    )

    assert (merge.status_code, reassign.status_code) == (403, 403)
    assert counts() == before


def test_no_credentials_is_401_not_403_R01(api_client):
    for method, path in (
        ("get", ORGANISATIONS),
        ("post", "/api/v1/contact-moments/"),
        ("post", "/api/v1/employers/reassign/"),
    ):
        response = getattr(api_client, method)(path, {}, format="json")
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_authenticated"
