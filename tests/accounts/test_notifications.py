"""Notices on a staff member's home page, optionally e-mailed: one per subject, sent at most once, read only by
their own user."""

import pytest
from django.core import mail

from accounts.choices import NotificationKind
from accounts.models import Notification
from accounts.services import notifications_claim_for_email, notifications_mark_read, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(users, **extra):
    return notify(
        users=users,
        kind=NotificationKind.PLACEMENT_TO_BOOK,
        key="referral:1",
        title="Plaatsing boeken",
        url="/plaatsingen/",
        **extra,
    )


def test_a_notice_is_made_once_per_user_and_subject(adviser, colleague):
    first = _notify([adviser, colleague, adviser, None])
    again = _notify([adviser])

    assert [n.user for n in first] == [adviser, colleague]
    assert again == []
    assert Notification.objects.filter(key="referral:1").count() == 2


def test_inactive_staff_get_no_notice(adviser):
    gone = UserFactory(is_active=False)
    assert [n.user for n in _notify([adviser, gone])] == [adviser]


def test_e_mail_goes_out_after_the_commit_and_only_once(adviser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = _notify([adviser], email=True, body="Kandidaat aangenomen")
    assert len(mail.outbox) == 1
    assert (mail.outbox[0].subject, mail.outbox[0].to) == ("Plaatsing boeken", [adviser.email])
    assert "/plaatsingen/" in mail.outbox[0].body

    # A retried task finds the notice e-mailed already and sends nothing.
    assert notifications_claim_for_email(ids=[notice.pk]) == []
    with django_capture_on_commit_callbacks(execute=True):
        _notify([adviser], email=True)
    assert len(mail.outbox) == 1


def test_a_refused_action_leaves_no_notice(adviser):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _notify([adviser])
        raise RuntimeError("the action was refused")
    assert not Notification.objects.exists()


def test_only_the_own_notices_are_marked_read(client, adviser, colleague):
    [mine] = _notify([adviser])
    [theirs] = _notify([colleague])
    client.force_login(adviser)

    response = client.post(f"/meldingen/{theirs.pk}/gelezen/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    theirs.refresh_from_db()
    assert theirs.read_at is None

    client.post(f"/meldingen/{mine.pk}/gelezen/")
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert notifications_mark_read(user=colleague) == 1


def test_home_page_shows_the_unread_notices(client, adviser):
    _notify([adviser], body="Kandidaat 12 is aangenomen op Heftruckchauffeur")
    client.force_login(adviser)
    page = client.get("/").content.decode()
    assert "Plaatsing boeken" in page and "Kandidaat 12 is aangenomen" in page

    client.post("/meldingen/gelezen/")
    assert "Kandidaat 12 is aangenomen" not in client.get("/").content.decode()
