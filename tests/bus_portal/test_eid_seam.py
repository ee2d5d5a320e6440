import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from bus_portal.auth import VerifiedAssertion, login_with_external_identity
from bus_portal.models import ExternalIdentity

SITHS = "https://idp.siths.se"


@pytest.fixture
def linked_user(db):
    user = get_user_model().objects.create_user("eva", password="not-used-with-eid-123")
    ExternalIdentity.objects.create(user=user, issuer=SITHS, subject="SE2321000016-ABCD")
    return user


def _request():
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def test_a_linked_eid_assertion_logs_in_without_totp(client, linked_user):
    request = _request()
    user = login_with_external_identity(
        request, assertion=VerifiedAssertion(SITHS, "SE2321000016-ABCD", assurance_level=3)
    )
    assert user == linked_user
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    "assertion",
    [
        VerifiedAssertion("https://evil.example", "SE2321000016-ABCD", 3),
        VerifiedAssertion(SITHS, "SE2321000016-ABCD", 2),
        VerifiedAssertion(SITHS, "unknown-subject", 3),
    ],
)
def test_it_refuses_untrusted_weak_or_unlinked_identities(linked_user, assertion):
    with pytest.raises(PermissionDenied):
        login_with_external_identity(_request(), assertion=assertion)
