"""In the browser: a new plan for a child the portal has, and two people saving one plan."""

from __future__ import annotations

import pytest

from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.models import Plan
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def shoot(page, name: str) -> None:
    """Screenshots at desktop width and at 320 px (reflow), for a person to look at."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"/tmp/{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path=f"/tmp/{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_a_new_plan_for_a_recorded_child_shows_the_record_and_its_active_plan(page):
    agreed = Plan.objects.get(child__personal_number=AGREED_CHILD)
    login(page, "officer")
    page.goto("/sip/ny/")
    page.get_by_label("Barnets förnamn").fill("Noa")
    page.get_by_label("Barnets efternamn").fill("Berg")
    page.get_by_label("Personnummer eller samordningsnummer").fill("140622-9821")
    page.get_by_label("Gemensam fråga och behov").fill("Noah behöver stöd under sommarlovet.")
    page.locator("#id_need_noticed_on").fill("2026-11-01")
    page.locator("#id_participants-0-kind").select_option("family")
    page.locator("#id_participants-0-name").fill("Noah")
    page.locator("#id_measures-0-description").fill("Sommaraktivitet")
    page.locator("#id_measures-0-other_actor").fill("Fritidsgården")
    page.get_by_role("button", name="Spara", exact=True).click()

    box = page.locator("#recorded-child")
    box.wait_for()
    assert page.evaluate("document.activeElement.id") == "recorded-child"
    assert "Noah Berg" in box.inner_text()
    warning = page.locator("#active-plan-warning")
    assert warning.get_by_role("link", name=agreed.number).get_attribute("href") == (
        agreed.get_absolute_url()
    )
    assert page.get_by_label("Barnets förnamn").input_value() == "Noah"
    # What was typed outside the child's fields is kept.
    assert page.get_by_label("Gemensam fråga och behov").input_value().startswith("Noah behöver")
    assert_accessible(page)
    shoot(page, "sip-recorded-child")

    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Utkastet till plan är sparat.").wait_for()
    assert Plan.objects.filter(child__personal_number=AGREED_CHILD).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_saves_merges_instead_of_overwriting(page, browser, live_server):
    plan = Plan.objects.get(child__personal_number=DRAFT_CHILD)
    edit = f"/sip/{plan.pk}/redigera/"
    login(page, "officer")
    page.goto(edit)
    other = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    login(other, "officer2")
    other.goto(edit)
    other.get_by_label("Gemensam fråga och behov").fill("Jonas skrev om frågan.")
    other.get_by_role("button", name="Spara", exact=True).click()
    other.get_by_text("Planen är sparad.").wait_for()
    other.context.close()

    page.get_by_label("Mål på kort sikt").fill("Mitt nya mål")
    page.get_by_role("button", name="Spara", exact=True).click()
    warning = page.locator("#stale-warning")
    warning.wait_for()
    assert page.evaluate("document.activeElement.id") == "stale-warning"
    assert "Jonas skrev om frågan." in warning.inner_text()
    assert page.get_by_label("Gemensam fråga och behov").input_value() == "Jonas skrev om frågan."
    assert page.get_by_label("Mål på kort sikt").input_value() == "Mitt nya mål"
    assert_accessible(page)
    shoot(page, "sip-conflict")

    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Planen är sparad.").wait_for()
    plan.refresh_from_db()
    assert (plan.question, plan.goals_short) == ("Jonas skrev om frågan.", "Mitt nya mål")
