"""The login forms: the staff login page (/inloggen/) and the admin's, with the lockout message of django-axes.

After `AXES_FAILURE_LIMIT` wrong passwords for one user name from one address, logging in with that user name from
that address is refused for `AXES_COOLOFF_TIME`, the right password included (wsp.settings.base). The form then
says so in Dutch instead of "wrong password", and `lockout_response` answers 429 with that form.
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def lockout_message() -> str:
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Too many failed attempts to log in with this user name from this address. Try again in %(minutes)d "
        "minute, or ask an administrator to lift the block.",
        "Too many failed attempts to log in with this user name from this address. Try again in %(minutes)d "
        "minutes, or ask an administrator to lift the block.",
        minutes,
    ) % {"minutes": minutes}


class LockoutMessageMixin:
    """Says "locked out" rather than "wrong password" when django-axes refused the attempt."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("That user name and password do not match. Check both and try again."),
        "inactive": _("This account is no longer active."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin's login form (accounts.admin sets it on the admin site)."""


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page as rendered, with the lockout message in its form, as 429.

    Any other response of a locked-out request (no form to show the message in) becomes the message as text.
    """
    if (
        original_response is not None
        and original_response.status_code == 200
        and original_response.get("Content-Type", "").startswith("text/html")
    ):
        original_response.status_code = 429
        return original_response
    return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
