"""From a verified SAML response to a portal user, through the seam in ``bus_portal.auth``.

``verified_assertion`` maps the provider's attribute to the identifier (SITHS: the HSA-id,
Freja eID: the personnummer) and the authentication context to an assurance level.
``EidBackend`` is djangosaml2's backend for the same mapping: it finds the linked user and never
creates one.
"""

from __future__ import annotations

import re
from typing import Any

from djangosaml2.backends import Saml2Backend

from bus_portal.auth import ExternalIdentityRefused, VerifiedAssertion, linked_user
from bus_portal.models import User
from eid.config import provider_by_entity_id
from eid.providers import PERSONNUMMER

_LOA = re.compile(r"loa-?(\d)\b", re.IGNORECASE)
# Certificate-based contexts (the SITHS card) are tillitsnivå 3 where the IdP names no level.
_PKI_CONTEXTS = frozenset(
    {
        "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:X509",
    }
)
_PERSONNUMMER = re.compile(r"^(?:19|20)\d{6}\d{4}$")
_HSA_ID = re.compile(r"^[A-Z]{2}\d{6,14}-[0-9A-Za-z]{1,30}$")


def assurance_level(session_info: dict[str, Any]) -> int:
    """The highest level any authentication context of the response names (0 when none)."""
    level = 0
    for context in session_info.get("authn_info") or []:
        class_ref = str(context[0] or "")
        match = _LOA.search(class_ref)
        if match:
            level = max(level, int(match.group(1)))
        elif class_ref in _PKI_CONTEXTS:
            level = max(level, 3)
    return level


def identifier(session_info: dict[str, Any], names: tuple[str, ...]) -> str:
    """The first value of the first of these attributes the response carries."""
    attributes = session_info.get("ava") or {}
    for name in names:
        values = attributes.get(name)
        if values:
            return str(values[0]).strip()
    return ""


def verified_assertion(session_info: dict[str, Any]) -> VerifiedAssertion:
    """What pysaml2 verified, as the seam takes it; refused when the identifier is missing."""
    provider = provider_by_entity_id(session_info.get("issuer"))
    if provider is None:
        raise ExternalIdentityRefused("untrusted")
    subject = identifier(session_info, provider.attributes)
    if provider.identifier_type == PERSONNUMMER:
        subject = subject.replace("-", "")
        valid = bool(_PERSONNUMMER.match(subject))
    else:
        valid = bool(_HSA_ID.match(subject))
    if not valid:
        raise ExternalIdentityRefused("no_identifier")
    return VerifiedAssertion(
        idp=provider.entity_id,
        identifier_type=provider.identifier_type,
        subject=subject,
        assurance_level=assurance_level(session_info),
        method=provider.key,
    )


class EidBackend(Saml2Backend):
    """djangosaml2's backend: the user linked to the assertion's identifier, never a new one."""

    def authenticate(
        self,
        request,
        session_info=None,
        attribute_mapping=None,
        create_unknown_user=False,
        assertion_info=None,
        **kwargs,
    ) -> User | None:
        if not session_info:
            return None
        try:
            return linked_user(verified_assertion(session_info))
        except ExternalIdentityRefused:
            return None

    def get_or_create_user(self, *args, **kwargs):
        raise ExternalIdentityRefused("unknown")  # accounts are made by an administrator
