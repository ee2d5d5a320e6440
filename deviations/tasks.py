"""Background tasks: e-mail goes through the task queue so a slow mail server never slows a page."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient; marks it sent. Safe to run twice.

    The payload is the notification's id: the text is read from the row now, so a redaction
    made while the task waited reaches the mail, and the queue never holds a copy of it.
    """
    # Imported here: deviations.notifications imports this module to enqueue the task.
    from deviations.notifications import Notification, without_identity_numbers

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    if not notification.recipient.email:
        return False
    send_mail(
        subject=without_identity_numbers(notification.subject),
        message=without_identity_numbers(notification.body),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
