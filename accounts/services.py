"""Writes for organisations, staff and API tokens (STYLE habit 2)."""

import secrets
from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ApiToken, Notification, Organisation, User
from .rules import require_staff

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


# --- Notices (home page and e-mail) --------------------------------------------------------------------------------


def notify(
    *,
    users: Iterable[User | None],
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = False,
) -> list[Notification]:
    """Put a notice on each user's home page, once per (user, kind, key), and e-mail it after the commit when asked.

    Called inside the caller's transaction, so a refused action leaves no notice. A notice that already exists for
    that subject is left as it is (no second e-mail): a repeated job or a retried task tells nobody twice. Inactive
    users and missing users (None) are skipped. Returns the notices created now.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        try:
            with transaction.atomic():
                notice, is_new = Notification.objects.get_or_create(
                    user=user, kind=kind, key=key, defaults={"title": title[:200], "body": body, "url": url}
                )
        except IntegrityError:  # the same notice was made on another connection a moment ago
            continue
        if is_new:
            created.append(notice)
    if email and created:
        from .tasks import email_notifications  # tasks import services; imported here to keep the order acyclic

        ids = [notice.pk for notice in created]
        # Robust: when the task runs in-process (no broker) and the mail server is down, the action that made the
        # notice stays done; the notices stay unsent (emailed_at empty) and the error is logged.
        transaction.on_commit(lambda: email_notifications.delay(ids), robust=True)
    return created


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Mark the user's own notices read (all unread ones when `ids` is None); nobody else's."""
    notices = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        notices = notices.filter(pk__in=list(ids))
    return notices.update(read_at=now or timezone.now())


def notifications_email(
    *, ids: Iterable[int], send: Callable[[Notification], None], now: datetime | None = None
) -> int:
    """E-mail the notices among `ids` that were not e-mailed yet, each at least once; returns how many were sent.

    Each notice in its own transaction: its row is locked (SKIP LOCKED: a parallel task leaves it to the task that
    holds it), `send(notice)` runs, and only after a successful send is `emailed_at` set. A failed send raises: that
    notice (and those after it) stays unmarked for the task's retry, the ones sent before stay marked. A crash
    between the send and the commit sends that notice again: at least once, twice at most, never silently lost.
    Notices of staff without an e-mail address are left alone (never e-mailed).
    """
    sent = 0
    pending = Notification.objects.filter(emailed_at__isnull=True).exclude(user__email="")
    for notice_id in sorted(set(ids)):
        with transaction.atomic():
            notice = (
                pending.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(pk=notice_id)
                .first()
            )
            if notice is None:  # e-mailed already, being e-mailed by another task, or nobody to e-mail
                continue
            send(notice)
            Notification.objects.filter(pk=notice.pk).update(emailed_at=now or timezone.now())
        sent += 1
    return sent


def daily_digest_email_set(*, user: User, enabled: bool) -> User:
    """The staff member turns the e-mail of their daily worklist on or off (the notice is always there). Only their
    own setting; an organisation token has none."""
    require_staff(user)
    User.objects.filter(pk=user.pk).update(daily_digest_email=bool(enabled), updated_at=timezone.now())
    user.daily_digest_email = bool(enabled)
    return user
