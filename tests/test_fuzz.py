"""Hostile input to every page of the portal: no response is a server error.

For every named URL in the permission matrix (``tests/<app>/routes.py``), a user allowed to use
it asks for the page with hostile query parameters, then sends each form on the page with every
field set to one hostile value at a time: numbers far beyond any column, 10,000-character text,
control and bidirectional characters, impossible dates, a formula. Each route is one test (the
demo county is restored between them); a response of 500 or more fails it, naming the value.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.permissions import Route
from tests.test_permission_matrix import ROUTES

pytestmark = pytest.mark.django_db

HOSTILE = {
    "huge number": "99999999999999999999",
    "huge negative number": "-99999999999999999999",
    "int32 overflow": "2147483648",
    "long text": "å" * 10_000,
    "control and bidi characters": "a\x00b\x07\u202eC\ufeff😀",
    "ancient date": "1800-01-01",
    "far date": "9999-12-31",
    "impossible date": "2026-02-30",
    "formula": '=HYPERLINK("http://example.org")',
    "empty": "",
}
QUERY = {
    "page": HOSTILE["huge number"],
    "year": HOSTILE["huge number"],
    "q": HOSTILE["long text"],
    "status": "a\x00b",
    "from": HOSTILE["impossible date"],
    "to": HOSTILE["far date"],
    "user": HOSTILE["huge number"],
    "child": HOSTILE["long text"][:300],
}
# Who tries each route: the first of these the route allows.
PREFERENCE = ["admin", "secretariat", "chair", "chief", "officer", "bussam", "officer2", "outsider"]

_FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.I)
_SKIP = {"csrfmiddlewaretoken", "language", "next"}


def _post_forms(html: str) -> list[list[str]]:
    """The field names of each POST form on the page (file inputs and the CSRF token left out)."""
    forms = []
    for match in _FORM.finditer(html):
        opening = html[match.start() : match.start() + 200].lower()
        if 'method="post"' not in opening:
            continue
        names = [
            unescape(name)
            for tag, name in ((m.group(0), m.group(1)) for m in _FIELD.finditer(match.group(1)))
            if 'type="file"' not in tag and name not in _SKIP
        ]
        if names:
            forms.append(sorted(set(names)))
    return forms


def _user_for(route: Route) -> str:
    return next(name for name in PREFERENCE if name in route.allowed)


def _routes() -> list[Route]:
    return [route for route in ROUTES if route.allowed and not route.public]


@pytest.mark.parametrize("route", _routes(), ids=str)
def test_hostile_input_never_gives_a_server_error(route: Route):
    client = client_for(_user_for(route))
    client.raise_request_exception = False
    url = reverse(route.name, kwargs=route.kwargs())
    failures = []
    forms: list[list[str]] = [sorted(route.data())] if route.method == "post" else []
    page = client.get(url, QUERY)
    if page.status_code >= 500:
        failures.append(("GET with hostile query", page.status_code))
    if route.method == "get" and page.status_code == 200 and "html" in page.get("Content-Type", ""):
        forms += _post_forms(page.content.decode())
    for names in forms:
        for label, value in HOSTILE.items():
            response = client.post(url, dict.fromkeys(names, value))
            if response.status_code >= 500:
                failures.append((f"POST {label} to {names[:6]}", response.status_code))
    assert not failures, failures
