from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPTokenForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Kontrollera stavningen och försök igen; "
            "efter fem misslyckade försök spärras kontot en stund."
        ),
        "inactive": _("Kontot är inaktiverat. Kontakta din administratör."),
        "demo_disabled": _("Demokonton kan bara användas när portalen körs i demoläge."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DEMO_MODE:
            raise forms.ValidationError(self.error_messages["demo_disabled"], code="demo_disabled")


class TokenForm(OTPTokenForm):
    """The six-digit code from the authenticator app."""

    otp_token = forms.CharField(
        label=_("Engångskod"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Sex siffror från din autentiseringsapp."),
    )


class TotpSetupForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("Engångskod"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Skriv de sex siffrorna som appen visar, utan mellanslag.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Skanna QR-koden i din autentiseringsapp och skriv koden den visar."),
    )
