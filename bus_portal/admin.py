from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from bus_portal.models import AccessibilityReport, ExternalIdentity, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_demo")
    list_filter = ("is_active", "is_staff", "is_demo")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Portal"), {"fields": ("title", "phone", "is_demo")}),
    )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "issuer", "subject", "created_at")
    search_fields = ("user__username", "subject")
    autocomplete_fields = ("user",)


# AuditEvent is not in the admin: its rows name the records about a child, and reading them is
# reading about the child. A unit chief reads them, for their units' children only and without
# content, in the access log (bus_portal.views.AccessLogView).


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page", "contact"]
    readonly_fields = ["created_at", "page", "description", "contact", "user"]
