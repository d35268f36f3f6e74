import logging

from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken

logger = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    """Throttles token callers per token (429 with code `throttled`); browser sessions are not throttled.

    The counts live in the default cache, which every process shares (Redis, or the database without it; see
    CACHES in wsp.settings.base), so three gunicorn workers do not allow three times the rate. While Redis cannot
    be reached the request is served without counting (and a warning logged): the throttle protects the API, an
    outage of its counter should not take the API down with it.
    """

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("API throttle not applied: the cache cannot be reached.", exc_info=True)
            return True
