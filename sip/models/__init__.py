"""SIP (samordnad individuell plan), consent and BUS individforum cases.

This is the only app that holds a child's personal data. Every row that carries it is reachable
only through a ``visible_to(user)`` queryset, and every read or change is audited with
``subject=child.audit_subject``.
"""

from sip.models.consent import (
    Consent,
    ConsentQuerySet,
    consent_is_complete,
    covered_principal_ids,
)
from sip.models.forum import ForumCase, ForumCaseQuerySet
from sip.models.meetings import (
    InvitationQuerySet,
    InvitationReply,
    MeetingInvitation,
    SipMeeting,
    SipReminder,
)
from sip.models.people import (
    DEFAULT_LEGAL_REFERENCE,
    FIRST_MEETING_DAYS,
    FOLLOW_UP_WARNING_DAYS,
    FORUM_MEETING_DAYS,
    Child,
    Guardian,
    LocalRules,
)
from sip.models.plans import Measure, Plan, PlanParticipant, PlanQuerySet
from sip.models.versions import (
    ConfirmationRequest,
    ContentMeasure,
    ContentParticipant,
    MeasureEvaluation,
    PlanContent,
    PlanVersion,
    SignOff,
    shown_content,
)

__all__ = [
    "DEFAULT_LEGAL_REFERENCE",
    "FIRST_MEETING_DAYS",
    "FOLLOW_UP_WARNING_DAYS",
    "FORUM_MEETING_DAYS",
    "Child",
    "ConfirmationRequest",
    "Consent",
    "ContentMeasure",
    "ContentParticipant",
    "ConsentQuerySet",
    "ForumCase",
    "ForumCaseQuerySet",
    "Guardian",
    "InvitationQuerySet",
    "InvitationReply",
    "LocalRules",
    "Measure",
    "MeasureEvaluation",
    "MeetingInvitation",
    "Plan",
    "PlanContent",
    "PlanParticipant",
    "PlanQuerySet",
    "PlanVersion",
    "SignOff",
    "SipMeeting",
    "SipReminder",
    "consent_is_complete",
    "covered_principal_ids",
    "shown_content",
]
