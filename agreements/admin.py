"""Django admin for the directory and agreements (administrators only; the portal screens come first)."""

from collections.abc import Callable

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse

from agreements import models, services
from bus_portal.errors import DomainError


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


# Records people correct in the portal ---------------------------------------------------------
# Agreements' records are read here and corrected in the portal, where each correction is checked
# (a signed revision or published minutes do not change in place) and audited with the fields it
# changed. Deleting here goes through the same services, so the same rules and trail apply.


class PortalCorrectedAdmin(admin.ModelAdmin):
    """Read-only in the admin, with a link to the portal page where the record is corrected."""

    #: The service that removes a row entered by mistake (``None``: not removed from here).
    remove_service: Callable[..., object] | None = None
    remove_argument = ""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        # No bulk delete: each removal goes through its service, one row at a time.
        return {}

    def can_remove(self, obj: Model) -> bool:
        return True

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if self.remove_service is None or not super().has_delete_permission(request, obj):
            return False
        return obj is None or self.can_remove(obj)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        assert self.remove_service is not None
        try:
            type(self).remove_service(  # type: ignore[misc]
                **{self.remove_argument: obj}, user=request.user, request=request
            )
        except DomainError as exc:
            raise PermissionDenied(str(exc)) from exc

    def portal_url(self, obj: Model) -> str:
        raise NotImplementedError

    def view_on_site(self, obj: Model) -> str:  # type: ignore[override]
        return self.portal_url(obj)


class SectionInline(admin.TabularInline):
    model = models.RevisionSection
    fields = ["position", "key", "heading"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class PartyInline(SectionInline):
    model = models.Party  # type: ignore[assignment]
    fields = ["principal", "contact_person", "contact_email"]
    show_change_link = True


@admin.register(models.Revision)
class RevisionAdmin(PortalCorrectedAdmin):
    list_display = ["agreement", "number", "title", "adopted_on", "valid_from", "valid_to"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__title", "title", "diary_number"]
    inlines = [PartyInline, SectionInline]

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:revision_detail", args=[obj.pk])


@admin.register(models.Party)
class PartyAdmin(PortalCorrectedAdmin):
    list_display = ["principal", "revision", "contact_person", "contact_email"]
    list_select_related = ["principal", "revision__agreement"]
    search_fields = ["principal__name", "revision__agreement__title", "contact_person"]
    remove_service = staticmethod(services.remove_party)
    remove_argument = "party"

    def can_remove(self, obj: Model) -> bool:
        return models.Party.objects.get(pk=obj.pk).can_remove()

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:party_edit", args=[obj.pk])


@admin.register(models.Signatory)
class SignatoryAdmin(PortalCorrectedAdmin):
    list_display = ["name", "title", "party", "signed_on"]
    list_select_related = ["party__principal"]
    search_fields = ["name", "party__principal__name"]
    remove_service = staticmethod(services.remove_signatory)
    remove_argument = "signatory"

    def can_remove(self, obj: Model) -> bool:
        return getattr(obj, "signed_on", None) is None

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:signatory_edit", args=[obj.pk])


@admin.register(models.PlanItem)
class PlanItemAdmin(PortalCorrectedAdmin):
    list_display = ["text", "kind", "year", "agreement", "meeting"]
    list_filter = ["kind", "year"]
    list_select_related = ["agreement", "meeting__body"]
    search_fields = ["text", "agreement__title"]
    remove_service = staticmethod(services.remove_plan_item)
    remove_argument = "item"

    def can_remove(self, obj: Model) -> bool:
        return getattr(obj, "meeting_id", None) is None

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:plan_item_edit", args=[obj.pk])


@admin.register(models.Attachment)
class AttachmentAdmin(PortalCorrectedAdmin):
    list_display = ["title", "kind", "agreement", "content_type", "uploaded_at", "uploaded_by"]
    list_filter = ["kind", "content_type"]
    list_select_related = ["agreement", "uploaded_by"]
    search_fields = ["title", "agreement__title"]
    remove_service = staticmethod(services.remove_attachment)
    remove_argument = "attachment"

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:attachment_edit", args=[obj.pk])


class AddendumInline(SectionInline):
    model = models.MinutesAddendum  # type: ignore[assignment]
    fields = ["created_at", "created_by", "text"]


class InvitationInline(SectionInline):
    """The notice's replies, read-only (members reply in the portal, under their own login)."""

    model = models.Invitation  # type: ignore[assignment]
    fields = ["member", "emailed_at", "response", "substitute_name", "responded_at"]


class CheckerInline(SectionInline):
    model = models.MinutesChecker  # type: ignore[assignment]
    fields = ["member", "appointed_at", "appointed_by", "checked_at", "checked_by"]


class PaperInline(SectionInline):
    model = models.MeetingPaper  # type: ignore[assignment]
    fields = ["title", "uploaded_at", "uploaded_by"]


@admin.register(models.Meeting)
class MeetingAdmin(PortalCorrectedAdmin):
    list_display = ["body", "held_on", "place", "minutes_status", "notice_sent_at", "withdrawn_at"]
    list_filter = ["minutes_status", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["body"]
    search_fields = ["body__name", "place", "body__agreement__title"]
    date_hierarchy = "held_on"
    inlines = [AddendumInline, InvitationInline, CheckerInline, PaperInline]
    remove_service = staticmethod(services.delete_meeting)
    remove_argument = "meeting"

    def can_remove(self, obj: Model) -> bool:
        return not services.missing_for_deletion(models.Meeting.objects.get(pk=obj.pk))

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:meeting_detail", args=[obj.pk])


@admin.register(models.Review)
class ReviewAdmin(PortalCorrectedAdmin):
    list_display = ["agreement", "reviewed_on", "reviewed_by", "next_review"]
    list_select_related = ["agreement", "reviewed_by"]
    search_fields = ["agreement__title"]

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:agreement_detail", args=[getattr(obj, "agreement_id")])  # noqa: B009


@admin.register(models.BodyMember)
class BodyMemberAdmin(PortalCorrectedAdmin):
    list_display = ["name", "role", "body", "unit", "valid_from", "valid_to"]
    list_filter = ["role"]
    list_select_related = ["body", "unit"]
    search_fields = ["name", "body__name"]

    def portal_url(self, obj: Model) -> str:
        return reverse("agreements:member_edit", args=[obj.pk])
