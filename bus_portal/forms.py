from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPTokenForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Check the spelling and try again; "
            "after five failed attempts the account is locked for a while."
        ),
        "inactive": _("The account is deactivated. Contact your administrator."),
        "demo_disabled": _("Demo accounts can only be used when the portal runs in demo mode."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DEMO_MODE:
            raise forms.ValidationError(self.error_messages["demo_disabled"], code="demo_disabled")


class TokenForm(OTPTokenForm):
    """The six-digit code from the authenticator app."""

    otp_token = forms.CharField(
        label=_("One-time code"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Six digits from your authenticator app."),
    )


class TotpSetupForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("One-time code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits the app shows, without spaces.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Scan the QR code in your authenticator app and enter the code it shows."),
    )
