from django.contrib import admin

from compliance.models import (
    ControlMeasure,
    DailyRiskCommitment,
    Hazard,
    HazardEscalation,
    HazardExtension,
    HazardNumberCounter,
    HazardPhoto,
    HazardReportKey,
    ImportJob,
    InvestigationRecord,
    InvestigationTask,
    PlantLayout,
    RiskEvent,
    RiskPoint,
    RiskZone,
    RiskZonePoint,
)


class RiskEventInline(admin.TabularInline):
    model = RiskEvent
    extra = 0
    fields = ("seq", "description", "method", "score", "level", "flagged")
    readonly_fields = ("score", "level", "flagged")
    show_change_link = True


@admin.register(RiskPoint)
class RiskPointAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "enterprise", "kind", "level", "control_level", "needs_reassessment")
    list_filter = ("kind", "level", "control_level", "needs_reassessment")
    search_fields = ("code", "name", "location")
    inlines = [RiskEventInline]


class ControlMeasureInline(admin.TabularInline):
    model = ControlMeasure
    extra = 0


@admin.register(RiskEvent)
class RiskEventAdmin(admin.ModelAdmin):
    list_display = ("id", "risk_point", "description", "method", "score", "level", "flagged")
    list_filter = ("method", "level", "flagged")
    search_fields = ("description",)
    inlines = [ControlMeasureInline]


@admin.register(ControlMeasure)
class ControlMeasureAdmin(admin.ModelAdmin):
    list_display = ("id", "risk_event", "category", "text", "check_cycle", "check_cycle_unit")
    list_filter = ("category",)


# --- hidden dangers (read-mostly: writes go through the services) -----------------------------


class HazardPhotoInline(admin.TabularInline):
    model = HazardPhoto
    extra = 0
    fields = ("kind", "file", "content_type", "size", "original_name", "uploaded_by", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Hazard)
class HazardAdmin(admin.ModelAdmin):
    list_display = ("number", "enterprise", "title", "grade", "state", "deadline", "supervised")
    list_filter = ("grade", "state", "source", "hazard_type", "supervised")
    search_fields = ("number", "title", "location")
    readonly_fields = ("state", "number", "enterprise", "deadline_at")
    inlines = [HazardPhotoInline]


@admin.register(HazardExtension)
class HazardExtensionAdmin(admin.ModelAdmin):
    list_display = ("id", "hazard", "requested_by", "new_deadline", "status", "decided_by")
    list_filter = ("status",)


@admin.register(InvestigationTask)
class InvestigationTaskAdmin(admin.ModelAdmin):
    list_display = ("id", "enterprise", "measure", "due_start", "due_end", "state")
    list_filter = ("state",)




@admin.register(HazardEscalation)
class HazardEscalationAdmin(admin.ModelAdmin):
    list_display = ("hazard", "step", "at", "due_at", "notified")
    list_filter = ("step",)


for _model in (HazardNumberCounter, HazardPhoto, InvestigationRecord):
    admin.site.register(_model)


@admin.register(DailyRiskCommitment)
class DailyRiskCommitmentAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "day", "units_running", "units_stopped", "signer_name", "signed_at")
    list_filter = ("day",)


@admin.register(RiskZone)
class RiskZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise", "updated_at")
    list_filter = ("enterprise",)


@admin.register(PlantLayout)
class PlantLayoutAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "width", "height", "source", "uploaded_at")
    readonly_fields = ("sha256", "size", "width", "height")


admin.site.register(RiskZonePoint)


@admin.register(HazardReportKey)
class HazardReportKeyAdmin(admin.ModelAdmin):
    list_display = ("user", "key", "hazard", "created_at")
    readonly_fields = ("user", "key", "hazard", "created_at")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Big register/ledger uploads run by the worker: read-only here (the API and the worker own them)."""

    list_display = ("enterprise", "kind", "state", "filename", "rows_done", "rows_total", "created_at", "finished_at")
    list_filter = ("kind", "state")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
