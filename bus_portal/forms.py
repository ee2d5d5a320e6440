from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from bus_portal.registry import portal


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Check the spelling and try again; "
            "after five failed attempts the account is locked for a while."
        ),
        "inactive": _("The account is deactivated. Contact your administrator."),
        "demo_disabled": _("Demo accounts can only be used when the portal runs in demo mode."),
    }

    def clean_username(self):
        # AuthenticationForm sets the field's max_length after the field is made, so it is not
        # validated: a longer name would reach authenticate() and the failed-login log (a 500 on
        # PostgreSQL). No account has one, so it is simply a wrong login.
        username = self.cleaned_data.get("username") or ""
        if len(username) > (self.username_field.max_length or 150):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DEMO_MODE:
            raise forms.ValidationError(self.error_messages["demo_disabled"], code="demo_disabled")


def _code_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "autocapitalize": "off",
            "spellcheck": "false",
        }
    )


class TokenForm(forms.Form):
    """The six-digit code from the user's authenticator app (their one device: no picker)."""

    otp_token = forms.RegexField(
        label=_("One-time code"),
        regex=r"^\d{6}$",
        max_length=20,
        strip=True,
        error_messages={
            "required": _("Enter the six digits the app shows."),
            "invalid": _("Enter the six digits the app shows, without spaces."),
        },
        widget=_code_widget(),
        help_text=_("Six digits from your authenticator app."),
    )

    def clean_otp_token(self) -> str:
        return self.cleaned_data["otp_token"].replace(" ", "")


class TotpSetupForm(TokenForm):
    """Enrolment: one valid code from the app confirms that it has the key."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].help_text = _(
            "Scan the QR code in your authenticator app and enter the code it shows."
        )


class RecoveryCodeForm(forms.Form):
    """One of the ten recovery codes, for a user without their phone; each works once."""

    code = forms.CharField(
        label=_("Recovery code"),
        max_length=40,
        error_messages={"required": _("Enter one of your recovery codes.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
        help_text=_("One of the ten codes you saved when you activated two-factor login."),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form for local accounts: demo accounts and eID-only accounts get no e-mail."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The address your account in BUS-portalen has."),
    )

    def get_users(self, email):
        return [user for user in super().get_users(email) if not user.is_demo]


class AccessLogFilterForm(forms.Form):
    """The access log's filters, sent by GET: a child, a user, a period.

    ``subjects`` are the audit subjects the unit chief may see; ``clean_child`` returns those of
    the child the chief names (an identity number, or a plan's or a forum case's number), so a
    chief can never look up a child outside their units.
    """

    child = forms.CharField(
        label=_("Child"),
        required=False,
        max_length=40,
        help_text=_("Identity number, or the number of a plan (SIP-12) or a forum case (BIF-3)."),
    )
    user = forms.CharField(
        label=_("User"), required=False, max_length=150, help_text=_("Username or name.")
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, subjects: set[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.subjects = subjects

    def clean_child(self) -> frozenset[str] | None:
        """The subjects of the child named, of those the chief may see; None for any child."""
        term = self.cleaned_data["child"].strip()
        if not term:
            return None
        named = portal.subjects_named(term)
        subjects = frozenset(named & self.subjects)
        if not subjects:
            raise forms.ValidationError(
                _(
                    "No child in your units' records has that identity number or number. Enter "
                    "an identity number (YYYYMMDD-NNNN) or the number of a plan (SIP-12) or a "
                    "forum case (BIF-3)."
                ),
                code="unknown_child",
            )
        return subjects

    def clean_user(self) -> list[str]:
        """The words of the username or name given; a user matches when each word matches."""
        return self.cleaned_data["user"].split()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
