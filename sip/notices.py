"""The e-mails sip sends, through ``bus_portal.outbox``: neutral texts and a link, never a child's
name or identity number. An external person gets the time and place only (no plan number, no
link into the portal). Invitations carry an iCalendar part (RFC 5545, written with
``icalendar``): METHOD:REQUEST with the meeting's SEQUENCE, METHOD:CANCEL when cancelled.

Texts are in the portal's language (``settings.LANGUAGE_CODE``), whoever triggered them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from bus_portal import outbox
from bus_portal.models import User

if TYPE_CHECKING:
    from sip.models import MeetingInvitation, PlanVersion, SipMeeting, SipReminder

can_email = outbox.can_email


def _when(meeting: SipMeeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{start:%Y-%m-%d} {start:%H.%M}–{end:%H.%M}"


def meeting_calendar(meeting: SipMeeting, *, cancelled: bool = False) -> bytes:
    """The meeting as an iCalendar invitation: same UID for every update, SEQUENCE raised."""
    calendar = Calendar()
    calendar.add("prodid", "-//BUS-portalen//SIP//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"sip-meeting-{meeting.pk}@bus-portalen")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", _("SIP meeting"))
    if meeting.where:
        event.add("location", meeting.where)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def meeting_notice(
    meeting: SipMeeting, invitation: MeetingInvitation, to: User | str, change: str
) -> None:
    """An invitation, a changed time or place, or a cancellation, to one recipient."""
    with translation.override(settings.LANGUAGE_CODE):
        external = not isinstance(to, User)
        subjects = {
            "invited": _("Invitation to a SIP meeting"),
            "changed": _("Changed SIP meeting"),
            "cancelled": _("Cancelled SIP meeting"),
        }
        facts = {"when": _when(meeting), "where": meeting.where}
        if change == "cancelled":
            body = _("The SIP meeting %(when)s is cancelled.") % facts
        elif change == "changed":
            body = _("The SIP meeting has a new time or place: %(when)s, %(where)s.") % facts
        else:
            body = _("You are invited to a SIP meeting %(when)s, %(where)s.") % facts
        url = ""
        if not external:
            body += " " + _("Plan: %(number)s.") % {"number": meeting.plan.number}
            if change != "cancelled":
                body += " " + _("Answer the invitation in BUS-portalen.")
            url = reverse(
                "sip:invitation_reply",
                kwargs={"pk": meeting.plan_id, "invitation": invitation.pk},
            )
        outbox.send(
            to,
            subject=subjects[change],
            body=body,
            url=url,
            calendar=meeting_calendar(meeting, cancelled=change == "cancelled"),
            source=f"sip.meeting:{meeting.pk}",
        )


def decline_notice(invitation: MeetingInvitation) -> None:
    """Tell the meeting's initiator that an invitation was declined (the reason is in the portal)."""
    meeting = invitation.meeting
    with translation.override(settings.LANGUAGE_CODE):
        outbox.send(
            meeting.created_by,
            subject=_("An invitation to a SIP meeting was declined"),
            body=_("An invitation to the SIP meeting %(when)s (%(number)s) was declined.")
            % {"when": _when(meeting), "number": meeting.plan.number},
            url=reverse("sip:plan_detail", kwargs={"pk": meeting.plan_id}) + "#meetings-title",
            source=f"sip.meeting:{meeting.pk}",
        )


def confirmation_notice(version: PlanVersion, to: User) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        outbox.send(
            to,
            subject=_("Confirm an agreed SIP"),
            body=_(
                "A SIP your unit takes part in (%(number)s) has been agreed as version %(n)s. "
                "Confirm your unit's participation under your own login."
            )
            % {"number": version.plan.number, "n": version.number},
            url=reverse("sip:plan_confirm", kwargs={"pk": version.plan_id}),
            source=f"sip.plan:{version.plan_id}",
        )


def reminder_notice(reminder: SipReminder) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        facts = {"number": reminder.plan.number, "date": f"{reminder.due_on:%Y-%m-%d}"}
        if reminder.measure_id:
            subject = _("A measure in a SIP ends soon")
            body = _("A measure you are responsible for in %(number)s ends %(date)s.") % facts
        else:
            subject = _("A SIP follow-up is due")
            body = _("The follow-up of %(number)s is due %(date)s.") % facts
        outbox.send(
            reminder.user,
            subject=subject,
            body=body,
            url=reverse("sip:plan_detail", kwargs={"pk": reminder.plan_id}),
            source=f"sip.plan:{reminder.plan_id}",
        )
