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


@admin.register(Deviation)
class DeviationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "category", "area", "event_date"]
    list_filter = ["status", "category"]
    # Status changes go through services (the ladder); the admin only reads.
    readonly_fields = [
        "status",
        "submitted_at",
        "reached_local_group_at",
        "reached_bussam_at",
        "closed_at",
    ]
    inlines = [StepInline]
