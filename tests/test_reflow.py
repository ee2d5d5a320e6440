"""Every page of the portal at 320 and at 1280 CSS pixels, through axe at both widths.

A crawler over the permission matrix: each HTML page a user may open is loaded at 320 px (what
400 % zoom gives on a 1280 px screen, WCAG 1.4.10 Reflow) with the text-spacing overrides of
WCAG 1.4.12 (line height 1.5, paragraph spacing 2, letter spacing 0.12, word spacing 0.16); the
page itself must not scroll sideways (a wide table scrolls inside its own labelled, focusable
region) and axe must find no WCAG 2.1 A/AA violation, there and again at 1280 px. Each page is
crawled as the first user (in ``PREFERENCE``) allowed to open it, and every user's start page,
whose panels depend on the role, as that user.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import login
from tests.conftest import client_for
from tests.permissions import Route
from tests.test_fuzz import PREFERENCE
from tests.test_permission_matrix import ROUTES

pytestmark = pytest.mark.browser

WIDTH = 320
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
DESKTOP = 1280
USERS = ["admin", "secretariat", "chair", "chief", "officer", "officer2", "outsider", "bussam"]


def _user_for(route: Route) -> str:
    return next(name for name in PREFERENCE if name in route.allowed)


def _html_pages(username: str) -> list[str]:
    client = client_for(username)
    urls = [reverse("home")]
    for route in ROUTES:
        if route.method != "get" or route.public or _user_for(route) != username:
            continue
        url = reverse(route.name, kwargs=route.kwargs())
        response = client.get(url)
        html = "text/html" in response.get("Content-Type", "")
        if response.status_code == 200 and html and url not in urls:
            urls.append(url)
    return urls


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", USERS)
def test_every_page_reflows_at_320_px_and_passes_axe_at_both_widths(
    browser, live_server, demo_county, username
):
    from tests.browser.support import WCAG_TAGS, _axe

    # The test's own style sheet is inline, which the portal's CSP (rightly) refuses.
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    login(page, username)
    too_wide, violations = [], []
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    for url in _html_pages(username):
        page.set_viewport_size({"width": WIDTH, "height": 900})
        page.goto(url)
        page.add_style_tag(content=TEXT_SPACING)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide.append((url, width))
        for viewport in (WIDTH, DESKTOP):
            page.set_viewport_size({"width": viewport, "height": 900})
            results = _axe.run(page, options=options)
            if results.violations_count:
                ids = [v["id"] for v in results.response["violations"]]
                violations.append((url, viewport, ids))
    context.close()
    assert not too_wide and not violations, {"too wide": too_wide, "axe": violations}
