"""One "Att göra" list per user across the portal.

Each app registers a provider in its ``AppConfig.ready()``::

    portal.register_inbox_items(inbox.items)   # items(user) -> Iterable[InboxItem]

which returns exactly the user's open actions: an invitation to answer, a version to confirm,
minutes to check, a deviation step, a survey to answer. An item is gone when the action is done,
because the provider reads the state, not a list of messages. The core shows them on
``/att-gora/``, on the start page and as a count in the menu, so a provider runs on every page:
one query per kind of item, never one per row.

Items carry no personal data about a child: a plan or case number and a time, never a name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from bus_portal.registry import portal


@dataclass(frozen=True)
class InboxItem:
    kind: str  # a short label: "SIP", "Möte", "Protokoll", "Avvikelse", "Enkät" …
    title: str  # what to do
    url: str  # where it is done
    due: datetime.date | None = None
    detail: str = ""  # plan number, meeting time …; never a child's name or identity number

    def overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today


def items_for(user) -> list[InboxItem]:
    """The user's open actions, the most urgent first; those without a due date last."""
    if not user.is_authenticated:
        return []
    items = portal.inbox_items(user)
    return sorted(items, key=lambda item: (item.due is None, item.due or datetime.date.min))


#: How long the menu's count may lag behind what others did (the user's own actions clear it).
COUNT_SECONDS = 60


def _count_key(user_pk: int | None) -> str:
    return f"inbox-count:{user_pk}"


def request_items(request: HttpRequest) -> list[InboxItem]:
    """The items of the request's user, computed once per request (start page, list); the
    menu's count is refreshed from them."""
    cached = getattr(request, "_inbox_items", None)
    if cached is None:
        cached = items_for(request.user)
        request._inbox_items = cached  # type: ignore[attr-defined]
        cache.set(_count_key(request.user.pk), len(cached), COUNT_SECONDS)
    return cached


def lazy_count(request: HttpRequest) -> Callable[[], int]:
    """The number of open items for the menu, computed only if a template shows it.

    Asking every app on every page costs about ten queries, so the count is cached for a minute;
    what another user does (an invitation sent) shows within that minute, what the user does
    shows at once (``forget_count`` after each of their changes), and the list itself is always
    read fresh.
    """

    def count() -> int:
        if hasattr(request, "_inbox_items"):
            return len(request._inbox_items)
        value = cache.get(_count_key(request.user.pk))
        return value if value is not None else len(request_items(request))

    return count


def forget_count(user_pk: int | None) -> None:
    cache.delete(_count_key(user_pk))


def today() -> datetime.date:
    return timezone.localdate()
