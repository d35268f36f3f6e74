"""Vacancies in the admin: the vocabulary is maintained here (switching entries off), the rest is for looking up.

Registering a vacancy (R-12 within 24 hours, R-15 no requirements on age, sex or origin, R-20 positions), its owner
and handovers (R-13, R-24), intakes and recruitment plans (R-19, R-22) go through the application, which calls
vacancies.services; a vacancy is closed, never deleted, because its referrals and placements are reported figures
(R-57). The admin adds, changes and deletes none of them (accounts.admin.ReadOnlyAdmin).
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import RecruitmentPlan, Skill, Vacancy, VacancyHandover, VacancyIntake


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """The vocabulary comes from vacancies/data (`manage.py load_vocabulary`, R-42); here an entry is looked up and
    switched off or on. Vacancies and candidates refer to entries by id, so none is added or deleted here."""

    list_display = ["name", "code", "kind", "group", "is_active"]
    list_filter = ["kind", "group", "is_active"]
    search_fields = ["name", "name_en", "code"]
    fields = [
        "name", "name_en", "code", "kind", "group", "esco_uri", "competentnl_code", "typical_skills", "is_active",
    ]  # fmt: skip
    readonly_fields = [field for field in fields if field != "is_active"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = [
        "title", "employer", "owner", "organisation", "status", "visibility", "registered_at", "registered_late",
    ]  # fmt: skip
    list_filter = ["status", "visibility", "registered_late", "organisation", "source"]
    search_fields = ["title", "employer__name"]
    list_select_related = ["employer", "owner", "organisation"]


@admin.register(VacancyIntake)
class VacancyIntakeAdmin(ReadOnlyAdmin):
    list_display = ["title", "employer", "received_at", "received_by", "assigned_to", "vacancy", "dismissed_at"]
    list_filter = ["source"]
    search_fields = ["title", "employer__name"]
    list_select_related = ["employer", "received_by", "assigned_to", "vacancy__employer"]


@admin.register(VacancyHandover)
class VacancyHandoverAdmin(ReadOnlyAdmin):
    list_display = ["vacancy", "from_user", "to_user", "reason", "employer_moved", "handed_over_at"]
    list_filter = ["reason", "employer_moved"]
    list_select_related = ["vacancy__employer", "from_user", "to_user"]


@admin.register(RecruitmentPlan)
class RecruitmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["vacancy", "planned_on", "created_by", "created_at"]
    list_select_related = ["vacancy__employer", "created_by"]
