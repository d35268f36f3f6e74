"""Browser pages of the accounts app: the staff member's own notices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services


@login_required
@require_POST
def notification_read(request, pk=None):
    """Mark one notice (or, without `pk`, all unread ones) of the caller read, then go on to `next` or home."""
    services.notifications_mark_read(user=request.user, ids=None if pk is None else [pk])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("home")
    return redirect(target)


@login_required
@require_POST
def daily_digest_email(request):
    """The staff member's own choice of the daily worklist by e-mail (reporting.monitoring)."""
    enabled = request.POST.get("enabled") == "on"
    services.daily_digest_email_set(user=request.user, enabled=enabled)
    messages.success(
        request,
        _("You will get your worklist by e-mail every working morning.")
        if enabled
        else _("You will no longer get your worklist by e-mail; it stays on your home page."),
    )
    return redirect("adviser-home")
