"""Signing in: password, the second factor (TOTP, recovery codes), eID buttons, password reset.

A local account signs in with username and password, then the six-digit code from its one
authenticator app (no device picker); a lost phone is covered by ten one-time recovery codes shown
once at enrolment. django-axes locks a username after five failures at either step (the code
step counts under its own key, so a correct password cannot reset the count of wrong codes). An eID
sign-in (``eid``) is already two-factor. Every step, succeeded or not, goes to the sign-in log.
"""

from __future__ import annotations

import base64
from io import BytesIO
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bus_portal.auth import STRONG_AUTH_SESSION_KEY, log_sign_in
from bus_portal.forms import (
    LoginForm,
    PortalPasswordResetForm,
    RecoveryCodeForm,
    TokenForm,
    TotpSetupForm,
)

RECOVERY_CODE_COUNT = 10
_RECOVERY_SESSION_KEY = "otp_recovery_codes"
_CODE_STEP_SUFFIX = "#tvafaktor"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["eid_providers"] = list(settings.EID_IDENTITY_PROVIDERS)
        if settings.DEMO_MODE:
            context["demo_users"] = (
                get_user_model()
                .objects.filter(is_demo=True)
                .order_by("id")
                .only("username", "first_name", "last_name", "title")
            )
            context["demo_password"] = settings.DEMO_PASSWORD
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        log_sign_in(self.request, method="password", succeeded=True, user=form.get_user())
        return response

    def form_invalid(self, form):
        codes = [e.code or "invalid" for e in form.non_field_errors().as_data()]
        log_sign_in(
            self.request,
            method="password",
            succeeded=False,
            username=str(form.data.get("username", ""))[:150],
            reason=codes[0] if codes else "invalid",
        )
        return super().form_invalid(form)


class PortalLogoutView(auth_views.LogoutView):
    """Log out; an eID session goes on to single logout at its identity provider."""

    def post(self, request, *args, **kwargs):
        if request.session.get(STRONG_AUTH_SESSION_KEY) and settings.EID_IDENTITY_PROVIDERS:
            # 307 keeps the POST (and its CSRF token): the SAML logout answers POST only.
            return HttpResponse(status=307, headers={"Location": reverse("saml2_logout")})
        return super().post(request, *args, **kwargs)


def _safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


def _code_credentials(user) -> dict:
    return {"username": f"{user.get_username()}{_CODE_STEP_SUFFIX}"}


def _locked_out(request) -> HttpResponse | None:
    """The lockout page (and the end of the half-signed-in session) when the code step is locked."""
    credentials = _code_credentials(request.user)
    if not AxesProxyHandler.is_locked(request, credentials):
        return None
    logout(request)
    return get_lockout_response(request, None, credentials)


def _code_failed(request, method: str) -> HttpResponse | None:
    """Count a wrong code for django-axes and the log; the lockout page when it was one too many."""
    user = request.user
    log_sign_in(request, method=method, succeeded=False, user=user, reason="wrong_code")
    credentials = _code_credentials(user)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return get_lockout_response(request, None, credentials)
    return None


def _code_passed(request, device, method: str) -> None:
    otp_login(request, device)
    AxesProxyHandler.reset_attempts(username=_code_credentials(request.user)["username"])
    log_sign_in(request, method=method, succeeded=True, user=request.user)


def _throttled(device) -> bool:
    allowed, _info = device.verify_is_allowed()
    return not allowed


def _check_code(request, device, form, field: str, method: str, wrong: str) -> HttpResponse | None:
    """Check the form's code against the device: a redirect on, the lockout page, or None.

    A wrong code, or any code while the device is throttled, counts for django-axes; None means
    the form comes back with the error.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    throttled = _throttled(device)
    if not throttled and device.verify_token(form.cleaned_data[field]):
        _code_passed(request, device, method)
        return redirect(_safe_next(request))
    locked = _code_failed(request, method)
    if locked:
        return locked
    form.add_error(
        field,
        _("Too many wrong codes in a row. Wait a minute and try again.") if throttled else wrong,
    )
    return None


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def otp_verify(request):
    """Second factor: the code from the user's app; no confirmed app → set one up."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('otp_setup')}?next={_safe_next(request, '/')}")
    form = TokenForm(request.POST or None)
    wrong = _(
        "The code is not right. Enter the code the app shows now; check that your phone's clock "
        "is correct."
    )
    answer = _locked_out(request) or _check_code(request, device, form, "otp_token", "totp", wrong)
    if answer:
        return answer
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def otp_recovery(request):
    """Second factor without the phone: one of the ten recovery codes, each usable once."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    device = StaticDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('otp_verify')}?next={_safe_next(request, '/')}")
    form = RecoveryCodeForm(request.POST or None)
    wrong = _("The code is not one of your unused recovery codes. Check and try again.")
    answer = _locked_out(request) or _check_code(
        request, device, form, "code", "recovery_code", wrong
    )
    if answer:
        if request.user.is_authenticated and request.user.is_verified():
            left = device.token_set.count()
            messages.warning(
                request,
                _(
                    "You logged in with a recovery code; %(left)s codes are left. If you have "
                    "lost your phone, ask your administrator to reset your two-factor login."
                )
                % {"left": left},
            )
        return answer
    return render(
        request, "registration/otp_recovery.html", {"form": form, "next": _safe_next(request, "")}
    )


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones; the codes, to show once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Reservkoder", confirmed=True)
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def otp_setup(request):
    """Enrol the authenticator app: QR code, then one valid code confirms it; recovery codes."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_url_with_next("otp_verify", request))
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Autentiseringsapp"}
    )
    form = TotpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            _code_passed(request, device, "totp_enrolment")
            request.session[_RECOVERY_SESSION_KEY] = _new_recovery_codes(request.user)
            messages.success(request, _("Two-factor login is activated."))
            return redirect(_url_with_next("otp_recovery_codes", request))
        form.add_error(
            "otp_token",
            _("The code does not match. Check that your phone's clock is correct and try again."),
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    qr_data = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "qr_data": qr_data,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _safe_next(request, ""),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_recovery_codes(request):
    """The recovery codes, shown once after they are made; a signed-in user can make new ones."""
    if not request.user.is_verified():
        return redirect(_url_with_next("otp_verify", request))
    if request.method == "POST":
        request.session[_RECOVERY_SESSION_KEY] = _new_recovery_codes(request.user)
        messages.success(request, _("New recovery codes are made; the old ones no longer work."))
        return redirect(_url_with_next("otp_recovery_codes", request))
    codes = request.session.pop(_RECOVERY_SESSION_KEY, None)
    left = StaticToken.objects.filter(device__user=request.user).count()
    return render(
        request,
        "registration/otp_recovery_codes.html",
        {"codes": codes, "left": left, "next": _safe_next(request, reverse("home"))},
    )


def _url_with_next(name: str, request) -> str:
    target = _safe_next(request, "")
    return f"{reverse(name)}?next={target}" if target else reverse(name)


# Password reset (local accounts): Django's views, Swedish templates, limited per address and IP.
RESET_LIMIT_PER_IP = 10
RESET_LIMIT_PER_ADDRESS = 3
RESET_WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return 1


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same whether or not the address has an account."""

    form_class = PortalPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        ip = self.request.META.get("REMOTE_ADDR") or "unknown"
        if _count(f"pwreset:ip:{ip}") > RESET_LIMIT_PER_IP:
            form.add_error(
                None,
                _("Too many requests from your network. Wait an hour and try again."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        address = form.cleaned_data["email"].strip().lower()
        if _count(f"pwreset:address:{address}") > RESET_LIMIT_PER_ADDRESS:
            # Silently no more e-mails to this address for a while: the page is the same.
            return redirect(self.get_success_url())
        if settings.SITE_URL:  # links in e-mails use the configured address, not the Host header
            site = urlsplit(settings.SITE_URL)
            self.domain_override, self.use_https = site.netloc, site.scheme == "https"
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        log_sign_in(self.request, method="password_reset", succeeded=True, user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
