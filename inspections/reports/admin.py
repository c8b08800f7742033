from django.contrib import admin

from inspections.reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Reports are never edited: the admin shows them; corrections are new reports (API)."""

    list_display = ("id", "kind", "enterprise", "regulator", "period_start", "period_end", "state", "finished_at")
    list_filter = ("kind", "state")
    readonly_fields = [f.name for f in ReportJob._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False
