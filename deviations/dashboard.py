"""Start-page panels: unread notifications and reports waiting for this user."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bus_portal.registry import Panel
from deviations.models import Deviation, Notification


def panels(request) -> list[Panel]:
    user = request.user
    result = []
    notifications = list(
        Notification.objects.filter(recipient=user)
        .unread()
        .select_related("deviation")
        .order_by("-created_at", "-id")[:10]
    )
    if notifications:
        result.append(
            Panel(
                title=_("Notifications about deviations"),
                template="deviations/panels/notifications.html",
                context={"notifications": notifications},
                order=20,
            )
        )
    waiting = list(
        Deviation.objects.waiting_for(user)
        .exclude(status="draft")
        .select_related("category", "area")
        .order_by("status_changed_at", "id")[:10]
    )
    if waiting:
        result.append(
            Panel(
                title=_("Deviations waiting for you"),
                template="deviations/panels/waiting.html",
                context={"deviations": waiting},
                order=25,
            )
        )
    return result
