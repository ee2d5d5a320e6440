"""In the browser: the chair removes a paper added by mistake from a coming meeting; the page
keeps the title with who, when and why. axe at 1280 and 320 px on both pages; screenshots under
/tmp/shots/full_b/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.agreements.routes import taby_coming_meeting
from tests.agreements.test_browser_notices import check
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_the_chair_removes_a_paper_added_by_mistake(page):
    meeting = taby_coming_meeting()
    paper = meeting.papers.first()
    assert paper is not None, "the demo's coming meeting has a paper"
    login(page, "chair")
    page.goto(reverse("agreements:meeting_detail", args=[meeting.pk]))
    page.get_by_role("link", name=f"Ta bort {paper.title}").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ta bort en handling"
    page.get_by_role("button", name="Ta bort handlingen").click()
    page.wait_for_load_state()
    assert "Skriv varför." in page.locator("#error-summary").inner_text()
    page.get_by_label("Skäl").fill("Fel version laddades upp.")
    check(page, "paper-remove")
    page.get_by_role("button", name="Ta bort handlingen").click()
    page.wait_for_load_state()
    assert "Handlingen togs bort." in page.content()
    papers = page.locator("section[aria-labelledby=papers]").inner_text()
    assert "Borttagna handlingar" in papers and "Fel version laddades upp." in papers
    assert page.get_by_role("link", name=paper.title, exact=True).count() == 0
    check(page, "paper-removed")
    paper.refresh_from_db()
    assert paper.is_removed
