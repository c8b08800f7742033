"""Admin (Chinese) of the permits: read-mostly — permits change only through the services/API."""

from django.contrib import admin

from special_ops import models as m

DETAILS = (m.HotWorkDetail, m.ConfinedSpaceDetail, m.BlindingDetail, m.HeightDetail, m.LiftingDetail,
           m.TempPowerDetail, m.ExcavationDetail, m.RoadClosureDetail)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkerInline(ReadOnlyInline):
    model = m.PermitWorker


class GasTestInline(ReadOnlyInline):
    model = m.GasTest


class ApprovalInline(ReadOnlyInline):
    model = m.PermitApproval


class MeasureCheckInline(ReadOnlyInline):
    model = m.PermitMeasureCheck


@admin.register(m.WorkPermit)
class WorkPermitAdmin(admin.ModelAdmin):
    list_display = ("number", "enterprise", "type", "level", "state", "planned_start", "planned_end")
    list_filter = ("type", "state", "level")
    search_fields = ("number", "content", "location")
    inlines = [WorkerInline, GasTestInline, ApprovalInline, MeasureCheckInline]

    def has_delete_permission(self, request, obj=None):
        return False  # permits are kept (≥ 1 year): never hard-deleted


for detail in (m.PermitWorker, m.GasTest, m.PermitApproval, m.PermitMeasureCheck, *DETAILS):
    admin.site.register(detail, type(f"{detail.__name__}Admin", (admin.ModelAdmin,), {
        "has_delete_permission": lambda self, request, obj=None: False}))


@admin.register(m.PermitApproverSetting)
class PermitApproverSettingAdmin(admin.ModelAdmin):
    """An enterprise's Table B.1 approvers (参照执行); without a row the standard's default applies."""

    list_display = ("enterprise", "type", "level", "approver_name", "role")
    list_filter = ("type", "level")


@admin.register(m.LiftRiskRecord)
class LiftRiskRecordAdmin(admin.ModelAdmin):
    """Lifts under 10 t without a permit (Table B.1 note 3): kept as records, never deleted."""

    list_display = ("enterprise", "planned_at", "work_content", "load_t", "recorded_by_name")

    def has_delete_permission(self, request, obj=None):
        return False
