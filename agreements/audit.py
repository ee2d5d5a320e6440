"""Why agreements writes an audit row: stored as a code, shown as a label in the reader's language.

``AuditEvent.purpose`` keeps the code ("agreements.minutes.published"), never translated text, so
the access log reads the same in Swedish and English and a later wording change rewrites nothing.
Registered with ``portal.register_audit_purposes`` in ``AgreementsConfig.ready()``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    # Agreements, revisions and signatures
    AGREEMENT_CREATED = "agreements.agreement.created", _("Agreement created")
    REVISION_STARTED = "agreements.revision.started", _("New revision started")
    REVISION_EDITED = "agreements.revision.edited", _("Revision edited")
    REVIEW_RECORDED = "agreements.revision.reviewed", _("Yearly review recorded")
    PARTY_ADDED = "agreements.party.added", _("Party added")
    PARTY_CORRECTED = "agreements.party.corrected", _("Party corrected")
    PARTY_REMOVED = "agreements.party.removed", _("Party removed")
    SIGNATORY_ADDED = "agreements.signatory.added", _("Signatory added")
    SIGNATORY_CORRECTED = "agreements.signatory.corrected", _("Signatory corrected")
    SIGNATORY_REMOVED = "agreements.signatory.removed", _("Signatory removed")
    SIGNATURE_RECORDED = "agreements.signatory.signed", _("Signature recorded")
    SIGNATURE_WITHDRAWN = "agreements.signatory.withdrawn", _("Signature withdrawn")
    ORIGINALS_STEP_RECORDED = (
        "agreements.originals_step.recorded",
        _("Originals routing step recorded"),
    )
    ATTACHMENT_UPLOADED = "agreements.attachment.uploaded", _("Attachment uploaded")
    ATTACHMENT_CORRECTED = "agreements.attachment.corrected", _("Attachment corrected")
    ATTACHMENT_REMOVED = "agreements.attachment.removed", _("Attachment removed")
    PLAN_ITEM_ADDED = "agreements.plan_item.added", _("Plan item added")
    PLAN_ITEM_CORRECTED = "agreements.plan_item.corrected", _("Plan item corrected")
    PLAN_ITEM_REMOVED = "agreements.plan_item.removed", _("Plan item removed")
    # Bodies
    BODY_SAVED = "agreements.body.saved", _("Body saved")
    MEMBER_SAVED = "agreements.body_member.saved", _("Body member saved")
    # Meetings and minutes
    MEETING_LOGGED = "agreements.meeting.logged", _("Meeting logged")
    MEETING_EDITED = "agreements.meeting.edited", _("Meeting edited")
    MEETING_DELETED = "agreements.meeting.deleted", _("Draft meeting deleted")
    MEETING_WITHDRAWN = "agreements.meeting.withdrawn", _("Meeting withdrawn as logged by mistake")
    AGENDA_UPDATED = "agreements.meeting.agenda_updated", _("Agenda updated")
    MINUTES_CHECKED = "agreements.minutes.checked", _("Minutes checked")
    MINUTES_PUBLISHED = "agreements.minutes.published", _("Minutes published")
    ADDENDUM_ADDED = "agreements.minutes.addendum", _("Addendum added to the minutes")
    ASSIGNMENT_UPDATED = "agreements.assignment.updated", _("Assignment updated")
    # Notices, replies, justering and reminders
    NOTICE_SENT = "agreements.meeting.notice_sent", _("Meeting notice sent")
    NOTICE_UPDATED = "agreements.meeting.notice_updated", _("Updated meeting notice sent")
    MEETING_CANCELLED = "agreements.meeting.cancelled", _("Meeting cancelled")
    INVITATION_REPLIED = "agreements.invitation.replied", _("Reply to a meeting notice")
    CHECKERS_APPOINTED = "agreements.minutes.checkers_appointed", _("Justerare appointed")
    CHECKS_CLEARED = "agreements.minutes.checks_cleared", _("Justering cleared by an edit")
    PAPER_ADDED = "agreements.meeting.paper_added", _("Meeting paper added")
    PAPER_REMOVED = "agreements.meeting.paper_removed", _("Meeting paper removed")
    MINUTES_PUBLISHED_NOTIFIED = (
        "agreements.minutes.published_notified",
        _("Members notified of published minutes"),
    )
    ASSIGNMENT_NOTIFIED = "agreements.assignment.notified", _("Assignment owner notified")
    ASSIGNMENT_REMINDED = "agreements.assignment.reminded", _("Assignment owner reminded")
    # Exports and downloads
    AGREEMENT_PDF = "agreements.agreement.pdf", _("Agreement PDF")
    MINUTES_PDF = "agreements.meeting.pdf", _("Minutes PDF")
    MEETINGS_CSV = "agreements.meetings.csv", _("Meetings CSV")
    ATTACHMENT_DOWNLOADED = "agreements.attachment.downloaded", _("Attachment downloaded")
    PAPER_DOWNLOADED = "agreements.meeting.paper_downloaded", _("Meeting paper downloaded")
    NOTICE_PDF = "agreements.meeting.notice_pdf", _("Meeting notice PDF")
