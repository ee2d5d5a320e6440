from django.contrib import admin

from deviations.models import Category, Deviation, DeviationStep


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]


class StepInline(admin.TabularInline):
    model = DeviationStep
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "actor", "comment"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Deviation)
class DeviationAdmin(admin.ModelAdmin):
    """Read only. Reports change through the services: the ladder, the de-identified forms, the
    audited redaction and the optimistic lock; an admin form would bypass all of them."""

    list_display = ["__str__", "status", "category", "area", "event_date"]
    list_filter = ["status", "category"]
    inlines = [StepInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
