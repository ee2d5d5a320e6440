"""The core's daily job: forget what is no longer needed.

A one-time form token (``FormSubmission``) only matters while someone could still send the same
form again; a sent e-mail in the outbox only while someone may ask whether it went. Both are kept
for a year, then deleted. The audit log is never pruned here.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bus_portal.models import FormSubmission, OutboundMessage

KEEP = datetime.timedelta(days=365)


def prune() -> int:
    """Delete tokens and sent e-mails older than a year; returns how many rows went."""
    before = timezone.now() - KEEP
    tokens, _ = FormSubmission.objects.filter(created_at__lt=before).delete()
    sent, _ = OutboundMessage.objects.filter(sent_at__lt=before).delete()
    return tokens + sent
