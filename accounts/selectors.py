"""Reads for staff members (STYLE habit 3)."""

from django.db.models import QuerySet

from .models import Notification, User

HOME_NOTICES = 10


def notifications_for_home(*, user: User, limit: int = HOME_NOTICES) -> list[Notification]:
    """The user's unread notices, newest first (one query, answered by the partial `notification_unread` index)."""
    return list(Notification.objects.unread().filter(user=user)[:limit])


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """All of the user's own notices, newest first: nobody reads another's."""
    return Notification.objects.filter(user=user)
