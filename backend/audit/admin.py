from django.contrib import admin

from backend.audit.models import AuditChain, Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "chain", "seq", "created_at", "actor_label", "object_type", "object_id", "action", "to_state")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "reason")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AuditChain)
class AuditChainAdmin(admin.ModelAdmin):
    list_display = ("key", "last_seq", "last_hash")

    def has_change_permission(self, request, obj=None):
        return False
