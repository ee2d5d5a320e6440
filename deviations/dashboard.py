"""Start-page panels: unread notifications and reports waiting for this user."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bus_portal.registry import Panel, panels_with_rows
from deviations.models import Deviation, Notification


def panels(request) -> list[Panel]:
    user = request.user
    notifications = list(
        Notification.objects.filter(recipient=user)
        .unread()
        .select_related("deviation")
        .order_by("-created_at", "-id")[:10]
    )
    waiting = list(
        Deviation.objects.waiting_for(user)
        .exclude(status="draft")
        .select_related("category", "area")
        .order_by("status_changed_at", "id")[:10]
    )
    return panels_with_rows(
        "deviations/panels",
        [
            (_("Notifications about deviations"), "notifications", notifications, 20),
            (_("Deviations waiting for you"), "waiting", waiting, 25),
        ],
    )
