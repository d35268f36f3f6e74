"""Writes for organisations, staff and API tokens (STYLE habit 2)."""

import secrets
from datetime import datetime

from django.db import transaction

from .models import ApiToken, Organisation, User

TOKEN_BYTES = 30


@transaction.atomic
def api_token_create(
    *,
    user: User | None = None,
    organisation: Organisation | None = None,
    read_only: bool = False,
    name: str = "",
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; the key itself is never stored, only its hash."""
    if (user is None) == (organisation is None):
        raise ValueError("A token belongs to exactly one user or one organisation.")
    key = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user=user,
        organisation=organisation,
        # Organisation tokens are data pulls without an acting person: read-only by construction.
        read_only=read_only or organisation is not None,
        name=name,
        expires_at=expires_at,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, at: datetime) -> ApiToken:
    token.revoked_at = at
    token.save(update_fields=["revoked_at"])
    return token
