"""The issue's browser flow: officer drafts, fixes, gets consent, agrees, prints; officer2 reads."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

BUP = "BUP Täby öppenvård – Region Stockholm"
TODAY = timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_officer_drafts_agrees_and_prints_a_sip_that_bup_then_reads(page):
    login(page, "officer")
    page.goto("/")
    assert_accessible(page)
    page.goto("/sip/")
    assert_accessible(page)
    page.get_by_role("link", name="Ny SIP").first.click()
    assert_accessible(page)

    page.get_by_label("Barnets förnamn").fill("Saga")
    page.get_by_label("Barnets efternamn").fill("Webbsson")
    page.get_by_label("Personnummer eller samordningsnummer").fill("201311119802")
    page.get_by_label("Vårdnadshavare 1", exact=True).fill("Lena Webbsson")
    page.locator("#id_need_noticed_on").fill((TODAY - datetime.timedelta(days=21)).isoformat())
    page.get_by_label("Barnets egen röst").fill("Jag vill ha lugn i klassrummet.")

    page.locator("#id_participants-0-kind").select_option("unit")
    page.locator("#id_participants-0-unit").select_option(label=BUP)
    page.locator("#id_participants-0-name").fill("Jonas Vikander")
    page.locator("#id_participants-0-role").fill("Kurator")

    page.locator("#id_measures-0-description").fill("Samtalsstöd varannan vecka")
    page.locator("#id_measures-0-unit").select_option(label=BUP)
    add = page.get_by_role("button", name="Lägg till insats")
    add.click()
    page.locator("#id_measures-1-description").fill("Anpassad studiegång")
    page.locator("#id_measures-1-principal").select_option(label="Täby kommun")
    add.click()
    page.locator("#id_measures-2-description").fill("Simträning på lördagar")
    page.locator("#id_measures-2-other_actor").fill("Täby simsällskap")

    page.get_by_role("button", name="Spara", exact=True).click()
    summary = page.locator("#error-summary")
    summary.wait_for()  # the failed save reloads the page with the summary
    assert "gemensam fråga och behov" in summary.inner_text().lower()
    page.screenshot(path="/tmp/sip-form-error.png", full_page=True)
    assert_accessible(page)
    # Input survived the failed save.
    assert page.locator("#id_measures-2-other_actor").input_value() == "Täby simsällskap"

    # A draft is saved without the principal with overall responsibility ...
    page.get_by_label("Gemensam fråga och behov").fill("Saga behöver stöd i skolan och hemma.")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_role("heading", name="Saga Webbsson").wait_for()
    assert_accessible(page)
    assert page.get_by_text("Simträning på lördagar").is_visible()
    # ... which is needed to agree it.
    assert "huvudansvar" in page.locator("#missing").inner_text().lower()

    page.get_by_role("link", name="Redigera", exact=True).click()
    page.get_by_label("Huvudman med huvudansvar").select_option(label="Täby kommun")
    page.locator("#id_next_follow_up_on").fill((TODAY + datetime.timedelta(days=100)).isoformat())
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_role("heading", name="Saga Webbsson").wait_for()

    page.get_by_role("link", name="Registrera samtycke").click()
    assert_accessible(page)
    page.get_by_label("Lämnat av").select_option("guardian_1")
    page.get_by_label("Namn").fill("Lena Webbsson")
    page.get_by_label("Täby kommun").check()
    page.get_by_label("Region Stockholm").check()
    page.get_by_label("Form").select_option("recorded")
    page.get_by_role("button", name="Spara samtycket").click()
    page.get_by_text("Samtycket är registrerat.").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Fastställ planen").click()
    assert_accessible(page)
    meeting_on = page.get_by_label("Datum för SIP-mötet")
    agreed_on = meeting_on.input_value()
    meeting_on.fill("")
    page.get_by_role("button", name="Fastställ planen").click()
    page.locator("#error-summary").wait_for()  # no meeting date
    assert_accessible(page)
    page.get_by_label("Datum för SIP-mötet").fill(agreed_on)
    page.get_by_role("button", name="Fastställ planen").click()
    page.get_by_text("Planen är fastställd.").wait_for()
    page.screenshot(path="/tmp/sip-detail.png", full_page=True)
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    download = download_info.value
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    plan_url = page.url

    page.get_by_role("link", name="Min plan (för barnet)").click()
    assert_accessible(page)
    page.get_by_role("heading", name="Min plan – Saga").wait_for()

    page.context.clear_cookies()
    login(page, "officer2")
    page.goto("/sip/")
    assert_accessible(page)
    page.goto(plan_url)
    page.get_by_role("heading", name="Saga Webbsson").wait_for()
    assert page.get_by_text("Samtalsstöd varannan vecka").is_visible()
    assert_accessible(page)


OLD_QUESTION = "Alva är ofta borta från skolan"
NEW_QUESTION = "Alva går nu i skolan men behöver stöd med sömnen."


def _plan_url() -> str:
    from sip.demo import DRAFT_CHILD
    from sip.models import Plan

    return f"/sip/{Plan.objects.get(child__personal_number=DRAFT_CHILD).pk}/"


def _switch_user(page, username: str, url: str) -> None:
    page.context.clear_cookies()
    login(page, username)
    page.goto(url)


@pytest.mark.django_db(transaction=True)
def test_a_revision_stays_a_draft_for_the_other_participants_until_it_is_agreed(page):
    url = _plan_url()
    login(page, "officer")
    page.goto(url)
    page.get_by_role("link", name="Fastställ planen").click()
    page.get_by_role("button", name="Fastställ planen").click()
    page.get_by_text("Planen är fastställd.").wait_for()
    # Agreed means frozen: no "Edit", a revision instead.
    assert page.get_by_role("link", name="Redigera", exact=True).count() == 0

    page.get_by_role("link", name="Revidera planen").click()
    page.get_by_role("heading", name="Revidera").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Starta revideringen").click()
    page.locator("#revision-notice").wait_for()
    assert "version 2 (utkast)" in page.locator("#revision-notice").inner_text()
    assert_accessible(page)
    page.get_by_label("Gemensam fråga och behov").fill(NEW_QUESTION)
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Revideringen är sparad som utkast.", exact=False).wait_for()
    assert page.get_by_text("Planen är sparad").count() == 0
    notice = page.locator("#revision-notice").inner_text()
    assert "version 2 (utkast)" in notice and "version 1" in notice
    assert page.get_by_text(OLD_QUESTION, exact=False).is_visible()
    assert page.get_by_text(NEW_QUESTION).count() == 0
    page.screenshot(path="/tmp/sip-revision.png", full_page=True)
    assert_accessible(page)

    # BUP's officer, covered by consent, sees version 1 until the revision is agreed.
    _switch_user(page, "officer2", url)
    page.locator("#revision-notice").wait_for()
    assert page.get_by_text(OLD_QUESTION, exact=False).is_visible()
    assert page.get_by_text(NEW_QUESTION).count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Min plan (för barnet)").click()
    page.get_by_text(OLD_QUESTION, exact=False).wait_for()
    assert page.get_by_text(NEW_QUESTION).count() == 0
    assert_accessible(page)

    _switch_user(page, "officer", url)
    page.get_by_role("link", name="Fastställ revideringen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Fastställ planen").click()
    page.get_by_text("Planen är fastställd.").wait_for()

    _switch_user(page, "officer2", url)
    page.get_by_text(NEW_QUESTION).wait_for()
    assert page.locator("#revision-notice").count() == 0
    assert page.get_by_text("Version 2, fastställd", exact=False).is_visible()
