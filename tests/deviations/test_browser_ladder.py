"""officer reports (and meets the personnummer refusal), chief escalates, the local group sends it
to BUSSAM, the secretariat closes it with a response, and officer sees the outcome."""

import re

import pytest

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

DESCRIPTION = "BUP och skolan kunde inte enas om vem som kallar till SIP (webbtest)."


def _as(page, username):
    page.context.clear_cookies()
    login(page, username)
    assert_accessible(page)  # the start page, with its panels


def _open_report(page):
    page.goto("/avvikelser/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"AV-\d+")).first.wait_for()
    page.locator("tr", has_text="Hos").first  # noqa: B018 - the list renders
    page.goto(page.url)  # keep the list visible for the screenshot
    link = page.locator("table a").first
    link.click()
    page.wait_for_load_state()
    assert_accessible(page)


def _take_step(page, button_name, comment):
    page.get_by_role("link", name=button_name).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("#id_comment").fill(comment)
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_a_report_climbs_the_ladder_and_the_reporter_sees_the_outcome(page):
    _as(page, "officer")
    page.goto("/avvikelser/ny/")
    assert_accessible(page)
    page.locator("#div_id_counterpart_principals").get_by_label("Region Stockholm").check()
    page.check("input[name=counterpart_services][value=bup]")
    page.select_option("#id_category", label="Oklart ansvar mellan huvudmän")
    page.locator("#id_description").fill(f"{DESCRIPTION} Gäller 20170101-2393.")
    page.locator("#id_consequence").fill("Eleven fick vänta på stöd.")
    page.locator("#id_is_principled").check()
    page.locator("#id_principled_reason").fill("Samma oklarhet finns i hela länet.")
    page.locator("#id_confirm_no_identification").check()
    page.get_by_role("button", name="Spara och skicka till närmaste chef").click()
    page.wait_for_load_state()
    # The refusal: an error summary naming the field, and nothing saved.
    summary = page.locator("#error-summary")
    assert "Beskrivning av samverkansproblemet" in summary.inner_text()
    assert "personnummer" in summary.inner_text()
    assert_accessible(page)
    page.screenshot(path="/tmp/deviations-refusal.png", full_page=True)

    page.locator("#id_description").fill(DESCRIPTION)
    page.locator("#id_confirm_no_identification").check()
    page.get_by_role("button", name="Spara och skicka till närmaste chef").click()
    page.wait_for_load_state()
    assert_accessible(page)  # the confirmation step
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    assert "Hos närmaste chef" in page.locator("h1 + p").inner_text()
    assert_accessible(page)
    report_url = page.url

    _as(page, "chief")
    assert "Avvikelser som väntar på dig" in page.content()
    page.goto(report_url)
    assert_accessible(page)
    _take_step(page, "Hos lokala BUS-gruppen/BUS individforum", "Vi löser det inte på enhetsnivå.")

    _as(page, "chair")
    page.goto(report_url)
    assert_accessible(page)
    _take_step(page, "Anmäld till BUSSAM, kopia till sekretariatet", "Principiell fråga för länet.")

    _as(page, "secretariat")
    page.goto("/avvikelser/sekretariatet/")
    assert_accessible(page)
    page.screenshot(path="/tmp/deviations-queue.png", full_page=True)
    page.goto(report_url)
    assert_accessible(page)
    page.get_by_role("link", name="Bedöm och svara").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.select_option("#id_regional_action", value="routine")
    page.locator("#id_response").fill(
        "BUSSAM har gett sekretariatet i uppdrag att ta fram en regional rutin."
    )
    page.get_by_role("button", name="Spara och avsluta avvikelsen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto("/avvikelser/statistik/")
    assert_accessible(page)
    page.screenshot(path="/tmp/deviations-statistics.png", full_page=True)

    _as(page, "officer")
    assert "Aviseringar om avvikelser" in page.content()
    page.screenshot(path="/tmp/deviations-home.png", full_page=True)
    page.goto(report_url)
    outcome = page.locator("#outcome-title + p + p").inner_text()
    assert "regional rutin" in outcome
    assert_accessible(page)
    page.screenshot(path="/tmp/deviations-detail.png", full_page=True)
    page.goto("/avvikelser/")
    assert_accessible(page)
