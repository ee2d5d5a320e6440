from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bus_portal.audit import record
from bus_portal.models import AccessibilityReport, AuditAction, ExternalIdentity, User

# What an ExternalIdentity's ``issuer`` holds: the kind of identifier its ``subject`` is.
IDENTIFIER_TYPES = [
    ("hsa-id", _("HSA-id (SITHS card)")),
    ("personnummer", _("Personal identity number (Freja eID)")),
]
SECOND_FACTOR_RESET_PURPOSE = "auth.second_factor.reset"


class ExternalIdentityForm(forms.ModelForm):
    issuer = forms.ChoiceField(label=_("Type of identifier"), choices=IDENTIFIER_TYPES)
    subject = forms.CharField(
        label=_("Identifier"),
        max_length=200,
        help_text=_(
            "The HSA-id (e.g. SE2321000016-A1B2) or the personal identity number with 12 digits "
            "(YYYYMMDDNNNN) the person signs in with."
        ),
    )

    class Meta:
        model = ExternalIdentity
        fields = ("issuer", "subject")

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"].strip()
        if self.cleaned_data.get("issuer") == "personnummer":
            subject = subject.replace("-", "")
            if not (subject.isdigit() and len(subject) == 12):
                raise forms.ValidationError(_("Give the personal identity number with 12 digits."))
        return subject


class ExternalIdentityInline(admin.TabularInline):
    model = ExternalIdentity
    form = ExternalIdentityForm
    extra = 0
    verbose_name = _("e-identification")
    verbose_name_plural = _("e-identification (SITHS, Freja eID)")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_demo")
    list_filter = ("is_active", "is_staff", "is_demo")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Portal"), {"fields": ("title", "phone", "is_demo")}),
    )
    inlines = (ExternalIdentityInline,)
    actions = ("reset_second_factor",)

    @admin.action(
        description=_("Reset two-factor login (the user activates it again at next login)"),
        permissions=("change",),
    )
    def reset_second_factor(self, request, queryset):
        """Remove the users' authenticator apps and recovery codes; one audit row per user."""
        count = 0
        for user in queryset:
            with transaction.atomic():
                removed = TOTPDevice.objects.filter(user=user).delete()[0]
                removed += StaticDevice.objects.filter(user=user).delete()[0]
                if not removed:
                    continue
                record(
                    user=request.user,
                    action=AuditAction.CHANGE,
                    obj=user,
                    object_repr=user.get_username(),
                    purpose=SECOND_FACTOR_RESET_PURPOSE,
                    changes={"fields": ["second_factor"]},
                    request=request,
                )
                count += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor login was reset for %(count)d user.",
                "Two-factor login was reset for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    form = ExternalIdentityForm
    fields = ("user", "issuer", "subject")
    list_display = ("user", "issuer", "subject", "created_at")
    search_fields = ("user__username", "subject")
    autocomplete_fields = ("user",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = ("user", "issuer", "subject")
        return super().get_form(request, obj, change, **kwargs)


# AuditEvent is not in the admin: its rows name the records about a child, and reading them is
# reading about the child. A unit chief reads them, for their units' children only and without
# content, in the access log (bus_portal.views.AccessLogView).


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page", "contact"]
    readonly_fields = ["created_at", "page", "description", "contact", "user"]
