"""In the browser, with several logins: the officer convenes a SIP meeting inviting officer2, the
school and an external address; officer2 accepts in the inbox and confirms the agreed plan; the
school declines with a reason and the officer is offered the pre-filled deviation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agreements.models import Membership, Unit
from bus_portal.models import User
from bus_portal.roles import Role
from sip.demo import AGREED_CHILD
from sip.models import MeetingInvitation, Plan, SignOff
from tests.browser.support import assert_accessible, login

pytestmark = pytest.mark.browser


def check(page, name: str) -> None:
    """axe at 1280 and 320 px, with screenshots for a person to look at."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=f"/tmp/shots/sip-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_invite_answer_confirm_and_decline_with_several_logins(page, browser, live_server):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    school = Unit.objects.get(principal__name="Täby kommun", name="Grundskola")
    rektor = User.objects.create_user(
        username="rektor",
        password="Rektor-losen-1",
        first_name="Rut",
        last_name="Rektor",
        email="rektor@skola.example",
        is_demo=True,
    )
    Membership.objects.create(user=rektor, unit=school, role=Role.CASE_OFFICER)

    login(page, "officer")
    page.goto(f"/sip/{plan.pk}/mote/ny/")
    check(page, "meeting-form")
    day = timezone.localdate() + datetime.timedelta(days=6)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Börjar").fill("13:00")
    page.get_by_label("Slutar").fill("14:30")
    page.get_by_label("Plats", exact=True).fill("Kommunhuset, rum Ängen")
    page.get_by_label("Grundskola, Täby kommun").check()
    page.get_by_label("Jonas Vikander (Kurator)").check()
    page.get_by_label("Externa personer").fill("Eva Extern, eva@exempel.se")
    page.get_by_role("button", name="Kalla och skicka kallelserna").click()
    page.get_by_text("Mötet är sammankallat.").wait_for()
    check(page, "plan-with-meeting")

    other = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    login(other, "officer2")
    other.goto("/att-gora/")
    other.get_by_role("link", name="Svara på kallelsen till ett SIP-möte").first.click()
    check(other, "invitation-reply")
    other.get_by_label("Tacka ja – jag kommer").check()
    other.get_by_role("button", name="Skicka svaret").click()
    other.get_by_text("Ditt svar är sparat.").wait_for()
    other.goto(f"/sip/{plan.pk}/bekrafta/")
    check(other, "confirm")
    other.get_by_role("button", name="Bekräfta", exact=True).click()
    other.get_by_text("Din enhets deltagande är bekräftat.").wait_for()
    other.context.close()

    school_page = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    login(school_page, "rektor", "Rektor-losen-1")
    invitation = MeetingInvitation.objects.get(meeting__plan=plan, unit=school, kind="unit")
    school_page.goto(f"/sip/{plan.pk}/kallelse/{invitation.pk}/")
    school_page.get_by_label("Tacka nej – vi kan inte komma").check()
    school_page.get_by_role("button", name="Skicka svaret").click()
    school_page.locator(".invalid-feedback, .alert-danger").first.wait_for()
    check(school_page, "reply-error")
    school_page.get_by_label("Skäl (krävs när du tackar nej)").fill("Nationella prov den dagen")
    school_page.get_by_role("button", name="Skicka svaret").click()
    school_page.get_by_text("Ditt svar är sparat.").wait_for()
    school_page.context.close()

    page.goto(f"/sip/{plan.pk}/")
    assert "Nationella prov den dagen" in page.content()
    link = page.get_by_role("link", name="Rapportera en avvikelse: en huvudman deltog inte")
    href = link.get_attribute("href")
    assert "prefill=sip_declined" in href and f"counterpart_unit={school.pk}" in href
    assert plan.child.last_name not in href
    bup = SignOff.objects.get(version__plan=plan, participant__unit__name="BUP Täby öppenvård")
    assert bup.recorded_by.username == "officer2"
    page.goto(f"/sip/{plan.pk}/familjens-godkannande/")
    check(page, "family-agreement")
    meeting = invitation.meeting
    page.goto(f"/sip/{plan.pk}/mote/{meeting.pk}/")
    check(page, "meeting-edit")
    page.goto(f"/sip/{plan.pk}/mote/{meeting.pk}/stall-in/")
    check(page, "meeting-cancel")
