"""Notifications about deviation reports: one row per recipient, e-mailed by a background task and
listed on the recipient's start page.

The ``Notification`` model lives here with the code that writes the rows (``notify``) and the
texts they carry; ``deviations.models`` imports it, so it is registered with the app's other
models. Who is told at each step is decided by the services (``deviations.services``), which
know the ladder. Nothing here imports the report models at run time: a report is named by the
string "deviations.Deviation" and read through its attributes.

A row's subject and body are the outbox: the e-mail task reads them when it sends, so a
redaction (``deviations.redaction``) that reaches the rows before the task runs reaches the mail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bus_portal.links import absolute_url
from deviations import deidentify
from deviations.tasks import send_notification_email

if TYPE_CHECKING:
    from bus_portal.models import User
    from deviations.models import Deviation, DeviationStep

# What replaces an identity number or a name that must not be kept (also in the database).
REDACTED = "[borttaget]"


class NotificationKind(models.TextChoices):
    STEP = "step", gettext_lazy("Step on the ladder")
    REMINDER = "reminder", gettext_lazy("Reminder")
    ASSIGNED = "assigned", gettext_lazy("Assigned")
    COMMENT = "comment", gettext_lazy("Comment")
    IDENTITY_FOUND = "identity_found", gettext_lazy("Identity number found")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user about a report; e-mailed by a background task and listed on the
    recipient's start page. Holds no personal data about a child (only the reference)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recipient"),
        on_delete=models.CASCADE,
        related_name="deviation_notifications",
    )
    deviation = models.ForeignKey(
        "deviations.Deviation", on_delete=models.CASCADE, related_name="notifications"
    )
    step = models.ForeignKey(
        "deviations.DeviationStep",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(gettext_lazy("subject"), max_length=200)
    body = models.TextField(gettext_lazy("message"))
    created_at = models.DateTimeField(gettext_lazy("created"), default=timezone.now)
    emailed_at = models.DateTimeField(gettext_lazy("e-mailed"), null=True, blank=True)
    read_at = models.DateTimeField(gettext_lazy("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        app_label = "deviations"
        verbose_name = gettext_lazy("notification")
        verbose_name_plural = gettext_lazy("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="deviation_notif_unread_idx"),
            models.Index(
                fields=["deviation", "kind", "created_at"], name="deviation_notif_kind_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


def without_identity_numbers(text: str) -> str:
    """The last guard before anything is mailed: an identity number that got past the forms
    (or was stored before they refused it) is replaced, never sent."""
    return deidentify.replace_identity_numbers(text, REDACTED)


def notify(
    *,
    deviation: Deviation,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    body: str,
    step: DeviationStep | None = None,
    at: datetime.datetime | None = None,
) -> list[Notification]:
    """One Notification row per recipient (each once), and a background task to e-mail each.

    Enqueued inside the caller's transaction: with the database backend the task row commits or
    rolls back together with the change (an outbox), so no mail is sent for a change that failed.
    The task's payload is the row's id only; the text is read from the row when it is sent.
    """
    subject = without_identity_numbers(subject)[:200]
    body = without_identity_numbers(body)
    created = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        notification = Notification.objects.create(
            recipient=recipient,
            deviation=deviation,
            step=step,
            kind=kind,
            subject=subject,
            body=body,
            created_at=at or timezone.now(),
        )
        send_notification_email.enqueue(notification.pk)
        created.append(notification)
    return created


def _link(deviation: Deviation) -> str:
    return _("Read it in BUS-portalen: %(path)s") % {
        "path": absolute_url("deviations:detail", pk=deviation.pk)
    }


def step_message(deviation: Deviation, step: DeviationStep) -> tuple[str, str]:
    """Subject and body telling that ``step`` was taken; a returned report carries the
    question, a closed one its outcome."""
    status = deviation.get_status_display()
    subject = _("Deviation %(ref)s: %(status)s") % {"ref": deviation.reference, "status": status}
    lines = [
        _("The deviation report %(ref)s has moved to a new step: %(status)s.")
        % {"ref": deviation.reference, "status": status},
    ]
    if deviation.is_returned:
        lines.append(
            _("%(who)s asks: %(question)s") % {"who": step.actor, "question": step.comment}
        )
        lines.append(
            _("Answer by completing the report, then send it back from the report's page.")
        )
    elif step.comment:
        lines.append(_("Comment: %(comment)s") % {"comment": step.comment})
    if deviation.is_closed and deviation.response:
        lines.append(_("Outcome: %(outcome)s") % {"outcome": deviation.response})
    lines.append(_link(deviation))
    return subject, "\n\n".join(lines)


def comment_message(deviation: Deviation, author: User, text: str) -> tuple[str, str]:
    subject = _("New comment on deviation %(ref)s") % {"ref": deviation.reference}
    body = _("%(who)s commented on %(ref)s: %(text)s") % {
        "who": author,
        "ref": deviation.reference,
        "text": text,
    }
    return subject, f"{body}\n\n{_link(deviation)}"


def assigned_message(deviation: Deviation, by: User) -> tuple[str, str]:
    subject = _("Deviation %(ref)s is assigned to you") % {"ref": deviation.reference}
    body = _("%(who)s assigned the deviation report %(ref)s to you.") % {
        "who": by,
        "ref": deviation.reference,
    }
    return subject, f"{body}\n\n{_link(deviation)}"


def reminder_message(deviation: Deviation, days: int) -> tuple[str, str]:
    subject = _("Reminder: deviation %(ref)s has waited %(days)s days") % {
        "ref": deviation.reference,
        "days": days,
    }
    values = {
        "ref": deviation.reference,
        "days": days,
        "status": deviation.get_status_display(),
        "path": absolute_url("deviations:detail", pk=deviation.pk),
    }
    if deviation.is_returned:
        body = (
            _(
                "The deviation report %(ref)s was returned to you with a question %(days)s "
                "days ago. Please complete it and send it back: %(path)s"
            )
            % values
        )
    else:
        body = (
            _(
                "The deviation report %(ref)s has waited %(days)s days at the step "
                "“%(status)s”. Please take the next step: %(path)s"
            )
            % values
        )
    return subject, body


def identity_found_message(deviation: Deviation, fields: list[str]) -> tuple[str, str]:
    """To the secretariat: where an identity number was found (never the number)."""
    subject = _("Identity number in deviation %(ref)s") % {"ref": deviation.reference}
    body = _(
        "The nightly check found an identity number in the deviation report %(ref)s, in: "
        "%(fields)s. Remove it on the report's redaction page: %(path)s"
    ) % {
        "ref": deviation.reference,
        "fields": ", ".join(fields),
        "path": absolute_url("deviations:redact", pk=deviation.pk),
    }
    return subject, body
