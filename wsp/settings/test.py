"""Test settings: the development settings (wsp.settings.local), with tasks run eagerly, fast password hashing and
a cache of the test process's own.

The default cache is in memory even when Redis is configured (CI sets CELERY_BROKER_URL): a test's `cache.clear()`
then never empties a Redis that the broker or another xdist worker uses, and the query-count tests count the
application's queries, not the cache's (production's Redis costs none). The alias "database" is the database cache
of a machine without Redis: listing it makes Django's test runner create its table (`createcachetable`) in every test
database, and tests/api use it to show that the API throttle counts across processes.
"""

from .local import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/hour"}}  # noqa: F405
# Tokens are asked from the database at every request, as the query-count tests count them; tests/accounts turn the
# per-process token cache on where they test it.
# Likewise the kept figures (tests/reporting turn them on where they test them, with commits).
WSP = {**WSP, "API_TOKEN_CACHE_SECONDS": 0, "STATS_CACHE_SECONDS": 0}  # noqa: F405
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "wsp_cache"},
}
