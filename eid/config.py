"""The pysaml2 service-provider configuration, built from the settings (``SAML_CONFIG_LOADER``).

Endpoints hang off ``SITE_URL``; the identity providers come from ``EID_IDENTITY_PROVIDERS``
(``eid.providers``). Loading metadata parses XML and may fetch a URL, so a built configuration is
kept for ``SAML_METADATA_CACHE_SECONDS`` per process.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import saml2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.sigver import get_xmlsec_binary
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from eid.providers import IdentityProvider

_cache: dict[tuple, tuple[float, SPConfig]] = {}
_lock = threading.Lock()


def providers() -> list[IdentityProvider]:
    return list(settings.EID_IDENTITY_PROVIDERS)


def provider_by_key(key: str | None) -> IdentityProvider | None:
    return next((p for p in providers() if p.key == key), None)


def provider_by_entity_id(entity_id: str | None) -> IdentityProvider | None:
    return next((p for p in providers() if p.entity_id == entity_id), None)


def site_url() -> str:
    return (settings.SITE_URL or "").rstrip("/")


def sp_entity_id() -> str:
    return settings.SAML_SP_ENTITY_ID or f"{site_url()}/saml2/metadata/"


def xmlsec_binary() -> str:
    configured = settings.SAML_XMLSEC_BINARY
    if configured:
        return configured
    try:
        return get_xmlsec_binary(["/usr/bin", "/usr/local/bin"])
    except saml2.sigver.SigverError as exc:
        raise ImproperlyConfigured("xmlsec1 is missing: apt-get install xmlsec1") from exc


def config_dict() -> dict[str, Any]:
    """The SP's pysaml2 configuration as a dict (also what the metadata page describes)."""
    if not settings.SAML_SP_KEY_FILE or not settings.SAML_SP_CERT_FILE:
        raise ImproperlyConfigured("SAML_SP_KEY_FILE and SAML_SP_CERT_FILE must be set for eID.")
    base = site_url()
    local = [p.metadata for p in providers() if not p.is_remote]
    remote = [
        {"url": p.metadata, **({"cert": p.metadata_cert} if p.metadata_cert else {})}
        for p in providers()
        if p.is_remote
    ]
    return {
        "entityid": sp_entity_id(),
        "xmlsec_binary": xmlsec_binary(),
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SAML_ACCEPTED_TIME_DIFF,
        "key_file": settings.SAML_SP_KEY_FILE,
        "cert_file": settings.SAML_SP_CERT_FILE,
        "encryption_keypairs": [
            {
                "key_file": settings.SAML_SP_ENCRYPTION_KEY_FILE or settings.SAML_SP_KEY_FILE,
                "cert_file": settings.SAML_SP_ENCRYPTION_CERT_FILE or settings.SAML_SP_CERT_FILE,
            }
        ],
        "service": {
            "sp": {
                "name": "BUS-portalen",
                "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT],
                "endpoints": {
                    "assertion_consumer_service": [(f"{base}/saml2/acs/", saml2.BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (f"{base}/saml2/ls/", saml2.BINDING_HTTP_REDIRECT),
                        (f"{base}/saml2/ls/post/", saml2.BINDING_HTTP_POST),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "want_assertions_or_response_signed": True,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "requested_attribute_name_format": saml2.saml.NAME_FORMAT_URI,
            }
        },
        "metadata": {
            **({"local": local} if local else {}),
            **({"remote": remote} if remote else {}),
        },
        "organization": {
            "name": [("BUS-portalen", "sv")],
            "display_name": [("BUS-portalen", "sv")],
            "url": [(base or "https://bus-portalen.example", "sv")],
        },
    }


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """djangosaml2's config loader: the SP configuration, cached per process for a while."""
    key = (
        sp_entity_id(),
        site_url(),
        settings.SAML_SP_KEY_FILE,
        settings.SAML_SP_CERT_FILE,
        settings.SAML_SP_ENCRYPTION_KEY_FILE,
        settings.SAML_SP_ENCRYPTION_CERT_FILE,
        settings.SAML_ACCEPTED_TIME_DIFF,
        tuple(providers()),
    )
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
        if cached and now - cached[0] < settings.SAML_METADATA_CACHE_SECONDS:
            return cached[1]
    conf = SPConfig()
    conf.load(config_dict())
    with _lock:
        _cache.clear()
        _cache[key] = (now, conf)
    return conf
