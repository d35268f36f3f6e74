from django.contrib import admin

from .models import AccessRequest, AccountHolder, ContactMoment, ContactRequest, Employer, EmployerMerge


class AccountHolderInline(admin.TabularInline):
    model = AccountHolder
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    """For administrators. Rule-bound actions (takeover, merge, reassignment) go through the application pages,
    which call the services; the audit trail records admin edits as well."""

    list_display = ["name", "postcode", "city", "status", "main_account_holder", "last_contact_at"]
    list_filter = ["status", "employer_type", "sector"]
    search_fields = ["name", "postcode", "kvk_number"]
    list_select_related = ["main_account_holder"]
    autocomplete_fields = ["main_account_holder"]
    readonly_fields = ["last_contact_at", "merged_into", "created_at", "updated_at"]
    inlines = [AccountHolderInline]
    show_full_result_count = False


@admin.register(ContactMoment)
class ContactMomentAdmin(admin.ModelAdmin):
    list_display = ["employer", "kind", "occurred_at", "adviser"]
    list_filter = ["kind"]
    raw_id_fields = ["employer", "adviser"]
    list_select_related = ["employer", "adviser"]
    show_full_result_count = False


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ["employer", "received_at", "assigned_to", "responded_at"]
    raw_id_fields = ["employer", "assigned_to", "responded_by"]
    list_select_related = ["employer", "assigned_to"]


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["employer", "requester", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["employer", "requester", "decided_by"]


@admin.register(EmployerMerge)
class EmployerMergeAdmin(admin.ModelAdmin):
    list_display = ["kept", "merged", "merged_by", "merged_at"]
    raw_id_fields = ["kept", "merged", "merged_by"]
