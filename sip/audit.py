"""Why sip reads or changes a child's data: the purpose codes stored in the audit log.

The log stores the code ("sip.plan.read"); the label is produced when the log is shown, in the
reader's language (``AuditEvent.purpose_label``). Registered in ``SipConfig.ready()``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    # Plans: changes.
    PLAN_DRAFTED = "sip.plan.drafted", _("SIP drafted")
    PLAN_EDITED = "sip.plan.edited", _("SIP edited")
    PLAN_AGREED = "sip.plan.agreed", _("SIP agreed")
    PLAN_FOLLOWED_UP = "sip.plan.followed_up", _("SIP followed up")
    PLAN_CLOSED = "sip.plan.closed", _("SIP closed")
    # Plans: reads, prints and exports.
    PLAN_LIST_READ = "sip.plan.list_read", _("SIP list read")
    PLAN_READ = "sip.plan.read", _("SIP read")
    # The version number goes into the row's changes ({"version": n}).
    PLAN_VERSION_READ = "sip.plan.version_read", _("SIP version read")
    PLAN_PDF = "sip.plan.pdf", _("SIP printed as PDF")
    PLAN_FHIR = "sip.plan.fhir", _("SIP exported as FHIR")
    MY_PLAN_READ = "sip.my_plan.read", _("“My plan” read")
    MY_PLAN_PDF = "sip.my_plan.pdf", _("“My plan” printed")
    # Any other page that shows a child's data (a form to change a plan, a case or a consent),
    # or was refused; the row's changes name the page ({"page": "plan_edit"}).
    PAGE_READ = "sip.page.read", _("Page with the child's data read")
    # Consents.
    CONSENT_RECORDED = "sip.consent.recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "sip.consent.withdrawn", _("Consent withdrawn")
    CONSENT_DOCUMENT_READ = "sip.consent.document_read", _("Signed consent form read")
    # BUS individforum.
    FORUM_CASE_RAISED = "sip.forum.raised", _("Individforum case raised")
    FORUM_CASE_READ = "sip.forum.read", _("Individforum case read")
    FORUM_PROTOCOL_RECORDED = "sip.forum.protocol_recorded", _("Forum protocol recorded")
    FORUM_PROTOCOL_PDF = "sip.forum.protocol_pdf", _("Forum protocol printed")
    FORUM_CASE_CLOSED = "sip.forum.closed", _("Forum case closed")
    # Plans: a revision of an agreed plan (version N+1 as a draft) was started.
    PLAN_REVISION_STARTED = "sip.plan.revision_started", _("SIP revision started")
    # A new plan or case named a child the portal has: its recorded details were shown to confirm.
    CHILD_RECORD_SHOWN = "sip.child.shown", _("Recorded child shown for a new plan or case")
    # SIP meetings: the invitation (kallelse), its changes and cancellation; the rows name the
    # meeting and the invitations by id in their changes, never who was invited.
    MEETING_CONVENED = "sip.meeting.convened", _("SIP meeting convened")
    MEETING_CHANGED = "sip.meeting.changed", _("SIP meeting changed")
    MEETING_CANCELLED = "sip.meeting.cancelled", _("SIP meeting cancelled")
    MEETING_LETTER_PDF = "sip.meeting.letter_pdf", _("Invitation letter to the family printed")
    INVITATION_ANSWERED = "sip.invitation.answered", _("Invitation to a SIP meeting answered")
    # Agreed versions: a unit's own confirmation, and the family's agreement recorded.
    VERSION_CONFIRMED = "sip.version.confirmed", _("Agreed SIP confirmed by a participant")
    FAMILY_AGREEMENT_RECORDED = "sip.family_agreement.recorded", _("Family's agreement recorded")
    FAMILY_AGREEMENT_READ = "sip.family_agreement.document_read", _("Family's agreement read")
    REMINDER_SENT = "sip.reminder.sent", _("Reminder sent")
