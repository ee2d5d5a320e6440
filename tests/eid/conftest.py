"""Fixtures for the SAML tests: a real pysaml2 identity provider and the portal configured for it.

Without xmlsec1 the SAML tests are skipped with the reason (``make test`` installs it as root);
under CI=true they fail instead, since CI must run them.
"""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model

from bus_portal.models import ExternalIdentity
from eid.providers import IdentityProvider
from tests.eid.idp import KEYS, TestIdP, xmlsec_available

HSA_ID = "SE2321000016-EVA1"
PERSONNUMMER = "199001012384"
XMLSEC_MISSING = "xmlsec1 is not installed (apt-get install xmlsec1): SAML tests skipped"


def require_xmlsec() -> None:
    if xmlsec_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("xmlsec1 is missing and CI=true: the SAML tests are required.")
    pytest.skip(XMLSEC_MISSING)


def configure_portal(settings, tmp_path, idps: list[TestIdP], site_url: str, **encrypted) -> None:
    settings.SITE_URL = site_url
    settings.SAML_SP_ENTITY_ID = ""
    settings.SAML_SP_KEY_FILE = str(KEYS / "sp.key")
    settings.SAML_SP_CERT_FILE = str(KEYS / "sp.crt")
    labels = {"siths": "Logga in med SITHS-kort", "freja": "Logga in med Freja eID"}
    types = {"siths": "hsa-id", "freja": "personnummer"}
    settings.EID_IDENTITY_PROVIDERS = [
        IdentityProvider(
            key=idp.key,
            entity_id=idp.entity_id,
            metadata=str(idp.write_metadata(tmp_path)),
            identifier_type=types[idp.key],
            label=labels[idp.key],
            encrypted=encrypted.get(idp.key, False),
        )
        for idp in idps
    ]
    for idp in idps:
        idp.trust_sp()


@pytest.fixture
def siths(settings, tmp_path, db):
    require_xmlsec()
    idp = TestIdP("https://siths-idp.test", key="siths")
    configure_portal(settings, tmp_path, [idp], "http://testserver")
    return idp


@pytest.fixture
def both(settings, tmp_path, db):
    """SITHS and Freja eID configured together (Freja's assertions must be encrypted)."""
    require_xmlsec()
    idps = [
        TestIdP("https://siths-idp.test", key="siths"),
        TestIdP("https://freja-idp.test", key="freja"),
    ]
    configure_portal(settings, tmp_path, idps, "http://testserver", freja=True)
    return idps


@pytest.fixture
def eva(db):
    """A local account an administrator linked to an HSA-id and a personnummer."""
    user = get_user_model().objects.create_user("eva", password="a-long-real-password-1")
    user.first_name, user.last_name = "Eva", "Ek"
    user.save()
    ExternalIdentity.objects.create(user=user, issuer="hsa-id", subject=HSA_ID)
    ExternalIdentity.objects.create(user=user, issuer="personnummer", subject=PERSONNUMMER)
    return user
