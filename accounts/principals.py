"""Who is calling when a partner organisation's token pulls data without a user."""

from dataclasses import dataclass, field

from .models import Organisation


@dataclass(frozen=True)
class OrganisationPrincipal:
    """Stands in for a user when an organisation token authenticates (read-only data pulls, API.md).

    It has the organisation a user would have, so `.visible_to(principal)` gives the organisation's view, and no
    role, so every write and every personal-only view (R-11) is refused.
    """

    organisation: Organisation
    pk: None = None
    id: None = None
    role: str = "organisation"
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    is_manager: bool = False
    has_caseload: bool = False
    groups: tuple = field(default=())

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    @property
    def username(self) -> str:
        return f"organisation:{self.organisation.code}"

    @property
    def full_name(self) -> str:
        return self.organisation.name

    def has_perm(self, perm, obj=None) -> bool:
        return False
