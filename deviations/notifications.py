"""Notifications about deviation reports: one row per recipient, listed on the recipient's start
page and e-mailed through the portal's outbox (``bus_portal.outbox``: at once or in the
recipient's daily digest, as they chose).

The ``Notification`` model lives here with the code that writes the rows (``notify``) and the
texts they carry; ``deviations.models`` imports it, so it is registered with the app's other
models. Who is told at each step is decided by the services (``deviations.services``), which
know the ladder. Nothing here imports the report models at run time: a report is named by the
string "deviations.Deviation" and read through its attributes.

The outbox stores each e-mail's subject and body, tagged with the notification
(``outbox_source``: "deviations.notification:<id>"), so a redaction (``deviations.redaction``)
reaches the stored e-mails too, and a message still waiting for the digest goes out redacted.
The e-mail's link to the report is added by the outbox (``url``), never written into the body.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bus_portal import outbox
from deviations import deidentify

if TYPE_CHECKING:
    from agreements.models import Principal
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
    RESPONSE_REQUESTED = "response_requested", gettext_lazy("Response requested")
    RESPONSE = "response", gettext_lazy("Counterpart's response")


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
    # When the e-mail was handed to the outbox (which sends it at once or in the daily digest).
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


def outbox_source(notification_id: int) -> str:
    """The tag of a notification's e-mail in the outbox (``OutboundMessage.source``)."""
    return f"deviations.notification:{notification_id}"


def notification_url(notification: Notification) -> str:
    """Where a notification leads: the nightly check's notice to the redaction page (the
    secretariat may not see the report itself), every other one to the report."""
    name = (
        "deviations:redact"
        if notification.kind == NotificationKind.IDENTITY_FOUND
        else "deviations:detail"
    )
    return reverse(name, kwargs={"pk": notification.deviation_id})


def email(notification: Notification) -> bool:
    """Hand one notification's e-mail to the outbox, once; False if it was handed before or
    the recipient has no address."""
    if notification.emailed_at is not None:
        return False
    message = outbox.send(
        notification.recipient,
        subject=without_identity_numbers(notification.subject),
        body=without_identity_numbers(notification.body),
        url=notification_url(notification),
        source=outbox_source(notification.pk),
    )
    if message is None:
        return False
    notification.emailed_at = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=notification.emailed_at)
    return True


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
    """One Notification row per recipient (each once), and its e-mail in the outbox.

    Inside the caller's transaction: the rows and the outbox's messages commit or roll back
    together with the change, so no mail is sent for a change that failed.
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
        email(notification)
        created.append(notification)
    return created


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
    return subject, "\n\n".join(lines)


def comment_message(deviation: Deviation, author: User, text: str) -> tuple[str, str]:
    subject = _("New comment on deviation %(ref)s") % {"ref": deviation.reference}
    body = _("%(who)s commented on %(ref)s: %(text)s") % {
        "who": author,
        "ref": deviation.reference,
        "text": text,
    }
    return subject, body


def assigned_message(deviation: Deviation, by: User) -> tuple[str, str]:
    subject = _("Deviation %(ref)s is assigned to you") % {"ref": deviation.reference}
    body = _("%(who)s assigned the deviation report %(ref)s to you.") % {
        "who": by,
        "ref": deviation.reference,
    }
    return subject, body


def reminder_message(deviation: Deviation, days: int) -> tuple[str, str]:
    subject = _("Reminder: deviation %(ref)s has waited %(days)s days") % {
        "ref": deviation.reference,
        "days": days,
    }
    values = {
        "ref": deviation.reference,
        "days": days,
        "status": deviation.get_status_display(),
    }
    if deviation.is_returned:
        body = (
            _(
                "The deviation report %(ref)s was returned to you with a question %(days)s "
                "days ago. Please complete it and send it back."
            )
            % values
        )
    else:
        body = (
            _(
                "The deviation report %(ref)s has waited %(days)s days at the step "
                "“%(status)s”. Please take the next step."
            )
            % values
        )
    return subject, body


def identity_found_message(deviation: Deviation, fields: list[str]) -> tuple[str, str]:
    """To the secretariat: where an identity number was found (never the number)."""
    subject = _("Identity number in deviation %(ref)s") % {"ref": deviation.reference}
    body = _(
        "The nightly check found an identity number in the deviation report %(ref)s, in: "
        "%(fields)s. Remove it on the report's redaction page."
    ) % {"ref": deviation.reference, "fields": ", ".join(fields)}
    return subject, body


def response_requested_message(deviation: Deviation, principal: Principal) -> tuple[str, str]:
    """To a counterpart's contact: a response is asked for (neutral: no text of the report)."""
    subject = _("Deviation %(ref)s: your response is requested") % {"ref": deviation.reference}
    body = _(
        "The deviation report %(ref)s names %(principal)s as a counterpart and has reached the "
        "local BUS group. As a contact for %(principal)s you are asked to write its response "
        "in the report."
    ) % {"ref": deviation.reference, "principal": principal.name}
    return subject, body


def response_message(deviation: Deviation, principal: Principal) -> tuple[str, str]:
    """To the reporter and whoever handles the report: the counterpart has responded."""
    subject = _("Deviation %(ref)s: %(principal)s has responded") % {
        "ref": deviation.reference,
        "principal": principal.name,
    }
    body = _(
        "%(principal)s has written its response to the deviation report %(ref)s. Read it on "
        "the report's page."
    ) % {"ref": deviation.reference, "principal": principal.name}
    return subject, body
