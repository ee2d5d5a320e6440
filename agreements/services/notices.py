"""The notice (kallelse) of a meeting: its agenda and PDF, the e-mail with its calendar
invitation, its update and cancellation, and the daily sending of notices that are due.

E-mail goes through ``bus_portal.outbox.send``; texts are neutral (a body, a time, a place, an
agenda; never a child's data). Every step is audited with this app's purpose codes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import calendar, documents
from agreements.audit import Purpose
from agreements.models import (
    AgendaItem,
    Attendee,
    BodyMember,
    Invitation,
    Meeting,
    MeetingPaper,
    MinutesStatus,
)
from agreements.overview import agenda_and_decisions
from agreements.services.base import MinutesError, _audit, in_site_language
from bus_portal import outbox
from bus_portal.documents import Document
from bus_portal.models import AuditAction, User


def _when(meeting: Meeting) -> str:
    """The meeting's date and time as the texts state them."""
    text = meeting.held_on.isoformat()
    if meeting.starts_at is not None:
        text += f" {meeting.starts_at:%H:%M}"
        end = meeting.ends()
        if end is not None:
            text += f"–{end:%H:%M}"
    return text


def renumber_agenda(meeting: Meeting) -> None:
    """Give the agenda items their § numbers in agenda order (only drafts change)."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    changed = []
    for number, item in enumerate(items, start=1):
        if item.number != number:
            item.number = number
            changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["number"])


def agenda_text(meeting: Meeting) -> str:
    agenda, _decisions = agenda_and_decisions(meeting)
    lines = []
    for index, item in enumerate(agenda, start=1):
        line = f"§ {item.number or index} {item.title}"
        if item.detail:
            line += f" – {item.detail}"
        lines.append(line)
    return "\n".join(lines) or "–"


def _notice_body(meeting: Meeting, papers: list[MeetingPaper], intro: str) -> str:
    parts = [
        intro,
        _("Time: %(when)s") % {"when": _when(meeting)},
        _("Place: %(place)s") % {"place": meeting.place},
        _("Agenda:") + "\n" + agenda_text(meeting),
    ]
    if papers:
        parts.append(
            _("Papers (log in to read them):")
            + "\n"
            + "\n".join(
                f"- {paper.title}: "
                + outbox.absolute(reverse("agreements:meeting_paper", args=[paper.pk]))
                for paper in papers
            )
        )
    parts.append(
        _("Reply in the portal whether you attend, are absent or send a substitute: %(url)s")
        % {"url": outbox.absolute(reverse("agreements:meeting_reply", args=[meeting.pk]))}
    )
    return "\n\n".join(parts)


def notice_pdf(meeting: Meeting) -> Document:
    """The notice with its agenda (§ numbers) and list of papers, as a tagged PDF."""
    return documents.notice_pdf(meeting)


def _member_address(member: BodyMember) -> tuple[str, str] | None:
    user = member.user
    if user is None or not outbox.can_email(user):
        return None
    return user.email, member.name


def _organizer(meeting: Meeting, user: User | None) -> tuple[str, str]:
    if user is not None and user.email:
        return calendar.organizer_address(user.email, user.get_full_name() or str(user))
    chair = meeting.chair
    if chair is not None and chair.user is not None and chair.user.email:
        return calendar.organizer_address(chair.user.email, chair.name)
    return calendar.organizer_address()


@dataclass
class NoticeResult:
    """Who a notice reached by e-mail, and who not (they see it in their inbox, or not at all)."""

    emailed: list[BodyMember] = field(default_factory=list)
    not_reached: list[BodyMember] = field(default_factory=list)
    sequence: int = 0


@in_site_language
def _send_calendar(
    meeting: Meeting,
    invitations: list[Invitation],
    *,
    method: str,
    subject: str,
    intro: str,
    user: User | None,
) -> NoticeResult:
    """One e-mail per invited member with an address, each with the meeting's calendar part."""
    papers = list(meeting.papers.current())
    addresses = [(inv, _member_address(inv.member)) for inv in invitations]
    url = reverse("agreements:meeting_detail", args=[meeting.pk])
    body = _notice_body(meeting, papers, intro) if method == "REQUEST" else intro
    ical = calendar.meeting_calendar(
        meeting,
        method=method,
        attendees=[address for _inv, address in addresses if address is not None],
        organizer=_organizer(meeting, user),
        description=agenda_text(meeting) if method == "REQUEST" else "",
        url=outbox.absolute(url),
    ).to_ical()
    attachments: list[tuple[str, bytes, str]] = []
    if method == "REQUEST":
        pdf = notice_pdf(meeting)
        attachments.append(("kallelse.pdf", pdf.content, "application/pdf"))
    result = NoticeResult(sequence=meeting.notice_sequence)
    now = timezone.now()
    reached = []
    for invitation, address in addresses:
        member = invitation.member
        sent = None
        if address is not None:
            sent = outbox.send(
                member.user,  # type: ignore[arg-type]
                subject=subject,
                body=body,
                url=url,
                calendar=ical,
                attachments=attachments,
                source=f"agreements.meeting:{meeting.pk}",
            )
        if sent is None:
            result.not_reached.append(member)
        else:
            result.emailed.append(member)
            reached.append(invitation.pk)
    if method == "REQUEST":
        Invitation.objects.filter(pk__in=reached).update(emailed_at=now)
    return result


def missing_for_notice(meeting: Meeting, now: datetime.datetime | None = None) -> list[str]:
    """What stands in the way of sending the notice (empty: it can be sent)."""
    if meeting.is_cancelled:
        return [str(_("The meeting is cancelled."))]
    if meeting.is_withdrawn or meeting.minutes_status != MinutesStatus.DRAFT:
        return [str(_("Only a coming meeting with draft minutes gets a notice."))]
    if meeting.starts_at is None:
        return [str(_("Set the meeting's start time before sending the notice."))]
    if meeting.is_past(now):
        return [str(_("The meeting has already begun or is in the past; no notice is sent."))]
    return []


@transaction.atomic
def send_notice(
    *, meeting: Meeting, user: User | None, request: HttpRequest | None = None
) -> NoticeResult:
    """Send the notice (kallelse) to the body's members: e-mail with agenda, papers, a PDF and
    an iCalendar ``REQUEST``. Sent again, it goes to everyone once more; when the time or place
    changed since the last notice, as an update (same UID, higher ``SEQUENCE``).

    Members on the meeting's date get an invitation to reply to (also those the e-mail cannot
    reach: they are listed, and see it in their inbox).
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body__agreement", "chair__user")
        .get(pk=meeting.pk)
    )
    missing = missing_for_notice(meeting)
    if missing:
        raise MinutesError(" ".join(missing))
    first = meeting.notice_sent_at is None
    before = meeting.notice_sequence
    if not first and meeting.notice_sent_for != meeting.notice_key():
        meeting.notice_sequence += 1
    members = [
        m
        for m in meeting.body.members.select_related("user").order_by("name", "id")
        if m.is_active_on(meeting.held_on)
    ]
    existing = {inv.member_id for inv in meeting.invitations.all()}
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, member=m) for m in members if m.pk not in existing
    )
    invitations = list(
        meeting.invitations.filter(member__in=members).select_related("member__user")
    )
    if first:
        # Who will attend a coming meeting is not known before the replies: from the notice on,
        # the members on the attendance list are those who replied "attending" (guests stay).
        attending = [
            i.member_id for i in invitations if i.response == Invitation.Response.ATTENDING
        ]
        stale = Attendee.objects.filter(meeting=meeting, member__isnull=False).exclude(
            member_id__in=attending
        )
        if stale.exists():
            stale.delete()
            meeting.lock_version += 1
    subject, intro = (
        (
            _("Notice: %(body)s %(when)s"),
            _("You are called to a meeting of %(body)s (%(agreement)s)."),
        )
        if first
        else (
            _("Updated notice: %(body)s %(when)s"),
            _("The notice of a meeting of %(body)s (%(agreement)s) was updated."),
        )
    )
    names = {
        "body": meeting.body.name,
        "when": _when(meeting),
        "agreement": meeting.body.agreement.title,
    }
    subject, intro = subject % names, intro % names
    result = _send_calendar(
        meeting, invitations, method="REQUEST", subject=subject, intro=intro, user=user
    )
    meeting.notice_sent_at = timezone.now()
    meeting.notice_sent_for = meeting.notice_key()
    meeting.save(
        update_fields=["notice_sent_at", "notice_sent_for", "notice_sequence", "lock_version"]
    )
    _audit(
        user,  # type: ignore[arg-type]
        AuditAction.CHANGE,
        meeting,
        Purpose.NOTICE_SENT if first else Purpose.NOTICE_UPDATED,
        request,
        {"notice_sequence": [str(before) if not first else "", str(meeting.notice_sequence)]},
    )
    return result


def notice_after_edit(
    meeting: Meeting, user: User | None, request: HttpRequest | None = None
) -> NoticeResult | None:
    """After an edit: a sent notice whose time or place changed goes out again as an update,
    while the meeting is still to come (a meeting moved into the past sends nothing)."""
    if meeting.notice_sent_at is None or meeting.notice_sent_for == meeting.notice_key():
        return None
    if missing_for_notice(meeting):
        return None
    return send_notice(meeting=meeting, user=user, request=request)


@transaction.atomic
def cancel_meeting(
    *, meeting: Meeting, reason: str, user: User, request: HttpRequest | None = None
) -> Meeting:
    """Cancel a coming meeting: it no longer counts, and members who got the notice get a
    calendar ``CANCEL`` (same UID, higher ``SEQUENCE``, ``STATUS:CANCELLED``)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body__agreement", "chair__user")
        .get(pk=meeting.pk)
    )
    if meeting.is_cancelled:
        raise MinutesError(_("The meeting is already cancelled."))
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.is_withdrawn:
        raise MinutesError(_("Only a coming meeting with draft minutes can be cancelled."))
    if meeting.is_past():
        raise MinutesError(
            _("A meeting that has begun cannot be cancelled; delete or withdraw it.")
        )
    reason = reason.strip()
    if not reason:
        raise MinutesError(_("Say why the meeting is cancelled."))
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = user
    meeting.cancel_reason = reason
    meeting.lock_version += 1
    fields = ["cancelled_at", "cancelled_by", "cancel_reason", "lock_version"]
    if meeting.notice_sent_at is not None and meeting.starts_at is not None:
        meeting.notice_sequence += 1
        fields.append("notice_sequence")
        invitations = list(meeting.invitations.select_related("member__user"))
        _send_calendar(
            meeting,
            invitations,
            method="CANCEL",
            subject=_("Cancelled: %(body)s %(when)s")
            % {"body": meeting.body.name, "when": _when(meeting)},
            intro=_("The meeting of %(body)s on %(when)s is cancelled.")
            % {"body": meeting.body.name, "when": _when(meeting)},
            user=user,
        )
    meeting.save(update_fields=fields)
    _audit(
        user,
        AuditAction.CHANGE,
        meeting,
        Purpose.MEETING_CANCELLED,
        request,
        {"cancelled_at": ["", meeting.cancelled_at.isoformat()], "cancel_reason": ["", reason]},
    )
    return meeting


def export_notice_pdf(
    *, meeting: Meeting, user: User, request: HttpRequest | None = None
) -> Document:
    document = notice_pdf(meeting)
    _audit(user, AuditAction.PRINT, meeting, Purpose.NOTICE_PDF, request)
    return document


def send_due_notices(now: datetime.datetime | None = None) -> int:
    """Daily job: send the notice of each coming meeting whose body's notice period has begun
    (once: a sent notice is not sent again by the job)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Meeting.objects.planned(today)
        .filter(
            notice_sent_at__isnull=True,
            starts_at__isnull=False,
            minutes_status=MinutesStatus.DRAFT,
        )
        .select_related("body")
    )
    count = 0
    for meeting in due:
        if meeting.held_on - datetime.timedelta(days=meeting.body.notice_days) > today:
            continue
        if missing_for_notice(meeting, now):
            continue
        send_notice(meeting=meeting, user=None)
        count += 1
    return count
