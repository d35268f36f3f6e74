"""`Authorization: Token <key>` against hashed, expiring, revocable keys (API.md)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken
from .principals import OrganisationPrincipal

# Writing last_used_at on every call would turn each read into a write; once a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.usable()
            .select_related("user__organisation", "organisation")
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."), code="invalid_token")
        if token.user is not None and not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."), code="inactive_user")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        principal = token.user if token.user is not None else OrganisationPrincipal(organisation=token.organisation)
        return principal, token
