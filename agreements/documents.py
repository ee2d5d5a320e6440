"""Print documents: the agreement PDF, the minutes PDF, and the meetings CSV."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, BodyMember, Invitation, Meeting, MinutesChecker
from agreements.overview import agenda_and_decisions
from bus_portal.documents import Document, render_csv, render_pdf


def agreement_pdf(agreement: Agreement) -> Document:
    """Current revision with parties, signature status and the revision history."""
    current = agreement.current_revision or agreement.latest_revision
    context = {
        "agreement": agreement,
        "current": current,
        "sections": current.ordered_sections() if current else [],
        "revisions": agreement.ordered_revisions(),
        "bodies": list(agreement.bodies.select_related("parent").order_by("position", "id")),
        "printed": timezone.localdate(),
    }
    return render_pdf("agreements/pdf/agreement.html", context, filename=agreement.title)


def absent_members(meeting: Meeting, attendees) -> list[tuple[BodyMember, Invitation | None]]:
    """The body's members on the meeting's date who are not on the attendance list, with their
    reply to the notice (if any): listed as absent in the minutes."""
    present = {a.member_id for a in attendees if a.member_id}
    replies = {inv.member_id: inv for inv in meeting.invitations.all()}
    return [
        (member, replies.get(member.pk))
        for member in meeting.body.members.select_related("unit__principal").order_by("name", "id")
        if member.is_active_on(meeting.held_on) and member.pk not in present
    ]


def checkers(meeting: Meeting) -> list[MinutesChecker]:
    return list(meeting.checkers.select_related("member", "checked_by").order_by("id"))


def notice_pdf(meeting: Meeting) -> Document:
    """The notice (kallelse): time, place, agenda with § numbers and the papers."""
    agenda, _decisions = agenda_and_decisions(meeting)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "papers": list(meeting.papers.current()),
        "printed": timezone.localdate(),
    }
    name = f"kallelse {meeting.body.name} {meeting.held_on:%Y-%m-%d}"
    return render_pdf("agreements/pdf/notice.html", context, filename=name)


def minutes_pdf(meeting: Meeting) -> Document:
    agenda, decisions = agenda_and_decisions(meeting)
    attendees = list(meeting.attendees.select_related("member__unit__principal"))
    context = {
        "meeting": meeting,
        "attendees": attendees,
        "absent": absent_members(meeting, attendees),
        "checkers": checkers(meeting),
        "agenda": agenda,
        "decisions": decisions,
        "assignments": list(meeting.assignments.select_related("body").order_by("due_on", "id")),
        "addenda": list(meeting.addenda.order_by("created_at", "id")),
        "printed": timezone.localdate(),
    }
    name = f"minnesanteckningar {meeting.body.name} {meeting.held_on:%Y-%m-%d}"
    return render_pdf("agreements/pdf/minutes.html", context, filename=name)


def meetings_csv(group, meetings, term) -> Document:
    header = [
        _("Group"),
        _("Body"),
        _("Term"),
        _("Date"),
        _("Place"),
        _("Host principal"),
        _("Chair's principal"),
        _("Attendees"),
        _("Decisions"),
        _("Assignments"),
        _("Minutes status"),
    ]
    rows = [
        [
            group.name,
            m.body.name,
            m.term.code,
            m.held_on.isoformat(),
            m.place,
            m.host_principal.name,
            m.chair_principal.name if m.chair_principal else "",
            m.attendee_count,
            m.decision_count,
            m.assignment_count,
            m.get_minutes_status_display(),
        ]
        for m in meetings
    ]
    suffix = f" {term.code}" if term else ""
    return render_csv(header, rows, filename=f"moten {group.name}{suffix}")
