"""What the plan's page shows of its meetings and of the confirmations of the agreed version."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from bus_portal.models import User
from bus_portal.roles import SIP_ROLES
from sip import confirmation_services
from sip.access import plan_meetings
from sip.models import MeetingInvitation, Plan, PlanVersion


def deviation_url(invitation: MeetingInvitation) -> str:
    """The deviations form, pre-filled without personal data: that a principal did not take
    part in a SIP meeting, on its date, with the declining unit as the counterpart."""
    if invitation.unit_id is None:
        return ""
    query = urlencode(
        {
            "prefill": "sip_declined",
            "occurred_on": f"{timezone.localtime(invitation.meeting.starts_at):%Y-%m-%d}",
            "counterpart_unit": invitation.unit_id,
        }
    )
    return f"{reverse('deviations:create')}?{query}"


def meeting_context(plan: Plan, user: User, versions: list[PlanVersion]) -> dict[str, Any]:
    """The meetings with their invitations (declines with the pre-filled deviation link for
    those who may act on the plan), the user's own invitations to answer, and who has confirmed
    the agreed version and who has not: a fixed number of queries."""
    meetings = plan_meetings(plan)
    can_write = plan.user_can_write(user)
    mine = user.unit_ids_with_role(*SIP_ROLES)
    to_answer = []
    for meeting in meetings:
        meeting.plan = plan
        for invitation in meeting.invitations.all():
            invitation.meeting = meeting
            if can_write and invitation.is_declined:
                invitation.deviation_url = deviation_url(invitation)
            if invitation.may_answer(user) and meeting.can_reply():
                to_answer.append(invitation)
    version = confirmation_services.confirmable_version(plan, versions)
    rows = confirmation_services.confirmation_rows(version) if version else []
    return {
        "meetings": meetings,
        "to_answer": to_answer,
        "confirm_version": version,
        "confirm_rows": rows,
        "confirm_due": any(r.participant.unit_id in mine and not r.signoff for r in rows),
        "family_due": can_write
        and any(r.participant.unit_id is None and not r.signoff for r in rows),
        "answers": dict(MeetingInvitation.Answer.choices),
    }
