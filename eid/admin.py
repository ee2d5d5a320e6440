from django.contrib import admin

from eid.models import SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in log, read-only: who signed in how, and the refusals."""

    list_display = ("at", "user", "username", "method", "succeeded", "reason", "ip_address")
    list_filter = ("method", "succeeded", "reason")
    search_fields = ("user__username", "username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
