# The browser fixtures live in tests/browser/support.py and are registered in tests/conftest.py;
# re-exported here for conftests that import them from this module.
from tests.browser.support import assert_accessible, browser, demo_county, login, page  # noqa: F401
