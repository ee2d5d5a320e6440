"""A long multiple choice is a list of check boxes with a filter (bus_portal.widgets.Checklist):
on the deviation form, the counterpart principals (the county's 26 municipalities and the
region). axe at 1280 and 320 px; screenshots /tmp/checklist-*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def test_the_filter_narrows_the_list_keeps_ticked_ones_and_says_how_many(page):
    login(page, "officer")
    page.goto("/avvikelser/ny/")
    options = page.locator("#div_id_counterpart_principals .form-check")
    total = options.count()
    assert total > 8
    assert page.locator("#div_id_counterpart_principals select").count() == 0
    search = page.get_by_label("Filtrera listan: Motpartens huvudmän")
    search.fill("region")
    assert [t.strip() for t in options.locator("visible=true").all_inner_texts()] == [
        "Region Stockholm"
    ]
    status = page.locator("#div_id_counterpart_principals [aria-live=polite]")
    assert status.inner_text() == f"1 av {total} visas"
    page.get_by_label("Region Stockholm").check()
    # Enter in the filter filters; it does not send the form.
    search.fill("täby")
    search.press("Enter")
    assert page.url.endswith("/avvikelser/ny/")
    visible = [t.strip() for t in options.locator("visible=true").all_inner_texts()]
    assert visible == ["Region Stockholm", "Täby kommun"]  # the ticked one stays in view
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=f"/tmp/checklist-{width}.png", full_page=True)
    search.fill("")
    assert options.locator("visible=true").count() == total
