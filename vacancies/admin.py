from django.contrib import admin

from .models import RecruitmentPlan, Skill, Vacancy, VacancyHandover


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """The vocabulary comes from vacancies/data (R-42); the admin is for looking up and switching entries off."""

    list_display = ["name", "code", "kind", "group", "is_active"]
    list_filter = ["kind", "group", "is_active"]
    search_fields = ["name", "name_en", "code"]
    filter_horizontal = ["typical_skills"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    """For administrators. What a rule governs (employer and owner R-13, positions asked for and registered R-19 R-20
    R-25, the recruitment request R-22, status, the R-12 timestamps) is read-only here: it changes through the
    application, which calls vacancies.services; the history records admin edits too. Vacancies are neither added
    nor deleted here: they count in the reported figures (R-57) and close through the application."""

    list_display = [
        "title", "employer", "owner", "organisation", "status", "visibility", "registered_at", "registered_late",
    ]  # fmt: skip
    list_filter = ["status", "visibility", "registered_late", "organisation", "source"]
    search_fields = ["title"]
    list_select_related = ["employer", "owner", "organisation"]
    raw_id_fields = ["occupation"]
    readonly_fields = [
        "employer", "owner", "organisation", "requested_positions", "positions", "recruitment_request", "status",
        "received_at", "registered_at", "registered_late", "close_reason", "closed_at", "parent", "duplicated_from",
        "expiry_warned_at", "created_by", "created_at", "updated_at",
    ]  # fmt: skip
    show_full_result_count = False

    def has_add_permission(self, request):
        # Registration carries: vacancies are registered through the application.
        return False

    def has_delete_permission(self, request, obj=None):
        # A vacancy is closed, never deleted: its referrals and placements are the reported figures.
        return False


@admin.register(VacancyHandover)
class VacancyHandoverAdmin(admin.ModelAdmin):
    list_display = ["vacancy", "from_user", "to_user", "reason", "employer_moved", "handed_over_at"]
    list_filter = ["reason", "employer_moved"]
    raw_id_fields = ["vacancy", "from_user", "to_user", "handed_over_by"]
    list_select_related = ["vacancy", "from_user", "to_user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecruitmentPlan)
class RecruitmentPlanAdmin(admin.ModelAdmin):
    list_display = ["vacancy", "planned_on", "created_by", "created_at"]
    raw_id_fields = ["vacancy", "created_by"]
    filter_horizontal = ["partners"]
