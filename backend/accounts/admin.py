from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from backend.accounts.models import Division, Enterprise, Membership, Regulator, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("联系信息", {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "is_active", "is_staff")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "division_code", "industry", "status")
    list_filter = ("status", "industry")
    search_fields = ("name", "uscc")


@admin.register(Regulator)
class RegulatorAdmin(admin.ModelAdmin):
    list_display = ("name", "jurisdiction", "parent")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "enterprise", "regulator", "role")
    list_filter = ("role",)


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")
