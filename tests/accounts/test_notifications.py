"""Notices on a staff member's home page, optionally e-mailed: one per subject, e-mailed at least once (marked only
after the mail server accepted it) and not again once sent, read only by their own user."""

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings

from accounts.choices import NotificationKind
from accounts.models import Notification
from accounts.services import notifications_email, notifications_mark_read, notify
from accounts.tasks import email_notifications
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
    assert email_notifications.delay([notice.pk]).get() == 0
    assert notifications_email(ids=[notice.pk], send=lambda n: pytest.fail("sent twice")) == 0
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


# --- E-mail that fails -----------------------------------------------------------------------------------------

FAILING = {"smtp": 0}


class FailingBackend(LocmemBackend):
    """A mail server that refuses every message (as when it is down), or only those to an address in `refuse`."""

    refuse: set[str] | None = None

    def send_messages(self, messages):
        if FailingBackend.refuse is None or any(set(m.to) & FailingBackend.refuse for m in messages):
            FAILING["smtp"] += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def failing_mail():
    FAILING["smtp"], FailingBackend.refuse = 0, None
    with override_settings(EMAIL_BACKEND="tests.accounts.test_notifications.FailingBackend"):
        yield FailingBackend
    FailingBackend.refuse = None


def test_a_failed_e_mail_is_not_marked_sent_and_goes_out_on_a_later_run(adviser, failing_mail,
                                                                       django_capture_on_commit_callbacks):  # fmt: skip
    """Before: `emailed_at` was set before sending and `send_mail(fail_silently=True)` swallowed the SMTP error, so
    a notice whose e-mail failed counted as e-mailed and never went out."""
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = _notify([adviser], email=True, body="Kandidaat aangenomen")
    # The action that made the notice stays done (the on-commit callback is robust, the error is logged).
    assert FAILING["smtp"] == 1
    notice.refresh_from_db()
    assert notice.emailed_at is None and mail.outbox == []
    # The task does not swallow the error: it asks Celery for a retry (eagerly, the retry is raised).
    with pytest.raises(Retry) as retry:
        email_notifications.delay([notice.pk])
    assert isinstance(retry.value.exc, smtplib.SMTPException)
    notice.refresh_from_db()
    assert notice.emailed_at is None

    failing_mail.refuse = set()  # the mail server is back
    assert email_notifications.delay([notice.pk]).get() == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[adviser.email]]
    assert email_notifications.delay([notice.pk]).get() == 0  # sent once, not again
    assert len(mail.outbox) == 1


def test_a_failing_address_leaves_only_its_own_notice_unsent(adviser, colleague, failing_mail):
    notices = _notify([adviser, colleague])
    failing_mail.refuse = {colleague.email}

    with pytest.raises(Retry):
        email_notifications.delay([n.pk for n in notices])

    sent = {n.user_id: n.emailed_at is not None for n in Notification.objects.all()}
    assert sent == {adviser.pk: True, colleague.pk: False}
    assert [m.to for m in mail.outbox] == [[adviser.email]]


def test_the_e_mail_task_retries_on_smtp_and_connection_errors():
    assert issubclass(smtplib.SMTPException, email_notifications.autoretry_for)
    assert issubclass(ConnectionRefusedError, email_notifications.autoretry_for)
    assert email_notifications.retry_backoff and email_notifications.max_retries >= 5


def test_staff_without_an_e_mail_address_get_no_e_mail_and_no_mark(failing_mail):
    [notice] = _notify([UserFactory(email="")])
    assert notifications_email(ids=[notice.pk], send=lambda n: pytest.fail("no address to send to")) == 0
    notice.refresh_from_db()
    assert notice.emailed_at is None
