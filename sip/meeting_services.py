"""SIP meetings: convene, change and cancel a meeting, and answer an invitation. Confirmations of
an agreed version and the family's agreement are in ``sip.confirmation_services``, the daily
reminders in ``sip.reminders``.

Each function locks what it changes, re-checks the model's guard, saves, audits (the row is about
the child: ``record_for_child`` on the plan, with ids and codes in ``changes``) and sends its
notices through ``sip.notices``, or raises a ``SipError`` the view shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Membership, Unit
from bus_portal.models import User
from bus_portal.roles import SIP_ROLES
from sip import notices
from sip.audit import Purpose
from sip.models import InvitationReply, MeetingInvitation, Plan, SipMeeting
from sip.services import SipError, record_for_child


class StaleMeeting(SipError):
    """The meeting was changed after this user opened its form (the view shows what changed)."""


@dataclass
class Invitees:
    """Whom a meeting invites: units (their staff answer), portal users, external e-mails."""

    units: Sequence[Unit] = ()
    users: Sequence[User] = ()
    externals: Sequence[tuple[str, str]] = ()  # (name, address), the address validated

    def __bool__(self) -> bool:
        return bool(self.units or self.users or self.externals)


@dataclass
class Notified:
    """What a notice reached: how many messages went out, and who has no e-mail address (they
    are invited in the portal and see it in their inbox)."""

    sent: int = 0
    without_email: list[str] = field(default_factory=list)


def _staff_by_unit(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active users with a SIP role in each unit today (one query)."""
    staff: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.valid_on()
        .filter(unit_id__in=list(unit_ids), role__in=SIP_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for member in memberships:
        people = staff.setdefault(member.unit_id, [])
        if member.user not in people:
            people.append(member.user)
    return staff


def _recipients(invitation: MeetingInvitation, staff: dict[int, list[User]]) -> list[User | str]:
    if invitation.kind == MeetingInvitation.Kind.USER:
        assert invitation.user is not None
        return [invitation.user]
    if invitation.kind == MeetingInvitation.Kind.UNIT:
        return list(staff.get(invitation.unit_id or 0, []))
    return [invitation.email]


def _notify(meeting: SipMeeting, invitations: Sequence[MeetingInvitation], change: str) -> Notified:
    """Send ``change`` ("invited", "changed", "cancelled") to everyone the invitations reach."""
    staff = _staff_by_unit(
        i.unit_id for i in invitations if i.kind == MeetingInvitation.Kind.UNIT and i.unit_id
    )
    result = Notified()
    now = timezone.now()
    for invitation in invitations:
        for recipient in _recipients(invitation, staff):
            if isinstance(recipient, User) and not notices.can_email(recipient):
                result.without_email.append(str(recipient))
                continue
            notices.meeting_notice(meeting, invitation, recipient, change)
            result.sent += 1
        invitation.notified_sequence = meeting.sequence
        invitation.notified_at = now
    MeetingInvitation.objects.bulk_update(invitations, ["notified_sequence", "notified_at"])
    return result


def _check_time(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise SipError(
            _("The meeting is in the past: no invitation can be sent for it. Choose a later time.")
        )
    if ends_at <= starts_at:
        raise SipError(_("The meeting must end after it starts."))


def _invite(meeting: SipMeeting, invitees: Invitees, user: User) -> list[MeetingInvitation]:
    """New invitation rows for those not yet invited to the meeting."""
    existing = list(meeting.invitations.all())
    have_users = {i.user_id for i in existing if i.kind == MeetingInvitation.Kind.USER}
    have_units = {i.unit_id for i in existing if i.kind == MeetingInvitation.Kind.UNIT}
    have_emails = {i.email.lower() for i in existing if i.kind == MeetingInvitation.Kind.EXTERNAL}
    plan_units = meeting.plan.participating_unit_ids()
    new: list[MeetingInvitation] = []
    common = {"meeting": meeting, "invited_by": user}
    for unit in invitees.units:
        if unit.pk not in have_units:
            have_units.add(unit.pk)
            new.append(MeetingInvitation(kind=MeetingInvitation.Kind.UNIT, unit=unit, **common))
    for person in invitees.users:
        if person.pk not in have_users:
            have_users.add(person.pk)
            # The unit the person is invited from: one taking part in the plan, else their first.
            units: list[Unit] = [m.unit for m in person.active_memberships if m.role in SIP_ROLES]
            from_unit: Unit | None = next(
                (u for u in units if u.pk in plan_units), units[0] if units else None
            )
            new.append(
                MeetingInvitation(
                    kind=MeetingInvitation.Kind.USER, user=person, unit=from_unit, **common
                )
            )
    for name, email in invitees.externals:
        if email.lower() not in have_emails:
            have_emails.add(email.lower())
            new.append(
                MeetingInvitation(
                    kind=MeetingInvitation.Kind.EXTERNAL, name=name, email=email, **common
                )
            )
    return MeetingInvitation.objects.bulk_create(new)


def _meeting_changes(meeting: SipMeeting, **extra: object) -> dict:
    return {"meeting": meeting.pk, **extra}


@transaction.atomic
def convene_meeting(
    *,
    plan: Plan,
    user: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    video_link: str,
    invitees: Invitees,
    request: HttpRequest | None = None,
) -> tuple[SipMeeting, Notified]:
    """Convene a SIP meeting and send the invitations (e-mail, calendar, inbox)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == Plan.Status.CLOSED:
        raise SipError(_("A closed plan has no more meetings."))
    _check_time(starts_at, ends_at)
    if not place.strip() and not video_link.strip():
        raise SipError(_("Give a place or a video link."))
    if not invitees:
        raise SipError(_("Invite at least one unit or person."))
    meeting = SipMeeting.objects.create(
        plan=locked,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        video_link=video_link.strip(),
        created_by=user,
    )
    invitations = _invite(meeting, invitees, user)
    notified = _notify(meeting, invitations, "invited")
    record_for_child(
        user,
        locked,
        Purpose.MEETING_CONVENED,
        request,
        changes=_meeting_changes(meeting, invitations=[i.pk for i in invitations]),
    )
    return meeting, notified


@transaction.atomic
def change_meeting(
    *,
    meeting: SipMeeting,
    user: User,
    expected_version: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    video_link: str,
    invitees: Invitees,
    request: HttpRequest | None = None,
) -> tuple[SipMeeting, Notified]:
    """Change the time or place and invite more. A changed time or place is sent to everyone
    invited (a calendar update with a higher SEQUENCE), and a changed time asks them to answer
    again; those newly invited get the invitation."""
    locked = SipMeeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    if not locked.can_change():
        raise SipError(_("A cancelled meeting, or a meeting of a closed plan, cannot be changed."))
    if locked.lock_version != expected_version:
        raise StaleMeeting(_("Someone else changed this meeting while you were editing it."))
    _check_time(starts_at, ends_at)
    if not place.strip() and not video_link.strip():
        raise SipError(_("Give a place or a video link."))
    fields = []
    time_changed = (starts_at, ends_at) != (locked.starts_at, locked.ends_at)
    if time_changed:
        fields += ["starts_at", "ends_at"]
    if (place.strip(), video_link.strip()) != (locked.place, locked.video_link):
        fields += ["place", "video_link"]
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.place, locked.video_link = place.strip(), video_link.strip()
    existing = list(locked.invitations.select_related("user", "unit__principal"))
    if fields:
        locked.sequence += 1
    locked.lock_version += 1
    locked.save()
    if time_changed:
        # An answer was for the old time: everyone is asked again (their replies stay as the trail).
        MeetingInvitation.objects.filter(meeting=locked).update(
            answer="", reason="", answered_at=None, answered_by=None
        )
    new = _invite(locked, invitees, user)
    notified = _notify(locked, existing, "changed") if fields else Notified()
    more = _notify(locked, new, "invited")
    notified.sent += more.sent
    notified.without_email += more.without_email
    record_for_child(
        user,
        locked.plan,
        Purpose.MEETING_CHANGED,
        request,
        changes=_meeting_changes(locked, fields=fields, invitations=[i.pk for i in new]),
    )
    return locked, notified


@transaction.atomic
def cancel_meeting(
    *, meeting: SipMeeting, user: User, request: HttpRequest | None = None
) -> Notified:
    """Cancel the meeting; everyone invited is told (a calendar cancellation) unless it is past."""
    locked = SipMeeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    if locked.is_cancelled:
        raise SipError(_("The meeting is already cancelled."))
    locked.status = SipMeeting.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.sequence += 1
    locked.lock_version += 1
    locked.save()
    invitations = list(locked.invitations.select_related("user", "unit__principal"))
    notified = _notify(locked, invitations, "cancelled") if not locked.is_past() else Notified()
    record_for_child(
        user,
        locked.plan,
        Purpose.MEETING_CANCELLED,
        request,
        changes=_meeting_changes(locked, status=[SipMeeting.Status.PLANNED, locked.status]),
    )
    return notified


@transaction.atomic
def answer_invitation(
    *,
    invitation: MeetingInvitation,
    user: User,
    answer: str,
    reason: str,
    request: HttpRequest | None = None,
) -> InvitationReply:
    """Accept or decline (with a reason). A later answer replaces the earlier one; every answer
    stays as a reply row. A decline is sent to the meeting's initiator."""
    locked = (
        MeetingInvitation.objects.select_for_update()
        .select_related("meeting__plan", "meeting__created_by")
        .get(pk=invitation.pk)
    )
    if not locked.may_answer(user):
        raise SipError(_("You are not invited to this meeting."))
    if not locked.meeting.can_reply():
        raise SipError(_("The meeting is cancelled or has already taken place."))
    if answer not in MeetingInvitation.Answer.values:
        raise SipError(_("Accept or decline the invitation."))
    reason = reason.strip()
    if answer == MeetingInvitation.Answer.DECLINED and not reason:
        raise SipError(_("Give a reason for declining."))
    previous = locked.answer
    reply = InvitationReply.objects.create(
        invitation=locked, answer=answer, reason=reason, replied_by=user
    )
    locked.answer, locked.reason = answer, reason
    locked.answered_at, locked.answered_by = reply.replied_at, user
    locked.save(update_fields=["answer", "reason", "answered_at", "answered_by"])
    record_for_child(
        user,
        locked.meeting.plan,
        Purpose.INVITATION_ANSWERED,
        request,
        changes={
            "meeting": locked.meeting_id,
            "invitation": locked.pk,
            "answer": [previous, answer],
        },
    )
    if answer == MeetingInvitation.Answer.DECLINED:
        notices.decline_notice(locked)
    return reply
