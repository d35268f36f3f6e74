"""Role checks every app's services share (R-01): one definition, one message and code each."""

from django.utils.translation import gettext_lazy as _

from wsp.errors import RuleRefused

from .choices import Role

MSG_ROLE = _("Your role does not allow this action.")
MSG_MANAGER_ONLY = _("Only a manager may do this.")
MSG_ADMINISTRATOR_ONLY = _("Only an administrator may do this.")


def require_staff(user, *, roles=tuple(Role.values)) -> None:
    """R-01: only staff members write; an organisation token (no role) only reads."""
    if getattr(user, "role", None) not in roles:
        raise RuleRefused(MSG_ROLE, code="role_not_allowed", rule="R-01")


def require_manager(user) -> None:
    """R-01: managers (and administrators, who manage the region's set-up) steer."""
    if not getattr(user, "is_manager", False):
        raise RuleRefused(MSG_MANAGER_ONLY, code="manager_only", rule="R-01")


def require_administrator(user) -> None:
    if getattr(user, "role", None) != Role.ADMIN:
        raise RuleRefused(MSG_ADMINISTRATOR_ONLY, code="administrator_only", rule="R-01")
