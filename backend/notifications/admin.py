from django.contrib import admin

from backend.notifications.models import DeliveryAttempt, Notification


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    readonly_fields = ("at", "ok", "status_code", "error")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "kind", "title", "status", "attempts", "created_at", "sent_at")
    list_filter = ("channel", "status", "kind")
    search_fields = ("idempotency_key", "title")
    inlines = [DeliveryAttemptInline]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(admin.ModelAdmin):
    list_display = ("id", "notification", "at", "ok", "status_code")
    list_filter = ("ok",)
