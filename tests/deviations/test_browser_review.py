"""In the browser: two tabs of the secretariat write the review of one report. The second save
is refused with what the first wrote, the form keeps the second tab's text, and saving again
keeps both. axe at 1280 and 320 px; screenshots go to /tmp/dev-review-conflict-*.png."""

import pytest

from deviations.models import Deviation, Status
from tests.browser.conftest import assert_accessible, login
from tests.deviations.test_browser_return_and_redact import _shots

pytestmark = pytest.mark.browser


def test_a_second_tab_does_not_replace_the_first_tabs_response(page):
    report = Deviation.objects.filter(status=Status.WITH_BUSSAM).first()
    assert report is not None, "the demo county has a report at the secretariat"
    url = f"/avvikelser/{report.pk}/bedomning/"
    login(page, "secretariat")
    page.goto(url)
    second = page.context.new_page()
    second.goto(url)

    page.get_by_label("Svar").fill("En regional rutin tas fram (flik ett).")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_load_state()
    assert "Sekretariatets bedömning är sparad" in page.content()

    second.get_by_label("Svar").fill("Frågan tas upp i BUSSAM (flik två).")
    second.get_by_role("button", name="Spara", exact=True).click()
    second.wait_for_load_state()
    warning = second.locator("#stale-warning").inner_text()
    assert "Någon annan sparade" in warning and "flik ett" in warning
    assert second.get_by_label("Svar").input_value() == "Frågan tas upp i BUSSAM (flik två)."
    assert_accessible(second)
    _shots(second, "review-conflict")
    report.refresh_from_db()
    assert report.response == "En regional rutin tas fram (flik ett)."

    # Both texts, kept by the person who now sees both.
    second.get_by_label("Svar").fill(
        "En regional rutin tas fram (flik ett). Frågan tas upp i BUSSAM (flik två)."
    )
    second.get_by_role("button", name="Spara", exact=True).click()
    second.wait_for_load_state()
    report.refresh_from_db()
    assert "flik ett" in report.response and "flik två" in report.response
