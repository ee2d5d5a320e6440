"""In the browser: the To do list with its count in the menu, the e-mail choice, the outbox."""

from __future__ import annotations

import datetime

import pytest

from bus_portal import outbox
from bus_portal.inbox import InboxItem
from bus_portal.models import User
from bus_portal.registry import portal
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def shoot(page, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"/tmp/{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_accessible(page)
    page.screenshot(path=f"/tmp/{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_the_list_the_count_and_the_email_choice(page, monkeypatch):
    today = datetime.date.today()

    def provider(user):
        if user.username != "officer2":
            return []
        return [
            InboxItem("SIP", "Bekräfta den överenskomna planen", "/sip/", due=today),
            InboxItem(
                "Möte",
                "Svara på kallelsen",
                "/katalog/",
                due=today - datetime.timedelta(1),
                detail="Lokal ledningsgrupp Täby, 3 dec 13:00",
            ),
        ]

    monkeypatch.setattr(portal, "inbox_providers", [*portal.inbox_providers, provider])
    login(page, "officer2")
    menu_link = page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Att göra"
    )
    assert "2 saker väntar" in menu_link.inner_text() or menu_link.inner_text().strip().startswith(
        "Att göra"
    )
    menu_link.click()
    page.get_by_role("heading", name="Att göra", level=1).wait_for()
    assert page.get_by_role("link", name="Svara på kallelsen", exact=True).is_visible()
    assert "Försenad" in page.content()
    assert_accessible(page)
    shoot(page, "inbox")

    page.get_by_role("link", name="Välj hur du får e-post från portalen").click()
    page.get_by_label("Direkt: ett meddelande för varje händelse").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Ditt val är sparat.").wait_for()
    assert User.objects.get(username="officer2").email_digest is False
    assert_accessible(page)
    shoot(page, "notification-settings")


@pytest.mark.django_db(transaction=True)
def test_the_admin_reads_the_outbox(page):
    outbox.send(
        "extern@example.org",
        subject="Kallelse till SIP-möte",
        body="Tid: 3 december 13.00\nPlats: Täby",
    )
    login(page, "admin")
    page.goto("/utskick/")
    page.get_by_role("heading", name="Skickad e-post").wait_for()
    assert "Kallelse till SIP-möte" in page.content()
    assert_accessible(page)
    shoot(page, "outbox")
