"""Targets in the admin for looking up only: managers enter and change them in the browser and the API, through the
services, so every change keeps its reason (R-50) and nobody bypasses the rules here."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import SectorEmployerCount, Target, TargetChange


class TargetChangeInline(ReadOnlyInline):
    model = TargetChange
    fields = ["changed_at", "old", "new", "reason", "changed_by"]
    readonly_fields = fields


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["year", "measure", "organisation", "target_group", "sector", "adviser", "target"]
    list_filter = ["year", "measure"]
    list_select_related = ["organisation", "sector", "adviser"]
    inlines = [TargetChangeInline]


@admin.register(SectorEmployerCount)
class SectorEmployerCountAdmin(ReadOnlyAdmin):
    list_display = ["year", "sector", "employers_10_plus", "source"]
    list_filter = ["year"]
    list_select_related = ["sector"]
