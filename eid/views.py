"""The SAML service provider's pages: djangosaml2's views ending in the portal's seam.

Sign-in starts at ``saml2/login/?idp=<key>`` (the login page's buttons), goes to the identity
provider with a signed AuthnRequest (HTTP-Redirect) and comes back signed to ``saml2/acs/``. There
the response is verified by pysaml2 (signature, audience, time, InResponseTo), its assertion ID is
claimed once (a replay is refused), the provider's attribute is mapped to an identifier and the
seam logs in the linked user. Failures go to a Swedish page; every outcome is in the sign-in log.
"""

from __future__ import annotations

import base64
import calendar
import datetime
import logging

from defusedxml import ElementTree
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from djangosaml2 import views as saml_views
from saml2.response import SignatureError, StatusError, UnsolicitedResponse
from saml2.time_util import str_to_time
from saml2.validate import ResponseLifetimeExceed, ToEarly

from bus_portal.auth import ExternalIdentityRefused, log_sign_in, login_with_external_identity
from eid.backends import verified_assertion
from eid.config import provider_by_entity_id, provider_by_key, providers
from eid.models import UsedAssertion

logger = logging.getLogger(__name__)

_PROVIDER_SESSION_KEY = "eid_provider"


class RefusedResponse(SuspiciousOperation):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _reason(exception: BaseException | None) -> str:
    """A short code for the sign-in log: why the response logged no one in."""
    if isinstance(exception, (RefusedResponse, ExternalIdentityRefused)):
        return exception.reason
    for kind, code in (
        (SignatureError, "signature"),
        (ResponseLifetimeExceed, "expired"),
        (ToEarly, "not_yet_valid"),
        (UnsolicitedResponse, "unsolicited"),
        (StatusError, "idp_status"),
    ):
        if isinstance(exception, kind):
            return code
    logger.info("SAML response refused", exc_info=exception)
    text = str(exception or "").lower()
    if "audience" in text:
        return "audience"
    if "signature" in text or "signed" in text:
        return "signature"
    return "invalid"


def _to_login_page() -> HttpResponse:
    """Where a SAML address leads when eID is not configured (or the provider is unknown)."""
    return HttpResponseRedirect(reverse("login"))


def _provider_key_named_in(saml_response: str) -> str:
    """The key of the provider a (possibly invalid) response names as issuer, for the log."""
    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response[:1_000_000], validate=False))
    except Exception:  # noqa: BLE001 - anything unreadable names no provider
        return ""
    issuer = root.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
    provider = provider_by_entity_id(
        issuer.text.strip() if issuer is not None and issuer.text else ""
    )
    return provider.key if provider else ""


@method_decorator(never_cache, name="dispatch")
class EidLoginView(saml_views.LoginView):
    """Start a sign-in with the provider the button names (``?idp=siths``)."""

    def get(self, request, *args, **kwargs):
        provider = provider_by_key(request.GET.get("idp"))
        if provider is None:
            return _to_login_page()
        query = request.GET.copy()
        query["idp"] = provider.entity_id
        request.GET = query
        request.saml_session[_PROVIDER_SESSION_KEY] = provider.key
        return super().get(request, *args, **kwargs)


class EidAcsView(saml_views.AssertionConsumerServiceView):
    """The assertion consumer service: verify, refuse a replay, map, and call the seam."""

    def custom_validation(self, response) -> None:
        provider = provider_by_entity_id(response.issuer())
        if provider is None:
            self.refused = RefusedResponse("untrusted")
            raise self.refused
        self.provider_key = provider.key
        assertion = response.assertion
        if provider.encrypted and any(a is assertion for a in response.response.assertion):
            self.refused = RefusedResponse("not_encrypted")
            raise self.refused
        expires = timezone.now() + datetime.timedelta(hours=1)
        for confirmation in assertion.subject.subject_confirmation:
            data = confirmation.subject_confirmation_data
            if data is not None and data.not_on_or_after:
                expires = datetime.datetime.fromtimestamp(
                    calendar.timegm(str_to_time(data.not_on_or_after)), tz=datetime.UTC
                )
        UsedAssertion.objects.filter(expires_at__lt=timezone.now()).delete()
        try:
            with transaction.atomic():
                UsedAssertion.objects.create(
                    assertion_id=str(assertion.id)[:200],
                    issuer=provider.entity_id[:200],
                    expires_at=expires,
                )
        except IntegrityError:
            self.refused = RefusedResponse("replay")
            raise self.refused from None

    def authenticate_user(
        self, request, session_info, attribute_mapping, create_unknown_user, assertion_info
    ):
        assertion = verified_assertion(session_info)
        self.provider_key = assertion.method
        try:
            user = login_with_external_identity(request, assertion=assertion)
        except ExternalIdentityRefused as refused:
            if assertion.identifier_type == "hsa-id":
                self.refused_username = assertion.subject
            raise refused
        saml_views._set_subject_id(request.saml_session, session_info["name_id"])
        request.saml_session.pop(_PROVIDER_SESSION_KEY, None)
        log_sign_in(
            request,
            method=assertion.method,
            succeeded=True,
            user=user,
            username=assertion.subject if assertion.identifier_type == "hsa-id" else "",
        )
        return user

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        if isinstance(exception, SuspiciousOperation) and hasattr(self, "refused"):
            exception = self.refused
        reason = _reason(exception)
        method = (
            getattr(self, "provider_key", "")
            or _provider_key_named_in(request.POST.get("SAMLResponse", ""))
            or request.saml_session.get(_PROVIDER_SESSION_KEY, "eid")
        )
        log_sign_in(
            request,
            method=method,
            succeeded=False,
            username=getattr(self, "refused_username", ""),
            reason=reason,
        )
        if reason in ("unknown", "inactive"):
            return HttpResponseRedirect(reverse("eid_unknown_identity"))
        return HttpResponseRedirect(reverse("eid_failed"))

    def post(self, request, *args, **kwargs):
        if not providers():
            return _to_login_page()
        if "SAMLResponse" not in request.POST:
            return self.handle_acs_failure(request, RefusedResponse("no_response"))
        return super().post(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class EidLogoutInitView(saml_views.LogoutInitView):
    """Single logout: end the portal session and ask the identity provider to end its own.

    Reached by POST only (the portal's log-out button sends eID sessions here), so another site
    cannot sign a user out with a link.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not providers() or saml_views._get_subject_id(request.saml_session) is None:
            logout(request)
            return _to_login_page()
        return super().get(request, *args, **kwargs)

    def handle_unsupported_slo_exception(self, request, exception, *args, **kwargs):
        return HttpResponseRedirect(reverse("login"))


class EidLogoutServiceView(saml_views.LogoutView):
    """Answers from the identity provider to our logout, and logouts it starts."""

    logout_error_template = "eid/logout_error.html"

    def dispatch(self, request, *args, **kwargs):
        if not providers():
            return _to_login_page()
        return super().dispatch(request, *args, **kwargs)


class EidMetadataView(saml_views.MetadataView):
    """The SP's metadata for the identity providers' administrators."""

    def get(self, request, *args, **kwargs):
        if not providers():
            return _to_login_page()
        response = super().get(request, *args, **kwargs)
        response["Content-Type"] = "application/samlmetadata+xml; charset=utf-8"
        return response


def unknown_identity(request: HttpRequest) -> HttpResponse:
    """The eID was fine, but no account is linked to it: how to get access."""
    return render(request, "eid/unknown_identity.html")


def failed(request: HttpRequest) -> HttpResponse:
    """The identity provider's answer could not be accepted."""
    return render(request, "eid/failed.html")
