from tests.browser.conftest import browser, demo_county, page  # noqa: F401
