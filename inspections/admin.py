"""Read-only admin views of the regulator side: every write goes through the services (and their
audit events), so the admin shows rows and never adds, edits or deletes them."""

from django.contrib import admin

from inspections.models import (
    ConflictOfInterest,
    Draw,
    Finding,
    FollowUp,
    Inspection,
    InspectionTemplate,
    ItemResult,
    WhistleblowerPhoto,
    WhistleblowerReport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows; no add, change or delete (writes belong to the services)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "title")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("id", "regulator", "enterprise", "kind", "planned_on", "state")
    list_filter = ("state", "kind")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("id", "inspection", "severity", "deadline", "hazard", "status")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("id", "regulator", "title", "n", "seed", "weighted", "created_at")


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ("id", "inspector", "enterprise", "reason")


@admin.register(WhistleblowerReport)
class WhistleblowerReportAdmin(ReadOnlyAdmin):
    list_display = ("id", "division_code", "enterprise", "status", "created_at")
    exclude = ("code_hash",)


for _model in (ItemResult, FollowUp, WhistleblowerPhoto):
    admin.site.register(_model, ReadOnlyAdmin)
