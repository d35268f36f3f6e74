"""The admin: reference data to maintain, domain records to look up (issue 7, point 1).

The admin is not a back door around the rules. Every domain model (employers and their holders, admission
requests, contact moments and requests, merges; vacancies, intakes, handovers, recruitment plans; candidates,
referrals, placements, aftercare; notices) is registered through `ReadOnlyAdmin`: list and detail pages for
looking something up, and no add, change or delete for anyone, superusers included. Those records change through
the application, whose services hold the rules (R-03..R-08, R-10, R-12, R-22, R-57). What the admin maintains is
reference data: organisations, staff members, sectors and their teams, the vocabulary (switching entries off) and
API tokens (expiry and revocation).

Administrators are staff in the group "Beheerders" (`administrators_group`), not superusers: the group may view
everything the admin shows and maintain the reference data listed in `REFERENCE_DATA`.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .choices import Role
from .forms import AdminLoginForm
from .models import ApiToken, Notification, Organisation, Sector, SectorTeam, User

# The admin's login form says so when django-axes locked the user name out at this address.
admin.site.login_form = AdminLoginForm

ADMINISTRATORS_GROUP = "Beheerders"
# What the administrators' group may do beyond viewing, per model: the reference data, and lifting a login lockout
# (deleting django-axes' attempt record).
REFERENCE_DATA = {
    "accounts.Organisation": ("add", "change"),
    "accounts.User": ("add", "change"),
    "accounts.Sector": ("add", "change"),
    "accounts.SectorTeam": ("add", "change", "delete"),
    "accounts.ApiToken": ("change",),
    "vacancies.Skill": ("change",),
    "axes.AccessAttempt": ("delete",),
}


class ReadOnlyAdmin(admin.ModelAdmin):
    """A domain model in the admin: for looking up only, for every user (superusers too)."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """The inline counterpart of `ReadOnlyAdmin`."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def administrators_group() -> Group:
    """The group "Beheerders", created or brought up to date: view permission on every model the admin shows, and
    the permissions of `REFERENCE_DATA`. Idempotent; run by the demo seed and `manage.py ensure_admin_group`."""
    wanted: dict[type, set[str]] = {model: {"view"} for model in admin.site._registry}
    for label, actions in REFERENCE_DATA.items():
        wanted.setdefault(apps.get_model(label), {"view"}).update(actions)
    content_types = ContentType.objects.get_for_models(*wanted)
    permissions = Permission.objects.none()
    for model, actions in wanted.items():
        codenames = [get_permission_codename(action, model._meta) for action in actions]
        permissions |= Permission.objects.filter(content_type=content_types[model], codename__in=codenames)
    group, _created = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    group.permissions.set(permissions)
    return group


# --- Reference data ----------------------------------------------------------------------------------------------


def organisation_in_use(organisation: Organisation) -> bool:
    """Whether the organisation has staff members, candidates, vacancies or placements. Its kind decides which
    target groups its candidates may have and who books (R-23, R-24), so once in use the kind stays as it is."""
    return any(
        getattr(organisation, relation).exists() for relation in ("staff", "candidates", "vacancies", "placements")
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """R-01 reference data. The kind (UWV, municipality, reintegration body) is read-only once the organisation is
    in use: turning a UWV into a municipality would leave every WW/WIA/Wajong candidate of its caseload breaking
    R-23, with nobody able to book their placements."""

    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk and organisation_in_use(obj):
            readonly.append("kind")
        return readonly


def organisation_ties(user: User) -> dict[str, int]:
    """What ties a staff member to their organisation, by what (only the kinds that are present): employers they
    hold (main or admitted account holder), open vacancies they own, candidates of their caseload (not inactive),
    and open contact requests and vacancy intakes waiting for them. These carry the organisation's name (a
    vacancy's organisation, a candidate's caseload, who books: R-23, R-24), so they move first."""
    employers = apps.get_model("employers", "Employer").objects.current()
    counts = {
        "employers": employers.filter(Q(main_account_holder=user) | Q(account_holders__user=user)).distinct().count(),
        "vacancies": apps.get_model("vacancies", "Vacancy").objects.open().filter(owner=user).count(),
        "candidates": apps.get_model("matching", "Candidate")
        .objects.filter(adviser=user)
        .exclude(status="inactive")
        .count(),
        "contact_requests": apps.get_model("employers", "ContactRequest")
        .objects.filter(assigned_to=user, responded_at__isnull=True)
        .count(),
        "intakes": apps.get_model("vacancies", "VacancyIntake").objects.waiting().filter(assigned_to=user).count(),
    }
    return {kind: count for kind, count in counts.items() if count}


class UserChangeForm(BaseUserAdmin.form):
    """R-03: the main account holder of an employer is an adviser. A role change that would leave employers with a
    non-adviser as main account holder waits until their employers are reassigned.

    R-01: a staff member belongs to one organisation. A move to another organisation waits until their employers,
    open vacancies, candidates, open contact requests and waiting vacancy intakes have gone to colleagues: those
    records name the old organisation (and its kind decides who books, R-23/R-24) and would be left behind."""

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        if self.instance.pk and organisation is not None and organisation.pk != self.instance.organisation_id:
            ties = organisation_ties(self.instance)
            if ties:
                labels = {
                    "employers": _("employers (main or account holder)"),
                    "vacancies": _("open vacancies"),
                    "candidates": _("candidates"),
                    "contact_requests": _("open contact requests"),
                    "intakes": _("vacancy intakes to register"),
                }
                raise ValidationError(
                    _(
                        "This staff member still has work in their organisation (%(ties)s). Hand it over to "
                        "colleagues first, then move them to another organisation."
                    ),
                    code="organisation_ties",
                    params={"ties": ", ".join(f"{labels[kind]}: {count}" for kind, count in ties.items())},
                )
        return organisation

    def clean_role(self):
        role = self.cleaned_data["role"]
        if self.instance.pk and role != Role.ADVISER and self.instance.role == Role.ADVISER:
            from employers.models import Employer

            held = Employer.objects.filter(main_account_holder=self.instance, merged_into__isnull=True).count()
            if held:
                raise ValidationError(
                    ngettext_lazy(
                        "This adviser is the main account holder of %(count)d employer (R-03). Reassign it first, "
                        "then change the role.",
                        "This adviser is the main account holder of %(count)d employers (R-03). Reassign them "
                        "first, then change the role.",
                        "count",
                    ),
                    code="holds_employers",
                    params={"count": held},
                )
        return role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    list_display = ["username", "full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    list_select_related = ["organisation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Partner organisation"), {"fields": ["organisation", "role", "phone"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "organisation", "role", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser status or single permissions; administrators use the group.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly


class SectorTeamInline(admin.StackedInline):
    model = SectorTeam
    filter_horizontal = ["members"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "weight_category", "lead_organisation", "is_focus"]
    list_filter = ["weight_category", "is_focus", "lead_organisation"]
    search_fields = ["name", "code"]
    inlines = [SectorTeamInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `manage.py create_api_token`, which shows the key once; here they expire or are
    revoked. A token is not deleted: its record says who used the API until when."""

    list_display = [
        "prefix",
        "name",
        "user",
        "organisation",
        "read_only",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_select_related = ["user", "organisation"]
    readonly_fields = ["prefix", "key_hash", "user", "organisation", "read_only", "created_at", "last_used_at"]
    fields = ["name", *readonly_fields, "expires_at", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Domain records: looking up only -----------------------------------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Whether a notice was made, read and e-mailed. Its title and message are for the staff member it is
    addressed to and may name a candidate (R-40), so they are not shown here."""

    list_display = ["id", "user", "kind", "key", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["user__organisation"]
    fields = ["user", "kind", "key", "url", "created_at", "read_at", "emailed_at"]
    search_fields = ["key", "user__username"]
