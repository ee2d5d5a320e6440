"""Background tasks of the deviations app.

Notifications are e-mailed through the portal's outbox (``bus_portal.outbox``), which has its own
background task; this task only hands over e-mails queued by an earlier version of the app, which
sent each notification from here.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> bool:
    """Hand one notification's e-mail to the outbox; safe to run twice (it is handed once)."""
    from deviations.notifications import Notification, email

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    return notification is not None and email(notification)
