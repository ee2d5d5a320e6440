"""The seam every eID sign-in ends in: a verified assertion → the linked user, or a refusal."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.urls import reverse

from bus_portal.auth import (
    ExternalIdentityRefused,
    VerifiedAssertion,
    linked_user,
    login_with_external_identity,
)
from bus_portal.models import ExternalIdentity
from eid.providers import IdentityProvider

SITHS_IDP = "https://idp.siths.example/saml"
FREJA_IDP = "https://idp.freja.example/saml"
PROVIDERS = [
    IdentityProvider("siths", SITHS_IDP, "/dev/null", "hsa-id", "SITHS"),
    IdentityProvider("freja", FREJA_IDP, "/dev/null", "personnummer", "Freja"),
]


@pytest.fixture(autouse=True)
def _providers(settings):
    settings.EID_IDENTITY_PROVIDERS = PROVIDERS


@pytest.fixture
def linked(db):
    user = get_user_model().objects.create_user("eva", password="not-used-with-eid-123")
    ExternalIdentity.objects.create(user=user, issuer="hsa-id", subject="SE2321000016-ABCD")
    return user


def _request():
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def test_a_linked_eid_assertion_logs_in_without_totp(client, linked):
    request = _request()
    user = login_with_external_identity(
        request,
        assertion=VerifiedAssertion(SITHS_IDP, "hsa-id", "SE2321000016-ABCD", 3, "siths"),
    )
    assert user == linked
    assert request.session["strong_auth"] == "siths"
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("assertion", "reason"),
    [
        (VerifiedAssertion("https://evil.example", "hsa-id", "SE2321000016-ABCD", 3), "untrusted"),
        # A provider may assert only its own kind of identifier: Freja gives no HSA-ids.
        (VerifiedAssertion(FREJA_IDP, "hsa-id", "SE2321000016-ABCD", 3), "untrusted"),
        (VerifiedAssertion(SITHS_IDP, "hsa-id", "SE2321000016-ABCD", 2), "weak"),
        (VerifiedAssertion(SITHS_IDP, "hsa-id", "SE2321000016-OTHER", 3), "unknown"),
        (VerifiedAssertion(FREJA_IDP, "personnummer", "SE2321000016-ABCD", 3), "unknown"),
    ],
)
def test_it_refuses_untrusted_weak_or_unlinked_identities(linked, assertion, reason):
    with pytest.raises(ExternalIdentityRefused) as refused:
        login_with_external_identity(_request(), assertion=assertion)
    assert refused.value.reason == reason


def test_a_deactivated_account_is_refused(linked):
    linked.is_active = False
    linked.save()
    with pytest.raises(ExternalIdentityRefused, match="inactive"):
        linked_user(VerifiedAssertion(SITHS_IDP, "hsa-id", "SE2321000016-ABCD", 3))


def test_no_configured_provider_means_no_eid_sign_in(settings, linked):
    settings.EID_IDENTITY_PROVIDERS = []
    with pytest.raises(ExternalIdentityRefused, match="untrusted"):
        linked_user(VerifiedAssertion(SITHS_IDP, "hsa-id", "SE2321000016-ABCD", 3))
