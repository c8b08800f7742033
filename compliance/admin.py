from django.contrib import admin

from compliance.models import ControlMeasure, RiskEvent, RiskPoint


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
