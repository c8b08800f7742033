"""Read-mostly admin views of the regulator side (writes belong to the services/API)."""

from django.contrib import admin

from inspections.models import (
    ConflictOfInterest,
    Draw,
    Finding,
    Inspection,
    InspectionTemplate,
    WhistleblowerReport,
)


@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "title")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("id", "regulator", "enterprise", "kind", "planned_on", "state")
    list_filter = ("state", "kind")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("id", "inspection", "severity", "deadline", "hazard", "status")


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = ("id", "regulator", "title", "n", "seed", "weighted", "created_at")


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ("id", "inspector", "enterprise", "reason")


@admin.register(WhistleblowerReport)
class WhistleblowerReportAdmin(admin.ModelAdmin):
    list_display = ("id", "division_code", "enterprise", "status", "created_at")
    exclude = ("code_hash",)


from inspections.models import FollowUp, ItemResult, WhistleblowerPhoto  # noqa: E402

for _model in (ItemResult, FollowUp, WhistleblowerPhoto):
    admin.site.register(_model)
