"""The portal's outgoing e-mail: one way to send, for every app.

``send(to, subject=…, body=…, url=…)`` stores an ``OutboundMessage`` and sends it through
Django's e-mail backend (SMTP in production) from a background task, so a slow mail server never
slows a page. A portal user who chose the daily digest (the default) gets the day's messages in
one e-mail from ``manage.py send_digests``; calendar invitations, messages marked ``immediate`` and
messages to external addresses go at once.

Texts are neutral: a message says that something waits and links to the portal, where the reader
logs in to see it. Never put a child's name or identity number in a subject or body.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Sequence
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from django_tasks import task
from icalendar import Calendar

from bus_portal.models import OutboundMessage, User

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def can_email(user: User) -> bool:
    return bool(user.email)


def send(
    to: User | str,
    *,
    subject: str,
    body: str,
    url: str = "",
    calendar: bytes | None = None,
    attachments: Sequence[Attachment] = (),
    immediate: bool = False,
    source: str = "",
) -> OutboundMessage | None:
    """Queue one e-mail; ``None`` when a user has no address (nothing is stored then)."""
    recipient = to if isinstance(to, User) else None
    address = recipient.email if recipient is not None else str(to)
    if not address:
        return None
    digest = bool(
        recipient is not None
        and recipient.email_digest
        and not immediate
        and not calendar
        and not attachments
    )
    message = OutboundMessage.objects.create(
        recipient=recipient,
        to_address=address,
        subject=" ".join(subject.split())[:200],
        body=body,
        url=url[:500],
        calendar=calendar or b"",
        attachments=[
            {"name": name, "type": mimetype, "content": base64.b64encode(content).decode()}
            for name, content, mimetype in attachments
        ],
        digest=digest,
        source=source[:100],
    )
    if not digest:
        deliver.enqueue(message.pk)
    return message


def absolute(url: str) -> str:
    if not url or "://" in url:
        return url
    return settings.SITE_URL.rstrip("/") + url


def _footer() -> str:
    return _(
        "This e-mail was sent by BUS-portalen. Log in to the portal to see more; "
        "e-mails never contain personal data about a child."
    )


def _text(message: OutboundMessage) -> str:
    parts = [message.body.strip()]
    if message.url:
        parts.append(_("Open in BUS-portalen: %(url)s") % {"url": absolute(message.url)})
    parts.append("-- \n" + _footer())
    return "\n\n".join(part for part in parts if part)


def _email(message: OutboundMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=_text(message),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
    )
    calendar = bytes(message.calendar)
    if calendar:
        method = str(Calendar.from_ical(calendar).get("METHOD", "REQUEST"))
        email.attach_alternative(
            calendar.decode(), f"text/calendar; method={method}; charset=UTF-8"
        )
        email.attach("invite.ics", calendar, "application/ics")
    for item in message.attachments:
        email.attach(item["name"], base64.b64decode(item["content"]), item["type"])
    return email


@task()
def deliver(message_id: int) -> bool:
    """Send one message now; marks it sent. Safe to run twice (a sent message is not resent)."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        try:
            with override(settings.LANGUAGE_CODE):
                _email(message).send()
        except (OSError, smtplib.SMTPException) as exc:
            # Kept unsent with the reason; ``retry_failed`` (in ``run_daily``) tries again.
            logger.warning("E-mail %s not sent: %s", message.pk, exc)
            message.error = str(exc)[:500] or exc.__class__.__name__
            message.save(update_fields=["error"])
            return False
        message.sent_at = timezone.now()
        message.error = ""
        message.save(update_fields=["sent_at", "error"])
    return True


def retry_failed() -> int:
    """Queue again the messages a mail server refused or could not be reached for."""
    failed = list(OutboundMessage.objects.unsent().exclude(error="").values_list("pk", flat=True))
    for pk in failed:
        deliver.enqueue(pk)
    return len(failed)


def send_digests() -> int:
    """One e-mail per user listing the messages that waited for the digest; returns how many."""
    pending = (
        OutboundMessage.objects.unsent()
        .filter(digest=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    sent = 0
    for _recipient_id, group in groupby(pending, key=lambda message: message.recipient_id):
        messages = list(group)
        with override(settings.LANGUAGE_CODE):
            _send_digest(messages)
        sent += 1
    return sent


def _send_digest(messages: list[OutboundMessage]) -> None:
    lines = [_("Since the last e-mail, this happened in BUS-portalen:"), ""]
    for message in messages:
        lines.append(f"• {message.subject}")
        if message.url:
            lines.append(f"  {absolute(message.url)}")
    lines += ["", _("Everything waiting for you: %(url)s") % {"url": absolute(reverse("inbox"))}]
    lines += ["", "-- ", _footer()]
    EmailMultiAlternatives(
        subject=ngettext(
            "BUS-portalen: %(count)s new event", "BUS-portalen: %(count)s new events", len(messages)
        )
        % {"count": len(messages)},
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        # The address the user has now: it may have changed since the messages were queued.
        to=[recipient.email if (recipient := messages[0].recipient) else messages[0].to_address],
    ).send()
    OutboundMessage.objects.filter(pk__in=[message.pk for message in messages]).update(
        sent_at=timezone.now()
    )
