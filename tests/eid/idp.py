"""A real SAML identity provider for the tests: pysaml2's ``Server`` with its own keys.

It publishes metadata the portal loads as a file, verifies the portal's signed AuthnRequests
(HTTP-Redirect binding) and issues signed (optionally encrypted) responses. ``IdpApp`` serves it as
a tiny WSGI site with a Swedish login page, for the browser tests.
"""

from __future__ import annotations

import base64
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import saml2
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string, entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

KEYS = Path(__file__).parent / "keys"
XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
HSA_ATTRIBUTE = "urn:oid:1.2.752.29.6.2.1"
PNR_ATTRIBUTE = "urn:oid:1.2.752.29.4.13"
OTHER_SP = "https://other-service.example/sp"  # another service the IdP also serves


def xmlsec_available() -> bool:
    return bool(shutil.which("xmlsec1"))


@dataclass
class TestIdP:
    """One identity provider: SITHS-like (HSA-id) or Freja-like (personnummer)."""

    base_url: str
    key: str = "siths"
    keyname: str = "idp"
    lifetime_minutes: int = 15
    server: Server | None = None
    users: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    __test__ = False  # not a test class for pytest

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/{self.key}/metadata"

    def config(self, sp_metadata: list[str] | None = None) -> dict[str, Any]:
        return {
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": str(KEYS / f"{self.keyname}.key"),
            "cert_file": str(KEYS / f"{self.keyname}.crt"),
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    "name": f"Test-IdP {self.key}",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base_url}/{self.key}/sso", BINDING_HTTP_REDIRECT),
                        ],
                        "single_logout_service": [
                            (f"{self.base_url}/{self.key}/slo", BINDING_HTTP_REDIRECT),
                        ],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": self.lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": True,
                    "sign_response": True,
                    "sign_assertion": True,
                }
            },
            "metadata": {"inline": sp_metadata} if sp_metadata else {},
        }

    def metadata_xml(self) -> str:
        conf = IdPConfig()
        conf.load(self.config())
        return create_metadata_string(None, config=conf, valid=24 * 7, sign=False).decode()

    def write_metadata(self, directory: Path) -> Path:
        path = directory / f"{self.key}-idp.xml"
        path.write_text(self.metadata_xml())
        return path

    def trust_sp(self) -> None:
        """Load the portal's metadata as its administrators would, and another service's."""
        from saml2.config import SPConfig

        from eid.config import config_dict

        metadata = []
        for entity_id in ("", OTHER_SP):
            sp_conf = SPConfig()
            sp_conf.load({**config_dict(), **({"entityid": entity_id} if entity_id else {})})
            metadata.append(str(entity_descriptor(sp_conf)))
        conf = IdPConfig()
        conf.load(self.config(metadata))
        self.server = Server(config=conf)

    # The protocol ------------------------------------------------------------------------------

    def read_authn_request(self, location: str):
        """Verify and parse the AuthnRequest a redirect to the IdP carries."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert self.server is not None
        request = self.server.parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        return request, query.get("RelayState", "")

    def identity(self, identifier: str) -> dict[str, list[str]]:
        attribute = HSA_ATTRIBUTE if self.key == "siths" else PNR_ATTRIBUTE
        return {attribute: [identifier], "givenName": ["Test"], "sn": ["Person"]}

    def response_xml(self, request, identifier: str, **overrides: Any) -> str:
        """A signed SAML response naming ``identifier``; overrides go to pysaml2."""
        assert self.server is not None
        message = request.message
        args: dict[str, Any] = {
            "identity": self.identity(identifier),
            "in_response_to": message.id,
            "destination": message.assertion_consumer_service_url,
            "sp_entity_id": message.issuer.text,
            "name_id": NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"pid-{identifier}"),
            "authn": {"class_ref": LOA3, "authn_auth": self.entity_id},
            "sign_response": True,
            "sign_assertion": True,
            "sign_alg": saml2.xmldsig.SIG_RSA_SHA256,
            "digest_alg": saml2.xmldsig.DIGEST_SHA256,
        }
        args.update(overrides)
        return str(self.server.create_authn_response(**args))

    def post_data(self, xml: str, relay_state: str) -> dict[str, str]:
        return {
            "SAMLResponse": base64.b64encode(xml.encode()).decode(),
            "RelayState": relay_state,
        }

    def logout_response_location(self, location: str) -> str:
        """Answer the portal's LogoutRequest (HTTP-Redirect) and return where to send the user."""
        assert self.server is not None
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        request = self.server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        response = self.server.create_logout_response(
            request.message, [BINDING_HTTP_REDIRECT], sign=True
        )
        binding, destination = self.server.pick_binding(
            "single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", entity_id=request.issuer.text
        )
        http = self.server.apply_binding(
            binding,
            str(response),
            destination,
            query.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=saml2.xmldsig.SIG_RSA_SHA256,
        )
        return dict(http["headers"])["Location"]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class IdpApp:
    """The IdP as a website: ``/<key>/sso`` shows a login page; its form answers the portal."""

    def __init__(self, idp: TestIdP):
        self.idp = idp
        self.pending: dict[str, Any] = {}

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path.endswith("/sso") and environ["REQUEST_METHOD"] == "GET":
            location = f"{path}?{environ.get('QUERY_STRING', '')}"
            request, relay_state = self.idp.read_authn_request(location)
            self.pending[request.message.id] = (request, relay_state)
            return self._html(start_response, self._login_page(request.message.id))
        if path.endswith("/sso/login") and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
            request, relay_state = self.pending.pop(form["request_id"])
            xml = self.idp.response_xml(request, form["identifier"])
            http = self.idp.server.apply_binding(
                BINDING_HTTP_POST,
                xml,
                request.message.assertion_consumer_service_url,
                relay_state,
                response=True,
            )
            return self._html(start_response, http["data"])
        if path.endswith("/slo"):
            location = self.idp.logout_response_location(
                f"{path}?{environ.get('QUERY_STRING', '')}"
            )
            start_response("302 Found", [("Location", location)])
            return [b""]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _html(self, start_response, body: str):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]

    def _login_page(self, request_id: str) -> str:
        return f"""<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Test-IdP – logga in</title></head><body><main>
<h1>Test-IdP: legitimera dig</h1>
<form method="post" action="/{self.idp.key}/sso/login">
<input type="hidden" name="request_id" value="{request_id}">
<label for="identifier">Identitet</label>
<input id="identifier" name="identifier">
<button type="submit">Legitimera</button>
</form></main></body></html>"""


class IdpServer:
    """The IdP site on a free loopback port, in a thread."""

    def __init__(self, app_factory):
        self.httpd = make_server(
            "127.0.0.1",
            0,
            lambda e, s: self.app(e, s),
            server_class=WSGIServer,
            handler_class=_QuietHandler,
        )
        self.base_url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.app = app_factory(self.base_url)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
