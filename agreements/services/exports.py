"""Documents and files handed to a user: rendered or opened, and the read audited.

Views check access and stream what these return; a new export view cannot forget the audit row
because the document only comes from here.
"""

from __future__ import annotations

from django.core.files import File
from django.http import HttpRequest

from agreements import documents, overview
from agreements.audit import Purpose
from agreements.models import Agreement, Attachment, Body, LocalGroup, Meeting, Term
from agreements.services.base import _audit
from bus_portal.documents import Document
from bus_portal.models import AuditAction, User


def export_agreement_pdf(
    *, agreement: Agreement, user: User, request: HttpRequest | None = None
) -> Document:
    """The agreement as a PDF (current revision, parties, signatures and history)."""
    document = documents.agreement_pdf(agreement)
    _audit(user, AuditAction.PRINT, agreement, Purpose.AGREEMENT_PDF, request)
    return document


def export_minutes_pdf(
    *, meeting: Meeting, user: User, request: HttpRequest | None = None
) -> Document:
    """A meeting's minutes as a PDF."""
    document = documents.minutes_pdf(meeting)
    _audit(user, AuditAction.PRINT, meeting, Purpose.MINUTES_PDF, request)
    return document


def export_meetings_csv(
    *, group: LocalGroup, term: Term | None, user: User, request: HttpRequest | None = None
) -> Document:
    """The group's meeting log (the meetings this user may read, in the term if given) as CSV."""
    bodies = list(Body.objects.filter(agreement__local_group=group))
    meetings = overview.meeting_log(user, bodies, term=term)
    document = documents.meetings_csv(group, meetings, term)
    _audit(user, AuditAction.EXPORT, group, Purpose.MEETINGS_CSV, request)
    return document


def open_attachment(
    *, attachment: Attachment, user: User, request: HttpRequest | None = None
) -> File:
    """The attachment's file, opened for reading; the download is audited."""
    _audit(user, AuditAction.EXPORT, attachment, Purpose.ATTACHMENT_DOWNLOADED, request)
    return attachment.file.open("rb")
