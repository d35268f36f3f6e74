"""Permissions by role (R-01). Rules about *which* rows and *which* actions live in services and selectors."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .choices import Role
from .models import ApiToken


class IsStaffMemberOrReadOnlyToken(BasePermission):
    """Authenticated callers only; read-only tokens and organisation tokens may only read."""

    message = "This token may only read."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        if isinstance(request.auth, ApiToken) and request.auth.read_only:
            return False
        return getattr(user, "role", None) in Role.values


class IsManager(BasePermission):
    message = "Only managers may do this."

    def has_permission(self, request, view):
        return bool(getattr(request.user, "is_manager", False))
