"""Chief's individforum pages and the officer's follow-up, version and consent pages, with axe."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_chief_forum_pages_and_officer_follow_up_are_accessible(page):
    from sip.demo import AGREED_CHILD, FORUM_CHILD
    from sip.models import ForumCase, Plan

    case = ForumCase.objects.get(child__personal_number=FORUM_CHILD)
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)

    login(page, "chief")
    page.goto("/")
    assert page.get_by_text("Individforumärenden som väntar på möte").is_visible()
    page.screenshot(path="/tmp/sip-home-chief.png", full_page=True)
    assert_accessible(page)
    page.goto("/sip/individforum/")
    assert_accessible(page)
    page.get_by_role("link", name="Anmäl ett ärende").click()
    page.get_by_role("button", name="Anmäl ärendet").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    page.goto(f"/sip/individforum/{case.pk}/")
    page.screenshot(path="/tmp/sip-forum.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name="Skriv protokoll").click()
    page.get_by_role("button", name="Spara protokollet").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    page.get_by_label("Mötesdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Närvarande").fill("Elin Norrby; chef BUP Täby")
    page.get_by_label("Varje huvudmans syn").fill("Kommunen och regionen är oeniga.")
    page.get_by_label("Beslut").fill("Frågan lyfts till styrgruppen.")
    page.get_by_label("Resultat").select_option("escalated")
    page.get_by_label("Lyft den").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Spara protokollet").click()
    page.get_by_text("Protokollet är sparat.").wait_for()
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, "officer")
    page.goto("/")
    assert page.get_by_text("SIP-klockor").is_visible()
    page.screenshot(path="/tmp/sip-home-officer.png", full_page=True)
    assert_accessible(page)
    page.goto(f"/sip/{plan.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Registrera uppföljning").click()
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    page.goto(f"/sip/{plan.pk}/version/2/")
    assert_accessible(page)
    # The plan is agreed: it is edited through a revision, confirmed first.
    page.goto(f"/sip/{plan.pk}/revidera/")
    assert_accessible(page)
    page.get_by_role("button", name="Starta revideringen").click()
    page.locator("#revision-notice").wait_for()
    assert_accessible(page)
    # Someone else saves meanwhile: the save is refused and the conflict page is accessible too.
    from django.db.models import F

    Plan.objects.filter(pk=plan.pk).update(lock_version=F("lock_version") + 1)
    page.get_by_label("Mål på kort sikt").fill("Mitt nya mål")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.locator("#stale-warning").wait_for()
    assert page.get_by_label("Mål på kort sikt").input_value() == "Mitt nya mål"
    page.screenshot(path="/tmp/sip-stale.png", full_page=True)
    assert_accessible(page)
    page.goto(f"/sip/{plan.pk}/avsluta/")
    page.get_by_role("button", name="Avsluta planen").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    consent = plan.consents.first()
    page.goto(f"/sip/samtycke/{consent.pk}/aterkalla/")
    assert_accessible(page)
    page.get_by_role("button", name="Återkalla samtycket").click()
    page.get_by_text("Samtycket är återkallat").wait_for()
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, "officer2")
    response = page.goto(f"/sip/{plan.pk}/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Inget giltigt samtycke").is_visible()
    assert "Noah" not in page.content()
    assert_accessible(page)
