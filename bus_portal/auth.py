"""Login seam for eID over SAML (SITHS, Freja eID).

A SAML adapter (e.g. djangosaml2 or python3-saml, not yet installed) verifies the signed
assertion and calls ``login_with_external_identity``. An eID login is already two-factor, so
the session is marked strongly authenticated and the TOTP step is skipped for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bus_portal.models import ExternalIdentity, User

STRONG_AUTH_SESSION_KEY = "strong_auth"
TRUSTED_ISSUERS = frozenset({"https://idp.siths.se", "https://idp.frejaeid.com"})
MIN_ASSURANCE = 3  # LoA 3 (Swedish "tillitsnivå 3") is required for personal data


@dataclass(frozen=True)
class VerifiedAssertion:
    issuer: str
    subject: str
    assurance_level: int


def login_with_external_identity(request: HttpRequest, *, assertion: VerifiedAssertion) -> User:
    """Log in the user linked to a verified eID assertion; refuse unknown or weak identities."""
    if assertion.issuer not in TRUSTED_ISSUERS or assertion.assurance_level < MIN_ASSURANCE:
        raise PermissionDenied("Untrusted identity provider or insufficient assurance level.")
    try:
        link = ExternalIdentity.objects.select_related("user").get(
            issuer=assertion.issuer, subject=assertion.subject
        )
    except ExternalIdentity.DoesNotExist as exc:
        raise PermissionDenied("No portal account is linked to this identity.") from exc
    if not link.user.is_active:
        raise PermissionDenied("The account is deactivated.")
    login(request, link.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[STRONG_AUTH_SESSION_KEY] = assertion.issuer
    return link.user
