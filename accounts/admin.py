from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Organisation, Sector, SectorTeam, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
    """Tokens are created with `manage.py create_api_token`, which shows the key once; here they are revoked."""

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
