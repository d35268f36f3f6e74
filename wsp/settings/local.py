"""Development: what a developer needs with nothing set, never used by the servers.

`manage.py` (and so `make run`) uses this module unless DJANGO_SETTINGS_MODULE names another; `wsp.settings.test`
builds on it. It adds to the base settings: DEBUG on, the public development secret key and the encryption keys
derived from it (R-40), local host names, and the embedded PostgreSQL under `var/` when DATABASE_URL is not set.
Each can still be set from the environment. wsgi.py, asgi.py, celery.py and the Docker image use
`wsp.settings.production`, which has none of these defaults.
"""

import base64
import hashlib

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, database_settings, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Public: it is in the repository. `manage.py check --deploy` rejects it (security.W009) and production never
# reads it.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])


def _derived_key(purpose: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256((purpose + ":" + SECRET_KEY).encode()).digest()).decode()


FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_derived_key("fernet")])
BSN_HASH_KEY = env.str("BSN_HASH_KEY", default=_derived_key("bsn-hash"))

if not DATABASES:
    from wsp.embedded_db import embedded_database_settings

    DATABASES = database_settings(embedded_database_settings(VAR_DIR, env.str("EMBEDDED_DATABASE_NAME", default="wsp")))
