"""Every named URL, for every demo role: logged out → login, no right → 403, other organisation → 404."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.conftest import client_for
from tests.permissions import ALL_USERS, Route

# URLs outside the portal's own screens: Django admin (staff only, its own checks) and i18n.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}


def _collect_routes() -> list[Route]:
    routes: list[Route] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            try:
                routes_module = importlib.import_module(f"tests.{module.name}.routes")
            except ModuleNotFoundError:
                continue
            routes.extend(routes_module.ROUTES)
    return routes


ROUTES = _collect_routes()


def _named_urls(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _named_urls(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name not in EXCLUDED_NAMES:
                yield name


def test_every_named_url_is_in_the_matrix():
    listed = {route.name for route in ROUTES}
    missing = sorted(set(_named_urls(get_resolver().url_patterns)) - listed)
    assert not missing, f"Add these URLs to a tests/<app>/routes.py: {missing}"


def _request(client, route: Route):
    url = reverse(route.name, kwargs=route.kwargs())
    if route.method == "post":
        return client.post(url, data=route.data())
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_logged_out_visitors_are_sent_to_login(client, route):
    response = _request(client, route)
    if route.public:
        assert response.status_code < 400
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# What "allowed" means unless a route says otherwise: a page answers 200, an action redirects.
_OK = {"get": (200,), "post": (302,)}


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(ALL_USERS))
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_role_gets_the_expected_answer(route, username):
    response = _request(client_for(username), route)
    if route.public:
        assert response.status_code < 400
    elif username in route.hidden:
        assert response.status_code == 404, f"{username} should not see that {route.name} exists"
    elif username in route.allowed:
        expected = route.ok_status or _OK[route.method]
        assert response.status_code in expected, (
            f"{username} should be allowed on {route.name}: {response.status_code}"
        )
        if not route.ok_status and response.status_code == 302:
            # A redirect to the login page is a refusal, not an answer.
            assert not response["Location"].startswith(reverse("login")), route.name
    else:
        assert response.status_code == 403, f"{username} should be refused on {route.name}"
