"""The identity providers (SITHS, Freja eID, a federation) configured from the environment.

Read once by ``bus_portal.settings`` into ``EID_IDENTITY_PROVIDERS``; imports nothing of Django's
apps, so settings may import it. One provider per key in ``SAML_IDPS`` (comma-separated)::

    SAML_IDPS=siths,freja
    SAML_IDP_SITHS_ENTITY_ID=https://idp.example.se/saml
    SAML_IDP_SITHS_METADATA=/etc/bus-portalen/siths-idp.xml      # a file, or an https:// URL
    SAML_IDP_SITHS_METADATA_CERT=/etc/bus-portalen/siths-md.crt  # verifies URL metadata (optional)
    SAML_IDP_SITHS_ENCRYPTED=true   # refuse assertions that are not encrypted (default false)

``siths`` gives the HSA-id and ``freja`` the personnummer; another key (a municipality's
federation) names its attribute and button text with ``SAML_IDP_<KEY>_IDENTIFIER``
(``hsa-id`` or ``personnummer``) and ``SAML_IDP_<KEY>_LABEL``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

HSA_ID = "hsa-id"
PERSONNUMMER = "personnummer"

# The SAML attribute that carries each identifier (Swedish eID framework, Sambi), with the
# friendly name pysaml2's attribute maps give it.
IDENTIFIER_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    HSA_ID: ("urn:oid:1.2.752.29.6.2.1", "employeeHsaId"),
    PERSONNUMMER: ("urn:oid:1.2.752.29.4.13", "personalIdentityNumber"),
}

# Known providers: their identifier and the button's text (Swedish; a product name each).
_KNOWN = {
    "siths": (HSA_ID, "Logga in med SITHS-kort"),
    "freja": (PERSONNUMMER, "Logga in med Freja eID"),
}
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class IdentityProvider:
    key: str
    entity_id: str
    metadata: str  # a file path or an https:// URL
    identifier_type: str
    label: str
    metadata_cert: str = ""
    encrypted: bool = False

    @property
    def attributes(self) -> tuple[str, ...]:
        return IDENTIFIER_ATTRIBUTES[self.identifier_type]

    @property
    def is_remote(self) -> bool:
        return self.metadata.startswith(("https://", "http://"))


def providers_from_env(environ: Mapping[str, str] | None = None) -> list[IdentityProvider]:
    """The providers named in SAML_IDPS; a missing or bad value stops start-up."""
    env = os.environ if environ is None else environ
    keys = [k.strip().lower() for k in env.get("SAML_IDPS", "").split(",") if k.strip()]
    providers = []
    for key in keys:
        if not _KEY.match(key):
            raise ImproperlyConfigured(f"SAML_IDPS: {key!r} is not a valid provider key.")
        prefix = f"SAML_IDP_{key.upper()}_"

        def value(name: str, default: str | None = None, *, prefix: str = prefix) -> str:
            raw = env.get(prefix + name, default)
            if raw is None or not raw.strip():
                raise ImproperlyConfigured(f"{prefix}{name} must be set (SAML_IDPS names it).")
            return raw.strip()

        known_type, known_label = _KNOWN.get(key, (None, None))
        identifier_type = value("IDENTIFIER", known_type)
        if identifier_type not in IDENTIFIER_ATTRIBUTES:
            raise ImproperlyConfigured(
                f"{prefix}IDENTIFIER={identifier_type!r}: use {HSA_ID} or {PERSONNUMMER}."
            )
        metadata = value("METADATA")
        if not metadata.startswith(("https://", "http://")) and not os.path.isfile(metadata):
            raise ImproperlyConfigured(f"{prefix}METADATA: no file {metadata!r}.")
        providers.append(
            IdentityProvider(
                key=key,
                entity_id=value("ENTITY_ID"),
                metadata=metadata,
                identifier_type=identifier_type,
                label=value("LABEL", known_label),
                metadata_cert=env.get(prefix + "METADATA_CERT", "").strip(),
                encrypted=env.get(prefix + "ENCRYPTED", "").strip().lower() in _TRUE,
            )
        )
    if len({p.entity_id for p in providers}) != len(providers):
        raise ImproperlyConfigured("SAML_IDPS: two providers have the same entity id.")
    return providers
