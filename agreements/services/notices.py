"""Working together on a meeting: the notice with its calendar invitation, the members' replies,
the justerare who check the minutes under their own login, the papers, and the assignment
owners' notices and reminders.

E-mail goes through ``bus_portal.outbox.send``; texts are neutral (a body, a time, a place, an
agenda; never a child's data). Every step is audited with this app's purpose codes.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from agreements import calendar, documents, uploads
from agreements.audit import Purpose
from agreements.models import (
    AgendaItem,
    Assignment,
    Attendee,
    BodyMember,
    Invitation,
    Meeting,
    MeetingPaper,
    MinutesChecker,
    MinutesStatus,
)
from agreements.overview import agenda_and_decisions
from agreements.services.base import MinutesError, _audit, check_version
from bus_portal import outbox
from bus_portal.documents import Document
from bus_portal.models import AuditAction, User

P = ParamSpec("P")
R = TypeVar("R")


def in_site_language(function: Callable[P, R]) -> Callable[P, R]:
    """E-mails are written in the portal's language, whoever (or whichever job) sends them."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


#: How many justerare a meeting has: one or two.
MAX_CHECKERS = 2
#: Assignment owners are reminded this many days before the due date.
REMINDER_DAYS = 7


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


# Replies ------------------------------------------------------------------------------------


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


# Justering ----------------------------------------------------------------------------------


@transaction.atomic
def appoint_checkers(
    *,
    meeting: Meeting,
    members: list[BodyMember],
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> list[MinutesChecker]:
    """The chair appoints one or two justerare among the body's members with a portal login.

    A justerare kept keeps their check; one no longer appointed is removed with theirs.
    """
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    check_version(meeting, expected_version)
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.is_withdrawn:
        raise MinutesError(_("Justerare are appointed while the minutes are a draft."))
    if meeting.is_cancelled:
        raise MinutesError(_("The meeting is cancelled."))
    unique = list({m.pk: m for m in members}.values())
    if not 1 <= len(unique) <= MAX_CHECKERS:
        raise MinutesError(_("Appoint one or two justerare."))
    for member in unique:
        if member.body_id != meeting.body_id or not member.is_active_on(meeting.held_on):
            raise MinutesError(_("A justerare must be a member of the body."))
        if member.user_id is None:
            raise MinutesError(
                _("%(name)s has no portal login and cannot check the minutes.")
                % {"name": member.name}
            )
    current = {c.member_id: c for c in meeting.checkers.all()}
    before = ",".join(str(pk) for pk in sorted(current))
    wanted = {m.pk for m in unique}
    MinutesChecker.objects.filter(meeting=meeting).exclude(member_id__in=wanted).delete()
    MinutesChecker.objects.bulk_create(
        MinutesChecker(meeting=meeting, member=m, appointed_by=user)
        for m in unique
        if m.pk not in current
    )
    meeting.lock_version += 1
    meeting.save(update_fields=["lock_version"])
    _audit(
        user,
        AuditAction.CHANGE,
        meeting,
        Purpose.CHECKERS_APPOINTED,
        request,
        {"checkers": [before, ",".join(str(pk) for pk in sorted(wanted))]},
    )
    return list(meeting.checkers.select_related("member"))


def clear_checks(meeting: Meeting, user: User, request: HttpRequest | None = None) -> int:
    """An edit of draft minutes voids the checks made on the earlier text (audited)."""
    cleared = MinutesChecker.objects.filter(meeting=meeting, checked_at__isnull=False).update(
        checked_at=None, checked_by=None
    )
    if cleared:
        _audit(user, AuditAction.CHANGE, meeting, Purpose.CHECKS_CLEARED, request)
    return cleared


def missing_for_own_check(checker: MinutesChecker, today: datetime.date | None = None) -> list[str]:
    meeting = checker.meeting
    if checker.checked_at is not None:
        return [str(_("You have already checked these minutes."))]
    missing = meeting.missing_for_checking()
    if meeting.is_cancelled:
        missing.append(str(_("The meeting is cancelled.")))
    if meeting.held_on > (today or timezone.localdate()):
        missing.append(str(_("Minutes cannot be checked before the meeting was held.")))
    return missing


@transaction.atomic
def check_minutes(
    *, meeting: Meeting, user: User, request: HttpRequest | None = None
) -> MinutesChecker:
    """Justering under one's own login: the appointed justerare confirms the minutes (time-
    stamped). When every justerare has checked, the minutes are checked and can be published."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    checker = (
        MinutesChecker.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(meeting=meeting, member__user=user.pk)
        .first()
    )
    if checker is None:
        raise MinutesError(_("Only an appointed justerare checks the minutes."))
    checker.meeting = meeting
    missing = missing_for_own_check(checker)
    if missing:
        raise MinutesError(" ".join(missing))
    checker.checked_at = timezone.now()
    checker.checked_by = user
    checker.save(update_fields=["checked_at", "checked_by"])
    _audit(
        user,
        AuditAction.CHANGE,
        checker,
        Purpose.MINUTES_CHECKED,
        request,
        {"checked_at": ["", checker.checked_at.isoformat()]},
    )
    checkers = list(meeting.checkers.select_related("member").order_by("id"))
    if all(c.checked_at is not None for c in checkers):
        from agreements.services.meetings import _move_minutes

        _move_minutes(
            meeting,
            MinutesStatus.CHECKED,
            user,
            request,
            checker_name=", ".join(c.member.name for c in checkers)[:150],
            checked_on=timezone.localdate(),
        )
    return checker


@in_site_language
def notify_published(meeting: Meeting, user: User, request: HttpRequest | None = None) -> int:
    """Tell the body's members that the minutes are published (outbox; digest by default)."""
    members = [
        m
        for m in meeting.body.members.select_related("user").exclude(user=None)
        if m.is_active_on(meeting.held_on) or m.is_active_on(timezone.localdate())
    ]
    users = {m.user_id: m.user for m in members}
    url = reverse("agreements:meeting_detail", args=[meeting.pk])
    sent = 0
    for recipient in users.values():
        if outbox.send(
            recipient,  # type: ignore[arg-type]
            subject=_("Minutes published: %(body)s %(date)s")
            % {"body": meeting.body.name, "date": meeting.held_on.isoformat()},
            body=_("The minutes of the meeting of %(body)s on %(date)s are published.")
            % {"body": meeting.body.name, "date": meeting.held_on.isoformat()},
            url=url,
            source=f"agreements.meeting:{meeting.pk}",
        ):
            sent += 1
    _audit(user, AuditAction.CHANGE, meeting, Purpose.MINUTES_PUBLISHED_NOTIFIED, request)
    return sent


# Papers -------------------------------------------------------------------------------------


@transaction.atomic
def add_paper(
    *, meeting: Meeting, title: str, file: File, user: User, request: HttpRequest | None = None
) -> MeetingPaper:
    """Keep a paper (handling) with a coming meeting; checked by content like every upload."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.is_cancelled:
        raise MinutesError(_("Papers are added to a coming meeting with draft minutes."))
    if not title.strip():
        raise MinutesError(_("Give the paper a title."))
    try:
        found = uploads.check(file)
    except ValidationError as error:
        raise MinutesError(" ".join(error.messages)) from None
    file.name = f"{uuid.uuid4().hex}.{found.extension}"
    paper = MeetingPaper.objects.create(
        meeting=meeting,
        title=title.strip()[:200],
        file=file,
        content_type=found.content_type,
        uploaded_by=user,
    )
    _audit(user, AuditAction.CREATE, paper, Purpose.PAPER_ADDED, request)
    return paper


@transaction.atomic
def remove_paper(
    *, paper: MeetingPaper, reason: str, user: User, request: HttpRequest | None = None
) -> MeetingPaper:
    """Remove a paper added by mistake: the file is deleted (once the removal is committed), the
    row stays with who, when and why, and the meeting's page lists it as removed."""
    locked = MeetingPaper.objects.select_for_update().get(pk=paper.pk)
    if locked.is_removed:
        raise MinutesError(_("The paper is already removed."))
    reason = reason.strip()
    if not reason:
        raise MinutesError(_("Say why the paper is removed."))
    stored = locked.file.name
    locked.removed_at = timezone.now()
    locked.removed_by = user
    locked.removal_reason = reason[:1000]
    locked.file = ""
    locked.save(update_fields=["removed_at", "removed_by", "removal_reason", "file"])
    if stored:
        storage = MeetingPaper.file.field.storage
        transaction.on_commit(lambda: storage.delete(stored))
    _audit(
        user,
        AuditAction.DELETE,
        locked,
        Purpose.PAPER_REMOVED,
        request,
        {"title": [locked.title, ""], "removal_reason": ["", locked.removal_reason]},
    )
    return locked


def open_paper(*, paper: MeetingPaper, user: User, request: HttpRequest | None = None) -> File:
    _audit(user, AuditAction.EXPORT, paper, Purpose.PAPER_DOWNLOADED, request)
    return paper.file.open("rb")


def export_notice_pdf(
    *, meeting: Meeting, user: User, request: HttpRequest | None = None
) -> Document:
    document = notice_pdf(meeting)
    _audit(user, AuditAction.PRINT, meeting, Purpose.NOTICE_PDF, request)
    return document


# Assignments --------------------------------------------------------------------------------


@in_site_language
def notify_owner(assignment: Assignment, user: User | None = None) -> bool:
    """Tell the owner (a portal user) of a new assignment, once."""
    owner = assignment.owner_user
    if owner is None or assignment.notified_at is not None:
        return False
    due = assignment.due_on.isoformat() if assignment.due_on else "–"
    outbox.send(
        owner,
        subject=_("New assignment from %(body)s") % {"body": assignment.meeting.body.name},
        body=_("You own an assignment given at a meeting of %(body)s: %(title)s. Due: %(due)s.")
        % {"body": assignment.meeting.body.name, "title": assignment.title, "due": due},
        url=reverse("agreements:meeting_detail", args=[assignment.meeting_id]),
        source=assignment.source,
    )
    assignment.notified_at = timezone.now()
    assignment.save(update_fields=["notified_at"])
    _audit(user, AuditAction.CHANGE, assignment, Purpose.ASSIGNMENT_NOTIFIED)  # type: ignore[arg-type]
    return True


@in_site_language
def remind_assignment_owners(today: datetime.date | None = None) -> int:
    """Daily job: remind owners of open assignments due within a week, once per due date."""
    today = today or timezone.localdate()
    due = (
        Assignment.objects.open()
        .filter(
            owner_user__isnull=False,
            due_on__isnull=False,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
        )
        .exclude(reminded_for=F("due_on"))
        .select_related("owner_user", "body", "meeting__body")
    )
    count = 0
    for assignment in due:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if locked.reminded_for == locked.due_on or not locked.is_open:
                continue
            due_on = str(assignment.due_on)
            outbox.send(
                assignment.owner_user,
                subject=_("Assignment due %(date)s") % {"date": due_on},
                body=_("Your assignment for %(body)s is due %(date)s: %(title)s.")
                % {"body": assignment.body.name, "date": due_on, "title": assignment.title},
                url=reverse("agreements:meeting_detail", args=[assignment.meeting_id]),
                source=assignment.source,
            )
            locked.reminded_for = locked.due_on
            locked.save(update_fields=["reminded_for"])
            _audit(None, AuditAction.CHANGE, locked, Purpose.ASSIGNMENT_REMINDED)  # type: ignore[arg-type]
            count += 1
    return count


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


def carry_overdue_assignments(today: datetime.date | None = None) -> int:
    """Daily job: an overdue open assignment goes on the agenda of its body's next meeting."""
    from agreements.services.meetings import carry_in

    today = today or timezone.localdate()
    bodies = set(
        Assignment.objects.open().filter(due_on__lt=today).values_list("body_id", flat=True)
    )
    added = 0
    for body_id in sorted(bodies):
        meeting = (
            Meeting.objects.planned(today)
            .filter(body_id=body_id, minutes_status=MinutesStatus.DRAFT)
            .select_related("body__agreement__local_group")
            .order_by("held_on", "id")
            .first()
        )
        if meeting is not None:
            with transaction.atomic():
                added += carry_in(meeting)
    return added


def daily_job() -> int:
    """What ``manage.py run_daily`` runs for agreements; idempotent when run twice a day."""
    return send_due_notices() + remind_assignment_owners() + carry_overdue_assignments()
