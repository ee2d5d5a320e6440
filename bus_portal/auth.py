"""Sign-in seams: eID over SAML (SITHS, Freja eID) and the sign-in log.

The SAML service provider (``eid``, djangosaml2) verifies the signed assertion, maps the
provider's attribute to an identifier (SITHS: the HSA-id, Freja eID: the personnummer) and calls
``login_with_external_identity``. ``ExternalIdentity`` rows, set by an administrator, link an
identifier (``issuer`` holds its type, ``subject`` its value) to a portal user: no account is ever
created by a sign-in. An eID sign-in is already two-factor, so the session is marked strongly
authenticated and the TOTP step is skipped for it.

Every sign-in step, succeeded or not, is announced with ``log_sign_in``; the ``eid`` app writes it
to its sign-in log (bus_portal imports no app, so it sends a signal).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.http import HttpRequest

from bus_portal.models import ExternalIdentity, User

STRONG_AUTH_SESSION_KEY = "strong_auth"
MIN_ASSURANCE = 3  # LoA 3 (Swedish "tillitsnivå 3") is required for personal data
EID_BACKEND = "eid.backends.EidBackend"

# Sent for every sign-in step: method ("password", "totp", "recovery_code", or an eID provider's
# key), succeeded, user (or None), username (what was typed, or an HSA-id), reason (a code).
sign_in_attempted = Signal()


class ExternalIdentityRefused(PermissionDenied):
    """An eID assertion that logs no one in; ``reason`` says why, as a code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedAssertion:
    """What a verified SAML assertion says: who signed it and whom it names."""

    idp: str  # entity id of the identity provider whose signature was verified
    identifier_type: str  # "hsa-id" or "personnummer" (ExternalIdentity.issuer)
    subject: str  # the identifier's value
    assurance_level: int
    method: str = "eid"  # the provider's key, for the sign-in log


def trusted_providers() -> dict[str, str]:
    """The configured identity providers: entity id → the identifier type each may assert."""
    return {p.entity_id: p.identifier_type for p in settings.EID_IDENTITY_PROVIDERS}


def linked_user(assertion: VerifiedAssertion) -> User:
    """The active user an administrator linked to this identifier; refused otherwise."""
    if trusted_providers().get(assertion.idp) != assertion.identifier_type:
        raise ExternalIdentityRefused("untrusted")
    if assertion.assurance_level < MIN_ASSURANCE:
        raise ExternalIdentityRefused("weak")
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=assertion.identifier_type, subject=assertion.subject)
        .first()
    )
    if link is None:
        raise ExternalIdentityRefused("unknown")
    if not link.user.is_active:
        raise ExternalIdentityRefused("inactive")
    return link.user


def login_with_external_identity(
    request: HttpRequest, *, assertion: VerifiedAssertion, backend: str = EID_BACKEND
) -> User:
    """Log in the user linked to a verified eID assertion; refuse unknown or weak identities."""
    user = linked_user(assertion)
    login(request, user, backend=backend)
    request.session[STRONG_AUTH_SESSION_KEY] = assertion.method
    return user


def log_sign_in(
    request: HttpRequest | None,
    *,
    method: str,
    succeeded: bool,
    user: User | None = None,
    username: str = "",
    reason: str = "",
) -> None:
    """Announce one sign-in step for the sign-in log."""
    sign_in_attempted.send(
        sender=User,
        request=request,
        method=method,
        succeeded=succeeded,
        user=user,
        username=username,
        reason=reason,
    )
