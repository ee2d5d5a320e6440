"""In the browser, in Swedish, with axe on every page: the refusal says where the number is and
keeps the text; the chief returns a report to the reporter with a question, the reporter
completes it and sends it back to the chief; the secretariat removes a number stored before the
forms refused its writing. Screenshots at 1280 and 320 px go to /tmp/dev-*.png."""

import re

import pytest

from deviations.models import Deviation, Status
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

DESCRIPTION = "Skolan och BUP var oeniga om vem som kallar till SIP (webbtest)."


def _as(page, username):
    page.context.clear_cookies()
    login(page, username)


def _shots(page, name):
    """Screenshots at desktop width and at 320 px (reflow), for a person to look at."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"/tmp/dev-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_accessible(page)
    page.screenshot(path=f"/tmp/dev-{name}-320.png", full_page=True)
    # No sideways scrolling at 320 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_refusal_says_where_the_number_is_and_keeps_the_text(page):
    _as(page, "officer")
    page.goto("/avvikelser/ny/")
    page.locator("#div_id_counterpart_principals").get_by_label("Region Stockholm").check()
    page.check("input[name=counterpart_services][value=bup]")
    page.select_option("#id_category", label="Oklart ansvar mellan huvudmän")
    # As Outlook writes it, with a line break typed with Enter.
    text = f"{DESCRIPTION}\nEleven 170101–\n2393 fick vänta."
    page.locator("#id_description").fill(text)
    page.locator("#id_consequence").fill("Eleven fick vänta på stöd.")
    page.locator("#id_confirm_no_identification").check()
    page.get_by_role("button", name="Spara som utkast").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary").inner_text()
    assert "Beskrivning av samverkansproblemet" in summary
    assert "personnummer på rad 2, vid tecken 8" in summary
    assert "Eleven [personnummer] fick vänta" in summary
    assert "2393" not in summary
    assert page.locator("#id_description").input_value().endswith("2393 fick vänta.")
    assert page.locator("#id_consequence").input_value() == "Eleven fick vänta på stöd."
    assert_accessible(page)
    _shots(page, "refusal")


def test_the_chief_returns_a_report_and_the_secretariat_redacts_a_number(page):
    report = Deviation.objects.get(status=Status.WITH_MANAGER, reporter__username="officer")
    url = f"/avvikelser/{report.pk}/"

    _as(page, "chief")
    page.goto(url)
    assert_accessible(page)
    page.get_by_role("link", name="Återsänd till rapportören med en fråga").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    assert "Fråga till rapportören" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.locator("#id_comment").fill("Vilka kontakter har ni haft med BUP innan remissen?")
    _shots(page, "return")
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    assert "Återsänd till rapportören med en fråga" in page.locator("h1 + p").inner_text()
    assert_accessible(page)

    _as(page, "officer")
    page.goto(url)
    question = page.locator("#question").inner_text()
    assert "Vilka kontakter har ni haft med BUP" in question
    assert_accessible(page)
    _shots(page, "returned")
    page.get_by_role("link", name="Komplettera avvikelsen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    description = page.locator("#id_description")
    description.fill(description.input_value() + " Vi ringde BUP två gånger före remissen.")
    page.locator("#id_confirm_no_identification").check()
    page.get_by_role("button", name="Spara och skicka tillbaka").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Bekräfta")).click()
    page.wait_for_load_state()
    assert "Hos närmaste chef" in page.locator("h1 + p").inner_text()

    _as(page, "chief")
    page.goto(url)
    assert "Vi ringde BUP två gånger" in page.content()
    assert page.get_by_role("link", name="Hos lokala BUS-gruppen/BUS individforum").count() == 1

    # A number stored before the forms refused this writing (straight into the database).
    Deviation.objects.filter(pk=report.pk).update(
        tried_locally="Samtal om eleven 170101–2393 med rektor."
    )
    _as(page, "secretariat")
    page.goto(f"/avvikelser/{report.pk}/ta-bort-uppgifter/")
    assert_accessible(page)
    found = page.locator("#findings").inner_text()
    assert "Vad som har prövats lokalt" in found and "[personnummer]" in found
    assert "2393" not in found
    _shots(page, "redact")
    page.get_by_label("Jag förstår att det som tas bort inte går att återställa.").check()
    page.get_by_role("button", name="Ta bort").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert "Borttaget och ersatt med" in page.content()
    report.refresh_from_db()
    assert report.tried_locally == "Samtal om eleven [borttaget] med rektor."
