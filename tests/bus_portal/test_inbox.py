"""One "Att göra" list: every app's items for the user, most urgent first, counted in the menu."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bus_portal.inbox import InboxItem, items_for
from bus_portal.registry import portal
from tests.conftest import client_for, demo_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def items_for_officer2(monkeypatch):
    def provider(user):
        if user.username != "officer2":
            return []
        return [
            InboxItem("SIP", "Bekräfta planen", "/sip/1/", due=TODAY + datetime.timedelta(days=3)),
            InboxItem(
                "Möte", "Svara på kallelsen", "/katalog/", due=TODAY - datetime.timedelta(days=1)
            ),
            InboxItem("Enkät", "Besvara enkäten", "/uppfoljning/"),
        ]

    monkeypatch.setattr(portal, "inbox_providers", [*portal.inbox_providers, provider])


def test_the_list_shows_exactly_the_users_items_most_urgent_first(items_for_officer2):
    page = client_for("officer2").get(reverse("inbox")).content.decode()
    positions = [
        page.index(title) for title in ("Svara på kallelsen", "Bekräfta planen", "Besvara enkäten")
    ]
    assert positions == sorted(positions)
    assert "/sip/1/" in page

    other = client_for("chief").get(reverse("inbox")).content.decode()
    assert "Bekräfta planen" not in other


def test_the_menu_counts_the_items_and_the_start_page_lists_them(items_for_officer2):
    home = client_for("officer2").get(reverse("home")).content.decode()
    assert "Bekräfta planen" in home
    count = len(items_for(demo_user("officer2")))
    assert count >= 3  # ours and the demo's
    assert f'{count}<span class="visually-hidden"> saker väntar</span>' in home


def test_an_overdue_item_is_marked(items_for_officer2):
    page = client_for("officer2").get(reverse("inbox")).content.decode()
    assert "text-bg-danger" in page


def test_nothing_waiting_says_so(monkeypatch):
    monkeypatch.setattr(portal, "inbox_providers", [])
    page = client_for("officer2").get(reverse("inbox")).content.decode()
    assert "Inget väntar på dig just nu." in page or "Nothing is waiting" in page


def test_the_menu_count_is_cached_for_a_minute_and_the_users_own_changes_clear_it(
    items_for_officer2,
):
    from django.core.cache import cache

    from bus_portal.inbox import _count_key

    client = client_for("officer2")
    user = demo_user("officer2")
    count = len(items_for(user))
    client.get(reverse("inbox"))  # the list is read fresh and refreshes the count
    assert cache.get(_count_key(user.pk)) == count

    # Another page shows the cached count without asking the apps again.
    cache.set(_count_key(user.pk), 42, 60)
    page = client.get(reverse("accessibility")).content.decode()
    assert '42<span class="visually-hidden">' in page

    # Any change the user makes clears it; the next page counts again.
    client.post(reverse("notification_settings"), {"email_digest": "True"})
    assert cache.get(_count_key(user.pk)) is None
    page = client.get(reverse("accessibility")).content.decode()
    assert f'{count}<span class="visually-hidden">' in page
