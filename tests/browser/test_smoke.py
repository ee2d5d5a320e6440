"""Each demo user logs in and sees their start page; login errors are accessible too."""

import pytest

from tests.browser.support import assert_accessible, login
from tests.permissions import ALL_USERS

pytestmark = pytest.mark.browser


def test_the_login_page_and_its_error_state_are_accessible(page):
    page.goto("/konto/logga-in/")
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill("officer")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    summary = page.locator("#error-summary")
    assert "Fel användarnamn eller lösenord" in summary.inner_text()
    # The summary takes focus so a screen reader announces it.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_accessible(page)


@pytest.mark.parametrize("username", sorted(ALL_USERS))
def test_each_demo_user_sees_their_start_page(page, username):
    login(page, username)
    assert page.url.endswith("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert page.get_by_role("button", name="Logga ut").is_visible()
    assert_accessible(page)
    page.screenshot(path=f"/tmp/start-{username}.png", full_page=True)


def test_keyboard_users_can_skip_to_the_content(page):
    login(page, "officer")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("el => el === document.activeElement")


def test_the_language_switch_changes_the_interface(page):
    login(page, "chief")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()
    assert page.get_by_role("button", name="Log out").is_visible()
    assert_accessible(page)
