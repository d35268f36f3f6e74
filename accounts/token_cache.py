"""Tokens remembered per process for a short while (issue "Speed at scale": the token lookup was 27% of a cheap API
request, most of it building the same SQL), and forgotten at once on every worker when one is revoked.

Each worker keeps the tokens it authenticated for `API_TOKEN_CACHE_SECONDS` (default 30). Every request also reads
one number from the shared cache (Redis in production): the token generation. Whatever changes who a token stands
for (a token revoked, deleted or changed, its user or organisation changed or deactivated) raises that number once
the change is committed, and a worker that sees a new number forgets every token it held. A revoked token is then
refused by the next request on every worker, not after the lifetime.

The generation is read before the database, so a worker never keeps a token read before a revocation under the
number after it. A change that bypasses the signals (a bulk `update()` in a shell) is caught by the lifetime. When
the shared cache cannot be reached, nothing is remembered: every request asks the database, as before.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

GENERATION_KEY = "api-tokens:generation"

_held: dict[str, tuple[float, object, object]] = {}  # key hash -> (kept until, token, generation)
_seen = {"generation": None}


def _shared():
    return caches[settings.WSP["TOKEN_SIGNAL_CACHE"]]


def generation():
    """The shared token generation, or None when the shared cache cannot be reached (or nothing is remembered)."""
    if settings.WSP["API_TOKEN_CACHE_SECONDS"] <= 0:
        return None
    try:
        # A random start: a shared cache emptied and written again never repeats a number a worker has seen.
        return _shared().get_or_set(GENERATION_KEY, secrets.randbits(48), timeout=None)
    except Exception:  # noqa: BLE001 - any failure of the shared cache: remember nothing
        return None


def lookup(key_hash: str, current):
    """The token this worker holds for `key_hash` under the generation `current`, or None."""
    if current is None:
        _held.clear()
        return None
    if current != _seen["generation"]:
        _held.clear()
        _seen["generation"] = current
        return None
    held = _held.get(key_hash)
    if held is None or held[0] < time.monotonic() or held[2] != current:
        return None
    return held[1]


def keep(key_hash: str, token, current) -> None:
    if current is None or settings.WSP["API_TOKEN_CACHE_SECONDS"] <= 0:
        return
    _held[key_hash] = (time.monotonic() + settings.WSP["API_TOKEN_CACHE_SECONDS"], token, current)


def forget_everywhere() -> None:
    """Raise the generation once the current transaction commits: every worker forgets its tokens."""

    def bump():
        _held.clear()
        try:
            shared = _shared()
            shared.add(GENERATION_KEY, secrets.randbits(48), timeout=None)
            shared.incr(GENERATION_KEY)
        except Exception:  # noqa: BLE001 - unreachable: the workers hold nothing without it either
            pass

    transaction.on_commit(bump)
