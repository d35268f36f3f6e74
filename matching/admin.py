"""Matching in the admin: for looking up only (accounts.admin.ReadOnlyAdmin), and without personal data.

Candidates, referrals, placements and aftercare change through the application (R-17..R-25, R-30..R-32), whose
services hold the rules; the admin adds, changes and deletes none of them, not even for a superuser.

R-40: a candidate's personal data (`matching.models.PERSONAL_FIELDS`: name, contact details, date of birth, health
notes, BSN) is for the staff of the candidate's own organisation, so the admin, which every administrator of the
region opens, shows none of it: a candidate is "Candidate #id" here, in lists, titles and breadcrumbs, and on the
referral and placement pages. Free text written about a candidate (a referral's note, an aftercare summary) is left
out for the same reason.
"""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin
from wsp.inputs import int_or_none

from .models import AftercareContact, Candidate, Placement, Referral


def candidate_label(candidate_id: int) -> str:
    return gettext("Candidate #%(id)d") % {"id": candidate_id}


@admin.display(description=_("candidate"))
def candidate_ref(obj) -> str:
    return candidate_label(obj.candidate_id)


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    # An allow-list: a field added to the model later is not shown until it is known not to be personal data.
    fields = [
        "label", "organisation", "adviser", "target_group", "job_agreement", "work_ready_since", "hours_per_week",
        "municipality", "max_travel_km", "status", "profile_reviewed_at", "created_at", "updated_at",
    ]  # fmt: skip
    readonly_fields = fields
    list_display = ["label", "organisation", "adviser", "target_group", "status", "work_ready_since", "updated_at"]
    list_filter = ["status", "target_group", "organisation"]
    list_select_related = ["organisation", "adviser"]

    @admin.display(description=_("candidate"), ordering="pk")
    def label(self, obj) -> str:
        return candidate_label(obj.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        label = candidate_label(pk) if (pk := int_or_none(object_id)) else ""
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "subtitle": label, "candidate_label": label}
        )

    def history_view(self, request, object_id, extra_context=None):
        label = candidate_label(pk) if (pk := int_or_none(object_id)) else ""
        context = {"title": gettext("Change history: %s") % label, "candidate_label": label}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    # The candidate by number; the note is free text about the candidate; PAWA is for UWV staff only.
    exclude = ["candidate", "note", "pawa"]
    readonly_fields = [candidate_ref]
    list_display = ["id", "vacancy", candidate_ref, "status", "referred_at", "referred_by"]
    list_filter = ["status", "organisation"]
    list_select_related = ["vacancy__employer", "referred_by"]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    exclude = ["candidate"]
    readonly_fields = [candidate_ref]
    list_display = ["id", "vacancy", candidate_ref, "organisation", "start_date", "status", "is_durable"]
    list_filter = ["status", "organisation", "placement_type"]
    list_select_related = ["vacancy__employer", "organisation"]


@admin.register(AftercareContact)
class AftercareContactAdmin(ReadOnlyAdmin):
    exclude = ["summary"]
    list_display = ["id", "placement", "occurred_at", "adviser", "still_employed", "ends_aftercare"]
    list_select_related = ["adviser"]
