"""In the browser, with several logins: the chair sends a notice, the members reply, the chair
appoints a justerare, the justerare checks the minutes under their own login and the chair
publishes. axe at 1280 and 320 px on every new page; screenshots under /tmp/shots/full_b/."""

from __future__ import annotations

import datetime
import os
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Body, Invitation, Meeting, MinutesChecker, MinutesStatus
from bus_portal.models import OutboundMessage
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots/full_b"


def check(page, name: str) -> None:
    """axe at desktop width and at 320 px (reflow), with a screenshot of each."""
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def open_as(browser, live_server, demo_county):
    """A logged-in page per user, each in its own browser context (its own session)."""
    contexts = []

    def _open(username: str):
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, username)
        return page

    yield _open
    for context in contexts:
        context.close()


def test_notice_replies_justering_and_publishing_with_several_logins(open_as, tmp_path):
    working = Body.objects.get(agreement__local_group__name="Täby", name="Arbetsgrupp")
    day = timezone.localdate() + datetime.timedelta(days=14)

    # The chair plans a meeting and sends the notice.
    chair = open_as("chair")
    chair.goto(reverse("agreements:meeting_create", args=[working.pk]))
    chair.locator("#id_held_on").fill(day.isoformat())
    chair.locator("#id_starts_at").fill("09:00")
    chair.locator("#id_ends_at").fill("10:30")
    chair.locator("#id_place").fill("Täby kommunhus, rum Näsby")
    chair.locator("#id_host_principal").select_option(label="Täby kommun")
    chair.locator("#id_agenda").fill("Mötets öppnande\nAvvikelserutinen\nÖvriga frågor")
    chair.get_by_role("button", name="Spara mötet").click()
    meeting = Meeting.objects.get(body=working, held_on=day)
    check(chair, "meeting-planned")
    chair.get_by_role("link", name="Lägg till en handling").click()
    check(chair, "paper-form")
    chair.get_by_role("link", name="Avbryt").click()
    chair.get_by_role("link", name="Skicka kallelsen").click()
    assert "Elin Norrby" in chair.locator("main").inner_text()
    check(chair, "notice-confirm")
    chair.get_by_role("button", name="Skicka", exact=True).click()
    assert "Kallelsen skickades till 2 ledamöter" in chair.locator("main").inner_text()
    assert OutboundMessage.objects.filter(source=f"agreements.meeting:{meeting.pk}").count() == 2
    check(chair, "meeting-noticed")

    # The chief finds the notice in their list and sends a substitute.
    chief = open_as("chief")
    chief.goto("/att-gora/")
    assert "Svara på kallelsen till ett möte" in chief.locator("main").inner_text()
    chief.goto(reverse("agreements:meeting_reply", args=[meeting.pk]))
    check(chief, "reply-form")
    chief.get_by_label("Skickar ersättare").check()
    chief.get_by_role("button", name="Spara svaret").click()
    chief.locator("#error-summary").wait_for()  # the substitute needs a name
    check(chief, "reply-error")
    chief.get_by_label("Ersättarens namn").fill("Sanna Kjellberg")
    chief.get_by_role("button", name="Spara svaret").click()
    assert "Ditt svar är sparat" in chief.locator("main").inner_text()

    # The chair replies on the meeting page itself; the replies show in the list.
    chair.reload()
    chair.locator("#reply-title").scroll_into_view_if_needed()
    chair.get_by_label("Kommer").check()
    chair.get_by_role("button", name="Spara svaret").click()
    main = chair.locator("main").inner_text()
    assert "Skickar ersättare: Sanna Kjellberg" in main
    assert "Sanna Kjellberg (ersättare för Elin Norrby)" in main  # pre-filled attendance
    assert Invitation.objects.get(meeting=meeting, member__user__username="chair").response == (
        "attending"
    )
    chair.goto(reverse("agreements:meeting_cancel", args=[meeting.pk]))
    check(chair, "cancel-form")

    # Justering of the last meeting's minutes: the chair appoints the chief.
    minutes = (
        Meeting.objects.filter(
            body=working, minutes_status=MinutesStatus.DRAFT, held_on__lt=timezone.localdate()
        )
        .order_by("-held_on")
        .first()
    )
    MinutesChecker.objects.filter(meeting=minutes).delete()
    chair.goto(reverse("agreements:meeting_detail", args=[minutes.pk]))
    chair.get_by_role("link", name="Utse justerare").click()
    check(chair, "checkers-form")
    chair.get_by_role("button", name="Spara").click()
    chair.locator("#error-summary").wait_for()  # at least one
    chair.get_by_label("Elin Norrby").check()
    chair.get_by_role("button", name="Spara").click()
    assert "Justerarna är utsedda" in chair.locator("main").inner_text()
    assert chair.get_by_role("link", name="Publicera minnesanteckningarna").count() == 0

    # The chief checks under their own login, from their list of things to do.
    chief.goto("/att-gora/")
    chief.get_by_role("link", name="Justera minnesanteckningarna").first.click()
    assert chief.url.endswith(reverse("agreements:meeting_check", args=[minutes.pk]))
    check(chief, "check-page")
    chief.get_by_role("button", name="Jag har justerat minnesanteckningarna").click()
    assert "Du har justerat minnesanteckningarna" in chief.locator("main").inner_text()
    assert "Elin Norrby – justerat" in chief.locator("#checkers").inner_text()

    # The chair publishes; the members are told.
    chair.goto(reverse("agreements:meeting_detail", args=[minutes.pk]))
    chair.get_by_role("link", name="Publicera minnesanteckningarna").click()
    chair.get_by_role("button", name="Publicera", exact=True).click()
    assert "Ledamöterna har fått besked via e-post" in chair.locator("main").inner_text()
    check(chair, "minutes-published")
    with chair.expect_download() as download_info:
        chair.get_by_role("link", name="Ladda ner minnesanteckningar (PDF)").click()
    target = tmp_path / "minutes.pdf"
    download_info.value.save_as(target)
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "§ 1" in text and "Frånvarande" in text
    assert "Elin Norrby: justerat med egen inloggning" in text
