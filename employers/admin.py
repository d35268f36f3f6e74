"""Employers in the admin: for looking up only (accounts.admin.ReadOnlyAdmin).

Entering an employer (R-06 a vacancy or a visit, R-07 no duplicate), its main account holder (R-03 an adviser, R-05
takeover after 12 months), admission (R-04, the holder added on approval), contact moments and visit reports
(R-08), contact requests (R-10) and merges all go through the application, which calls employers.services. The
admin adds, changes and deletes none of them, not even for a superuser.

Employer feedback is not in the admin at all: R-11 shows it only to the adviser it concerns, managers see
aggregates.
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import AccessRequest, AccountHolder, ContactMoment, ContactRequest, Employer, EmployerMerge


class AccountHolderInline(ReadOnlyInline):
    model = AccountHolder
    fields = readonly_fields = ["user", "via", "added_at"]


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "postcode", "city", "status", "main_account_holder", "last_contact_at"]
    list_filter = ["status", "employer_type", "sector"]
    search_fields = ["name", "postcode", "kvk_number"]
    list_select_related = ["main_account_holder"]
    inlines = [AccountHolderInline]


@admin.register(AccountHolder)
class AccountHolderAdmin(ReadOnlyAdmin):
    list_display = ["employer", "user", "via", "added_at"]
    list_filter = ["via"]
    list_select_related = ["employer", "user"]
    search_fields = ["employer__name", "user__username"]


@admin.register(ContactMoment)
class ContactMomentAdmin(ReadOnlyAdmin):
    list_display = ["employer", "kind", "occurred_at", "adviser"]
    list_filter = ["kind"]
    list_select_related = ["employer", "adviser"]
    search_fields = ["employer__name"]


@admin.register(ContactRequest)
class ContactRequestAdmin(ReadOnlyAdmin):
    list_display = ["employer", "received_at", "assigned_to", "responded_at"]
    list_select_related = ["employer", "assigned_to"]
    search_fields = ["employer__name"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["employer", "requester", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["employer", "requester"]
    search_fields = ["employer__name", "requester__username"]


@admin.register(EmployerMerge)
class EmployerMergeAdmin(ReadOnlyAdmin):
    list_display = ["kept", "merged", "merged_by", "merged_at"]
    list_select_related = ["kept", "merged", "merged_by"]
