"""Every demo user's "Att göra" in the browser: exactly their own items, the count in the menu.

The demo county gives each role something to do across the apps: officer2 a SIP invitation and a
confirmation, the unit chief a counterpart response, a notice to answer and minutes to check, the
chair deviation steps, a notice and the county survey; the outsider (another municipality) nothing.
"""

from __future__ import annotations

import pytest

from bus_portal.inbox import items_for
from tests.browser.conftest import assert_accessible, login
from tests.conftest import DEMO_USERNAMES, demo_user

pytestmark = pytest.mark.browser

EXPECTED = {
    "officer2": {
        "Svara på kallelsen till ett SIP-möte",
        "Bekräfta din enhets deltagande i en fastställd SIP",
    },
    "chief": {
        "Svara på kallelsen till ett möte",
        "Skriv svaret från Täby kommun på en avvikelse",
        "Justera minnesanteckningarna",
    },
    "chair": {"Svara på kallelsen till ett möte", "Besvara länsenkäten för den lokala BUS-gruppen"},
    "outsider": set(),
}


@pytest.mark.django_db(transaction=True)
def test_each_user_sees_exactly_their_own_items(page):
    for username in DEMO_USERNAMES:
        expected = [item.title for item in items_for(demo_user(username))]
        assert EXPECTED.get(username, set()) <= set(expected), username
        page.context.clear_cookies()
        login(page, username)
        page.goto("/att-gora/")
        shown = page.locator(".inbox-item a").all_inner_texts()
        assert sorted(shown) == sorted(expected), username
        menu = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att göra")
        if expected:
            words = "sak väntar" if len(expected) == 1 else "saker väntar"
            assert f"{len(expected)} {words}" in " ".join(menu.text_content().split()), username
        else:
            assert page.get_by_text("Inget väntar på dig just nu.").is_visible()
        # Every link leads to a page the user may open.
        for href in page.locator(".inbox-item a").evaluate_all("links => links.map(a => a.href)"):
            response = page.request.get(href)
            assert response.status == 200, (username, href, response.status)
    assert_accessible(page)
