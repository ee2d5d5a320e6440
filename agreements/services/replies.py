"""The members' replies to a meeting's notice (attending, absent, a substitute), and the
attendance list that follows them while the minutes are a draft."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.audit import Purpose
from agreements.models import Attendee, Invitation, Meeting, MinutesStatus
from agreements.services.base import MinutesError, _audit
from bus_portal.models import AuditAction, User


def _attendance_from_reply(invitation: Invitation) -> bool:
    """The attendance list follows the reply while the minutes are a draft: attending puts the
    member on it, absent takes them off, a substitute comes as a guest in their place. True when
    the list changed."""
    meeting, member = invitation.meeting, invitation.member
    marker = (_("substitute for %(member)s") % {"member": member.name})[:150]
    earlier = Attendee.objects.filter(meeting=meeting).filter(
        Q(member=member) | Q(member=None, guest_organisation=marker)
    )
    changed = earlier.exists()
    earlier.delete()
    if invitation.response == Invitation.Response.ATTENDING:
        Attendee.objects.create(meeting=meeting, member=member)
        changed = True
    elif invitation.response == Invitation.Response.SUBSTITUTE:
        Attendee.objects.create(
            meeting=meeting, guest_name=invitation.substitute_name, guest_organisation=marker
        )
        changed = True
    return changed


@transaction.atomic
def reply_to_notice(
    *,
    invitation: Invitation,
    response: str,
    substitute_name: str = "",
    user: User,
    request: HttpRequest | None = None,
) -> Invitation:
    """A member's own reply: attending, absent or sending a substitute (named). A second reply
    replaces the first; the audit trail keeps both."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("member__user", "meeting")
        .get(pk=invitation.pk)
    )
    if invitation.member.user_id != user.pk:
        raise MinutesError(_("Only the invited member replies to their notice."))
    meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
    invitation.meeting = meeting
    if meeting.is_cancelled:
        raise MinutesError(_("The meeting is cancelled."))
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.is_withdrawn:
        raise MinutesError(_("The minutes of this meeting are checked; the reply cannot change."))
    if response not in Invitation.Response.values:
        raise MinutesError(_("Choose a reply."))
    substitute_name = " ".join(substitute_name.split())[:150]
    if response == Invitation.Response.SUBSTITUTE and not substitute_name:
        raise MinutesError(_("Name the substitute."))
    if response != Invitation.Response.SUBSTITUTE:
        substitute_name = ""
    before = [invitation.response, invitation.substitute_name]
    invitation.response = response
    invitation.substitute_name = substitute_name
    invitation.responded_at = timezone.now()
    invitation.responded_by = user
    invitation.save(update_fields=["response", "substitute_name", "responded_at", "responded_by"])
    if _attendance_from_reply(invitation):
        # The chair's open edit form learns of it (optimistic locking): nothing is lost unseen.
        meeting.lock_version += 1
        meeting.save(update_fields=["lock_version"])
    _audit(
        user,
        AuditAction.CHANGE,
        invitation,
        Purpose.INVITATION_REPLIED,
        request,
        {
            "response": [before[0], response],
            "substitute_name": [before[1], substitute_name],
        },
    )
    return invitation
