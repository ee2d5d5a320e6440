"""Django admin for the directory and agreements (administrators only; the portal screens come first)."""

from django.contrib import admin

from agreements import models


@admin.register(models.Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.Principal)
class PrincipalAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "principal", "service_type", "area"]
    list_filter = ["service_type"]
    search_fields = ["name", "principal__name"]
    list_select_related = ["principal", "area"]


@admin.register(models.LocalGroup)
class LocalGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "valid_from", "valid_to"]
    search_fields = ["name"]
    filter_horizontal = ["areas", "principals"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "local_group", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit__principal", "local_group"]
    autocomplete_fields = ["unit"]


class RevisionInline(admin.TabularInline):
    model = models.Revision
    fields = ["number", "title", "adopted_on", "valid_from", "valid_to", "review_date"]
    extra = 0
    show_change_link = True


@admin.register(models.Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "local_group"]
    list_filter = ["kind"]
    search_fields = ["title", "local_group__name"]
    inlines = [RevisionInline]


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agreement", "min_meetings_per_term"]
    list_filter = ["kind"]
    search_fields = ["name", "agreement__title"]
