from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal import inbox

# Paths that must work before the second factor is given.
_OTP_EXEMPT_PREFIXES = ("/konto/", "/static/", "/healthz", "/readyz", "/i18n/")


class SessionTimeoutMiddleware:
    """Log out after 30 minutes idle or 10 hours since login, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.setdefault("login_at", now)
            last_seen = session.get("last_seen", now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            expired = now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You have been logged out after a period of inactivity. Please log in again."
                    ),
                )
                return redirect(f"{reverse('login')}?next={request.path}")
            # Write at most once a minute so every request does not rewrite the session.
            if now - last_seen >= 60 or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Every non-demo account must pass TOTP before it reaches any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.session.get("strong_auth")
            and not (settings.DEMO_MODE and user.is_demo)
            and not request.path.startswith(_OTP_EXEMPT_PREFIXES)
        ):
            return redirect(f"{reverse('otp_verify')}?next={request.path}")
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages shown to a logged-in user may hold personal data: browsers must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class SwedishByDefaultMiddleware:
    """The portal speaks Swedish unless the user picks English with the language switch.

    Staff browsers are often set to English; the browser's Accept-Language must not turn a
    Swedish public-sector service English. The switch sets the language cookie, which
    LocaleMiddleware (placed after this one) honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class InboxCountMiddleware:
    """After a user's change (any POST), their cached "Att göra" count is recounted on the next
    page: what they just did may have answered an item (``bus_portal.inbox``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method == "POST" and user is not None and user.is_authenticated:
            inbox.forget_count(user.pk)
        return response
