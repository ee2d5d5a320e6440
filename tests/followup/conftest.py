import pytest

from tests.browser.conftest import browser, demo_county, page  # noqa: F401
from tests.followup.factories import SurveyFactory


@pytest.fixture
def survey(db):
    """An open survey with every question of the bank and no responses (unlike the demo years)."""
    return SurveyFactory()
