"""The papers (handlingar) kept with a coming meeting: added (checked by content), removed
with a reason, and opened; each step audited."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import uploads
from agreements.audit import Purpose
from agreements.models import Meeting, MeetingPaper, MinutesStatus
from agreements.services.base import MinutesError, _audit
from bus_portal.models import AuditAction, User


@transaction.atomic
def add_paper(
    *, meeting: Meeting, title: str, file: File, user: User, request: HttpRequest | None = None
) -> MeetingPaper:
    """Keep a paper (handling) with a coming meeting; checked by content like every upload."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.is_cancelled:
        raise MinutesError(_("Papers are added to a coming meeting with draft minutes."))
    if not title.strip():
        raise MinutesError(_("Give the paper a title."))
    try:
        found = uploads.check(file)
    except ValidationError as error:
        raise MinutesError(" ".join(error.messages)) from None
    file.name = f"{uuid.uuid4().hex}.{found.extension}"
    paper = MeetingPaper.objects.create(
        meeting=meeting,
        title=title.strip()[:200],
        file=file,
        content_type=found.content_type,
        uploaded_by=user,
    )
    _audit(user, AuditAction.CREATE, paper, Purpose.PAPER_ADDED, request)
    return paper


@transaction.atomic
def remove_paper(
    *, paper: MeetingPaper, reason: str, user: User, request: HttpRequest | None = None
) -> MeetingPaper:
    """Remove a paper added by mistake: the file is deleted (once the removal is committed), the
    row stays with who, when and why, and the meeting's page lists it as removed."""
    locked = MeetingPaper.objects.select_for_update().get(pk=paper.pk)
    if locked.is_removed:
        raise MinutesError(_("The paper is already removed."))
    reason = reason.strip()
    if not reason:
        raise MinutesError(_("Say why the paper is removed."))
    stored = locked.file.name
    locked.removed_at = timezone.now()
    locked.removed_by = user
    locked.removal_reason = reason[:1000]
    locked.file = ""
    locked.save(update_fields=["removed_at", "removed_by", "removal_reason", "file"])
    if stored:
        storage = MeetingPaper.file.field.storage
        transaction.on_commit(lambda: storage.delete(stored))
    _audit(
        user,
        AuditAction.DELETE,
        locked,
        Purpose.PAPER_REMOVED,
        request,
        {"title": [locked.title, ""], "removal_reason": ["", locked.removal_reason]},
    )
    return locked


def open_paper(*, paper: MeetingPaper, user: User, request: HttpRequest | None = None) -> File:
    _audit(user, AuditAction.EXPORT, paper, Purpose.PAPER_DOWNLOADED, request)
    return paper.file.open("rb")
