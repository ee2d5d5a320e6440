"""The iCalendar invitation of a meeting (RFC 5545), written with the ``icalendar`` library.

One UID per meeting (``Meeting.calendar_uid``): the notice is a ``METHOD:REQUEST`` with
``SEQUENCE`` 0, every change of time or place a ``REQUEST`` with the same UID and a higher
``SEQUENCE``, and a cancellation a ``METHOD:CANCEL`` with ``STATUS:CANCELLED``. Times carry the
``Europe/Stockholm`` TZID with its VTIMEZONE. Summary, place and description are the meeting's
own (a body's name, a room, the agenda), never a child's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from agreements.models import Meeting

PRODID = "-//BUS-portalen//Agreements meetings//SV"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def organizer_address(email: str = "", name: str = "") -> tuple[str, str]:
    """The organiser: the person sending the notice, else the portal's sender address."""
    if email:
        return email, name
    default_name, default_email = parseaddr(str(settings.DEFAULT_FROM_EMAIL))
    return default_email or "noreply@bus-portalen.example", default_name


def meeting_calendar(
    meeting: Meeting,
    *,
    method: str,
    attendees: Iterable[tuple[str, str]],
    organizer: tuple[str, str],
    description: str = "",
    url: str = "",
) -> Calendar:
    """The meeting as a one-event calendar; ``attendees`` are (e-mail, name) pairs."""
    start, end = meeting.starts(), meeting.ends()
    if start is None or end is None:
        raise ValueError("A meeting needs a start time for a calendar invitation.")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting.calendar_uid)
    event.add("sequence", meeting.notice_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", meeting.body.name)
    event.add("location", meeting.place)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _address(*organizer))
    for email, name in attendees:
        event.add(
            "attendee",
            _address(
                email,
                name,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                RSVP="TRUE",
                CUTYPE="INDIVIDUAL",
            ),
        )
    calendar.add_component(event)
    # The VTIMEZONE the TZID needs, with the rules of the meeting's year only.
    calendar.add_missing_timezones(
        first_date=start.date().replace(month=1, day=1),
        last_date=start.date().replace(year=start.year + 1, month=1, day=1),
    )
    return calendar
