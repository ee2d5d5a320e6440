"""Several logins: officer reports naming Region Stockholm, chief moves it to the local group,
officer2 (Region Stockholm's BUS contact in Täby) finds it in "Att göra" and responds, officer
reads the response; officer2 corrects it. The prefill link from a declined SIP invitation opens a
filled-in form. axe on every new page at 1280 and 320 px; screenshots in /tmp/shots/full_c/."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from agreements.models import Body, BodyMember, Unit
from bus_portal.models import User
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots/full_c"
DESCRIPTION = "BUP svarade inte på remissen om gemensam planering (webbtest)."
RESPONSE = "BUP har sett över rutinen och svarar nu på remisser inom två veckor."


def both_widths(page, name: str) -> None:
    """axe at 1280 and 320 px, with a screenshot of each for a person to look at."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _bus_contact() -> None:
    officer2 = User.objects.get(username="officer2")
    BodyMember.objects.create(
        body=Body.objects.filter(agreement__local_group__name="Täby").order_by("position").first(),
        name=officer2.get_full_name(),
        user=officer2,
        unit=Unit.objects.get(principal__name="Region Stockholm", name="BUP Täby öppenvård"),
        role=BodyMember.Role.CONTACT,
    )


def test_the_counterpart_responds_in_the_report_and_the_reporter_reads_it(page):
    _bus_contact()
    _as(page, "officer")
    page.goto("/avvikelser/ny/")
    page.locator("#div_id_counterpart_principals").get_by_label("Region Stockholm").check()
    page.check("input[name=counterpart_services][value=bup]")
    page.select_option("#id_category", label="Remiss avvisad")
    page.locator("#id_description").fill(DESCRIPTION)
    page.locator("#id_consequence").fill("Planeringen försenades.")
    page.locator("#id_confirm_no_identification").check()
    page.get_by_role("button", name="Spara och skicka till närmaste chef").click()
    page.wait_for_load_state()
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    report_url = page.url
    both_widths(page, "report-before-local-step")

    _as(page, "chief")
    page.goto(report_url)
    page.get_by_role("link", name="Hos lokala BUS-gruppen/BUS individforum").click()
    page.wait_for_load_state()
    page.locator("#id_comment").fill("Vi behöver motpartens syn.")
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    assert "Hos lokala BUS-gruppen" in page.locator("h1 + p").inner_text()

    _as(page, "officer2")
    page.goto("/att-gora/")
    item = page.get_by_role("link", name=re.compile("Skriv svaret från Region Stockholm"))
    item.wait_for()
    both_widths(page, "inbox-counterpart")
    item.click()
    page.wait_for_load_state()
    both_widths(page, "report-respond-form")
    page.locator("#id_response-text").fill("Eleven 170101-2393 fick vänta.")
    page.get_by_role("button", name="Spara svaret").click()
    page.wait_for_load_state()
    assert "personnummer" in page.locator("#error-summary").inner_text()
    both_widths(page, "report-respond-refused")
    page.locator("#id_response-text").fill(RESPONSE)
    page.get_by_role("button", name="Spara svaret").click()
    page.wait_for_load_state()
    assert RESPONSE in page.locator("#responses").inner_text()
    page.goto("/att-gora/")
    assert "Skriv svaret från Region Stockholm" not in page.content()  # done: gone

    _as(page, "officer")
    page.goto(report_url)
    assert RESPONSE in page.locator("#responses").inner_text()
    both_widths(page, "report-with-response")

    _as(page, "officer2")
    page.goto(report_url)
    page.get_by_role("link", name=re.compile("Rätta ditt svar")).click()
    page.wait_for_load_state()
    page.locator("#id_text").fill(RESPONSE + " Rutinen gäller från nästa månad.")
    both_widths(page, "response-correct")
    page.get_by_role("button", name="Spara rättelsen").click()
    page.wait_for_load_state()
    responses = page.locator("#responses")
    assert "Rutinen gäller från nästa månad." in responses.inner_text()
    responses.locator("summary").click()
    assert RESPONSE in responses.inner_text()  # the earlier text stays visible
    both_widths(page, "report-corrected-response")


def test_the_prefill_link_opens_a_filled_in_form(page):
    _as(page, "officer")
    unit = Unit.objects.get(principal__name="Region Stockholm", name="BUP Täby öppenvård")
    day = timezone.localdate() - datetime.timedelta(days=2)
    page.goto(
        f"/avvikelser/ny/?prefill=sip_declined&occurred_on={day.isoformat()}"
        f"&counterpart_unit={unit.pk}"
    )
    assert page.locator("#id_event_date").input_value() == day.isoformat()
    assert page.locator("#id_description").input_value() == (
        "En huvudman deltog inte i ett SIP-möte som den var kallad till."
    )
    assert page.locator("input[name=counterpart_services][value=bup]").is_checked()
    assert not page.locator("#id_confirm_no_identification").is_checked()
    principals = page.locator("#div_id_counterpart_principals .form-check")
    ticked = principals.filter(has=page.locator("input:checked")).all_inner_texts()
    assert [text.strip() for text in ticked] == ["Region Stockholm"]
    both_widths(page, "prefilled-form")
