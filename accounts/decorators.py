"""View decorators for the browser (R-01): who may open a page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def manager_required(view):
    """Managers (and administrators) only; anyone else goes back to their home page with the reason."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_manager:
            messages.error(request, _("Only managers can open this page."))
            return redirect("home")
        return view(request, *args, **kwargs)

    return wrapper
