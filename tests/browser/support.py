"""Playwright against Debian's Chromium, with axe on every page a test visits.

The fixtures are registered once, in tests/conftest.py: one Playwright instance per session
(two sync Playwright instances in one process cannot coexist). Import ``login`` and
``assert_accessible`` from here. With CI=true a missing browser fails the run; elsewhere the
browser tests are skipped.
"""

from __future__ import annotations

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


# One Playwright and one Chromium per process, however many conftests register the fixture:
# two sync Playwright instances cannot run at once in one process.
_shared: dict = {}


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI requires the browser tests.")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    owner = "browser" not in _shared
    if owner:
        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    yield _shared["browser"]
    if owner:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


@pytest.fixture
def demo_county(transactional_db):
    """Live-server tests flush the database after each test, so they seed their own county."""
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def page(browser, live_server, demo_county):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe-core with the WCAG 2.1 A/AA rules: zero violations, or the test fails with the list.

    A click that navigates returns before the new document has loaded; axe run in between finds
    no document ("Cannot read properties of null"), so wait for the page to load first.
    """
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def login(page, username: str, password: str | None = None) -> None:
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
