"""SAML sign-in against a real pysaml2 identity provider: what it signs is accepted, nothing else."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.urls import reverse
from saml2 import time_util

from eid.models import SignInEvent, UsedAssertion
from tests.eid.conftest import HSA_ID, PERSONNUMMER
from tests.eid.idp import OTHER_SP


def start(client, idp, next_url: str = ""):
    query = f"?idp={idp.key}" + (f"&next={next_url}" if next_url else "")
    response = client.get(reverse("saml2_login") + query)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith(f"{idp.base_url}/{idp.key}/sso?")
    return idp.read_authn_request(response["Location"])


def sign_in(client, idp, identifier: str, **overrides):
    request, relay_state = start(client, idp)
    xml = idp.response_xml(request, identifier, **overrides)
    return client.post(reverse("saml2_acs"), idp.post_data(xml, relay_state))


def test_a_signed_response_for_a_linked_hsa_id_signs_in_without_totp(client, siths, eva):
    response = sign_in(client, siths, HSA_ID)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(eva.pk)
    assert client.get(reverse("home")).status_code == 200
    event = SignInEvent.objects.get()
    assert (event.user, event.method, event.succeeded) == (eva, "siths", True)


def test_the_authn_request_is_signed_and_names_the_portal(client, siths):
    request, relay_state = start(client, siths, next_url="/logg/")
    # read_authn_request verified the redirect signature (the IdP wants signed requests).
    assert request.message.issuer.text == "http://testserver/saml2/metadata/"
    assert request.message.assertion_consumer_service_url == "http://testserver/saml2/acs/"
    assert relay_state == "/logg/"


def test_an_unsigned_authn_request_is_refused_by_the_idp(client, siths):
    response = client.get(reverse("saml2_login") + "?idp=siths")
    location = response["Location"].split("&Signature=")[0]
    with pytest.raises(Exception, match="(?i)signature|signed"):
        siths.read_authn_request(location)


def test_metadata_is_published_with_the_signing_and_encryption_certificates(client, siths):
    response = client.get(reverse("saml2_metadata"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'entityID="http://testserver/saml2/metadata/"' in body
    assert 'AuthnRequestsSigned="true"' in body and 'WantAssertionsSigned="true"' in body
    assert 'use="signing"' in body and 'use="encryption"' in body
    assert "http://testserver/saml2/acs/" in body and "http://testserver/saml2/ls/" in body


def test_without_configured_providers_the_saml_addresses_lead_to_the_login_page(
    client, settings, db
):
    settings.EID_IDENTITY_PROVIDERS = []
    for response in (
        client.get(reverse("saml2_metadata")),
        client.get(reverse("saml2_login") + "?idp=siths"),
        client.post(reverse("saml2_acs"), {"SAMLResponse": "x"}),
        client.get(reverse("saml2_ls")),
    ):
        assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "Logga in med" not in client.get(reverse("login")).content.decode()


def _refused(client, response, reason):
    assert response.status_code == 302
    assert response["Location"] == reverse("eid_failed")
    assert "_auth_user_id" not in client.session
    event = SignInEvent.objects.filter(succeeded=False).latest("id")
    assert (event.method, event.reason) == ("siths", reason)
    page = client.get(response["Location"])
    assert "Inloggningen lyckades inte" in page.content.decode()


def test_a_tampered_signature_is_refused(client, siths, eva):
    request, relay_state = start(client, siths)
    xml = siths.response_xml(request, "SE2321000016-MALLORY")
    # Change the signed identifier to Eva's: the signature no longer matches.
    tampered = xml.replace("SE2321000016-MALLORY", HSA_ID)
    response = client.post(reverse("saml2_acs"), siths.post_data(tampered, relay_state))
    _refused(client, response, "signature")


def test_a_response_signed_by_another_key_is_refused(client, siths, eva):
    from tests.eid.idp import TestIdP

    request, relay_state = start(client, siths)
    impostor = TestIdP(siths.base_url, key="siths", keyname="other")
    impostor.trust_sp()
    xml = impostor.response_xml(request, HSA_ID)
    response = client.post(reverse("saml2_acs"), siths.post_data(xml, relay_state))
    _refused(client, response, "signature")


def test_an_unsigned_response_is_refused(client, siths, eva):
    response = sign_in(client, siths, HSA_ID, sign_response=False, sign_assertion=False)
    _refused(client, response, "signature")


def test_a_response_for_another_audience_is_refused(client, siths, eva):
    response = sign_in(client, siths, HSA_ID, sp_entity_id=OTHER_SP)
    _refused(client, response, "audience")


def test_an_expired_assertion_is_refused(client, siths, eva, monkeypatch):
    request, relay_state = start(client, siths)
    data = siths.post_data(siths.response_xml(request, HSA_ID), relay_state)
    # It arrives 20 minutes later: past its 15 minutes and the minute of allowed clock skew.
    later = time_util.utc_now() + 20 * 60
    monkeypatch.setattr(time_util, "utc_now", lambda: later)
    response = client.post(reverse("saml2_acs"), data)
    _refused(client, response, "expired")


def test_a_replayed_response_is_refused(client, siths, eva):
    request, relay_state = start(client, siths)
    data = siths.post_data(siths.response_xml(request, HSA_ID), relay_state)
    saml_session = SessionStore(client.cookies["saml_session"].value)
    outstanding = saml_session.load()
    assert client.post(reverse("saml2_acs"), data).status_code == 302
    client.logout()
    # The same response again, later: its request is no longer outstanding.
    response = client.post(reverse("saml2_acs"), data)
    _refused(client, response, "unsolicited")
    # Two posts racing while the request is still outstanding (both read the state before either
    # wrote it): the assertion's ID is claimed once, so the second is refused as a replay.
    saml_session.update(outstanding)
    saml_session.save()
    client.cookies["saml_session"] = saml_session.session_key
    response = client.post(reverse("saml2_acs"), data)
    assert UsedAssertion.objects.count() == 1
    _refused(client, response, "replay")


def test_an_unknown_identity_is_not_created_and_gets_the_swedish_access_page(client, siths, db):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    response = sign_in(client, siths, "SE2321000016-NEW1")
    assert response["Location"] == reverse("eid_unknown_identity")
    assert get_user_model().objects.count() == users
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Du har inget konto i BUS-portalen" in page and "HSA-id" in page
    event = SignInEvent.objects.get()
    assert (event.method, event.succeeded, event.reason) == ("siths", False, "unknown")
    assert event.username == "SE2321000016-NEW1"


def test_freja_gives_the_personnummer_in_an_encrypted_assertion(client, both, eva):
    siths, freja = both
    request, relay_state = start(client, freja)
    xml = freja.response_xml(
        request,
        PERSONNUMMER,
        encrypt_assertion=True,
        encrypt_cert_assertion=None,
        sign_response=True,
        encrypted_advice_attributes=False,
    )
    assert "EncryptedAssertion" in xml and PERSONNUMMER not in xml
    response = client.post(reverse("saml2_acs"), freja.post_data(xml, relay_state))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(eva.pk)
    event = SignInEvent.objects.get()
    assert (event.method, event.succeeded, event.username) == ("freja", True, "eva")  # no pnr


def test_where_encryption_is_configured_a_plain_assertion_is_refused(client, both, eva):
    siths, freja = both
    response = sign_in(client, freja, PERSONNUMMER)
    assert response["Location"] == reverse("eid_failed")
    event = SignInEvent.objects.get()
    assert (event.method, event.reason) == ("freja", "not_encrypted")


def test_the_login_page_offers_the_configured_providers(client, both):
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med SITHS-kort" in page and "Logga in med Freja eID" in page
    assert "?idp=siths" in page and "?idp=freja" in page
    assert 'name="password"' in page  # the password login stays


def test_single_logout_ends_the_session_at_the_portal_and_the_idp(client, siths, eva):
    assert sign_in(client, siths, HSA_ID).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 307 and response["Location"] == reverse("saml2_logout")
    response = client.post(reverse("saml2_logout"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{siths.base_url}/siths/slo?SAMLRequest=")
    assert "_auth_user_id" not in client.session
    back = siths.logout_response_location(response["Location"])
    assert back.startswith("http://testserver/saml2/ls/?SAMLResponse=")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
