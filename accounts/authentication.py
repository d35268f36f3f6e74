"""`Authorization: Token <key>` against hashed, expiring, revocable keys (API.md); a worker remembers the tokens it
authenticated for a short while and forgets them at once on a revocation (`accounts.token_cache`)."""

import copy
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import token_cache
from .models import ApiToken
from .principals import OrganisationPrincipal

# Writing last_used_at on every call would turn each read into a write; once a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        key_hash = ApiToken.hash_key(key)
        current = token_cache.generation()
        token = token_cache.lookup(key_hash, current)
        if token is not None and token.expires_at is not None and token.expires_at <= timezone.now():
            token = None  # expired while held: asked again, and refused
        if token is None:
            token = (
                ApiToken.objects.usable()
                .select_related("user__organisation", "organisation")
                .filter(key_hash=key_hash)
                .first()
            )
            if token is not None:
                token_cache.keep(key_hash, token, current)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."), code="invalid_token")
        if token.user is not None and not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."), code="inactive_user")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # A copy per request: what a request sets on its user never reaches the next one.
        principal = (
            copy.copy(token.user) if token.user is not None else OrganisationPrincipal(organisation=token.organisation)
        )
        return principal, token
