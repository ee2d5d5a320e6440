"""Meetings: logging, agenda carry-in, minutes flow, addenda and assignments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import plausibility
from agreements.audit import Purpose
from agreements.models import (
    AgendaItem,
    Assignment,
    Attendee,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MinutesAddendum,
    MinutesStatus,
    PlanItem,
    Principal,
)
from agreements.services.assignment_notices import notify_owner
from agreements.services.base import AgreementsError, MinutesError, _audit, check_version
from agreements.services.justering import clear_checks, notify_published
from agreements.services.notices import notice_after_edit, renumber_agenda
from bus_portal.models import AuditAction, User
from bus_portal.registry import portal

# Meetings -----------------------------------------------------------------------------------


@dataclass
class AssignmentInput:
    title: str
    body: Body
    owner: str = ""
    due_on: datetime.date | None = None
    owner_user: User | None = None


@dataclass
class MeetingInput:
    held_on: datetime.date
    place: str
    host_principal: Principal
    starts_at: datetime.time | None = None
    ends_at: datetime.time | None = None
    chair: BodyMember | None = None
    convenor: BodyMember | None = None
    minutes: str = ""
    attendees: list[BodyMember] | None = None
    guests: list[tuple[str, str]] | None = None
    agenda: list[str] | None = None
    decisions: list[str] | None = None
    focus_areas: list[str] | None = None
    assignments: list[AssignmentInput] | None = None


def open_assignments_for(body: Body) -> QuerySet[Assignment]:
    """Open assignments a body should see on its agenda: given to it, or given by it."""
    # A subquery, not a join to meetings: the OR across a join made PostgreSQL scan every meeting
    # and assignment; this way it reads the open assignments' partial index.
    return (
        Assignment.objects.open()
        .filter(Q(body=body) | Q(meeting__in=Meeting.objects.filter(body=body).values("pk")))
        .select_related("body", "meeting__body")
        .order_by("due_on", "id")
    )


def carry_in(meeting: Meeting) -> int:
    """Put open assignments and other apps' suggestions on the agenda, once each (by source);
    an assignment overdue by the meeting's date says so. The items get their § numbers."""
    existing = set(
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(source="")
        .values_list("source", flat=True)
    )
    position = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    rows = []
    for assignment in open_assignments_for(meeting.body).exclude(meeting=meeting):
        if assignment.source in existing:
            continue
        existing.add(assignment.source)
        position += 1
        detail = _("Assignment to %(body)s, given %(date)s") % {
            "body": assignment.body.name,
            "date": assignment.meeting.held_on.isoformat(),
        }
        if assignment.due_on:
            detail += ", " + _("due %(date)s") % {"date": assignment.due_on.isoformat()}
        overdue = assignment.due_on is not None and assignment.due_on < meeting.held_on
        label = _("Overdue assignment: %(title)s") if overdue else _("Follow-up: %(title)s")
        rows.append(
            AgendaItem(
                meeting=meeting,
                position=position,
                title=(label % {"title": assignment.title})[:300],
                detail=detail,
                source=assignment.source,
            )
        )
    local_group = meeting.body.agreement.local_group
    if meeting.body.is_steering and local_group is not None:
        for suggestion in portal.agenda_suggestions(local_group):
            if suggestion.source and suggestion.source in existing:
                continue
            existing.add(suggestion.source)
            position += 1
            rows.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=suggestion.title[:300],
                    detail=suggestion.detail,
                    url=suggestion.url[:300],
                    source=suggestion.source[:64],
                )
            )
    AgendaItem.objects.bulk_create(rows)
    renumber_agenda(meeting)
    return len(rows)


def _write_meeting_children(meeting: Meeting, data: MeetingInput, user: User) -> None:
    Attendee.objects.filter(meeting=meeting).delete()
    Attendee.objects.bulk_create(
        [Attendee(meeting=meeting, member=m) for m in data.attendees or []]
        + [
            Attendee(meeting=meeting, guest_name=name, guest_organisation=org)
            for name, org in data.guests or []
        ]
    )
    AgendaItem.objects.filter(meeting=meeting, source="").delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, title=title[:300])
        for i, title in enumerate(data.agenda or [], start=1)
    )
    Decision.objects.filter(meeting=meeting).delete()
    decisions = [
        Decision(meeting=meeting, text=t, position=i) for i, t in enumerate(data.decisions or [])
    ]
    start = len(decisions)
    decisions += [
        Decision(meeting=meeting, text=t, position=start + i, is_focus_area=True)
        for i, t in enumerate(data.focus_areas or [])
    ]
    Decision.objects.bulk_create(decisions)
    # Focus areas decided by the steering group go into next year's local BUS plan.
    PlanItem.objects.filter(meeting=meeting, kind=PlanItem.Kind.FOCUS_AREA).delete()
    if data.focus_areas and meeting.body.is_steering:
        PlanItem.objects.bulk_create(
            PlanItem(
                agreement_id=meeting.body.agreement_id,
                year=meeting.held_on.year + 1,
                kind=PlanItem.Kind.FOCUS_AREA,
                text=text[:400],
                meeting=meeting,
            )
            for text in data.focus_areas
        )
    renumber_agenda(meeting)
    for item in data.assignments or []:
        assignment = Assignment.objects.create(
            meeting=meeting,
            body=item.body,
            title=item.title,
            owner=item.owner or (item.owner_user.get_full_name() if item.owner_user else ""),
            owner_user=item.owner_user,
            due_on=item.due_on,
        )
        assignment.meeting = meeting
        notify_owner(assignment, user)


def _meeting_fields(data: MeetingInput) -> dict[str, object]:
    """The meeting's own fields from the input, the same for a new meeting and an edited one."""
    return {
        "held_on": data.held_on,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "place": data.place,
        "host_principal": data.host_principal,
        "chair": data.chair,
        "convenor": data.convenor,
        "minutes": data.minutes,
    }


def _check_meeting_input(body: Body, data: MeetingInput) -> None:
    problem = plausibility.meeting_date_error(data.held_on)
    if problem:
        raise AgreementsError(problem)
    if data.ends_at is not None and (data.starts_at is None or data.ends_at <= data.starts_at):
        raise AgreementsError(_("The meeting must end after it starts."))
    for item in data.assignments or []:
        if item.due_on is not None and plausibility.due_date_error(item.due_on):
            raise AgreementsError(plausibility.due_date_error(item.due_on))
    for member in [data.chair, data.convenor, *(data.attendees or [])]:
        if member is not None and member.body_id != body.pk:
            raise AgreementsError(_("Chair, convenor and attendees must be members of the body."))
    for item in data.assignments or []:
        if item.body.agreement_id != body.agreement_id:
            raise AgreementsError(_("Assignments can only go to bodies under the same agreement."))


@transaction.atomic
def create_meeting(
    *, body: Body, data: MeetingInput, user: User, request: HttpRequest | None = None
) -> Meeting:
    """Log a meeting with attendees, agenda, minutes, decisions and assignments.

    Open assignments of the body, and items other apps suggest for a steering group's agenda,
    are carried into the agenda automatically.
    """
    Body.objects.select_for_update().get(pk=body.pk)
    _check_meeting_input(body, data)
    meeting = Meeting.objects.create(body=body, created_by=user, **_meeting_fields(data))
    _write_meeting_children(meeting, data, user)
    carry_in(meeting)
    _audit(user, AuditAction.CREATE, meeting, Purpose.MEETING_LOGGED, request)
    return meeting


def _edited_fields(meeting: Meeting) -> dict[str, str]:
    """What an edit may change, as texts, for the audit row's field codes."""
    decisions = list(meeting.decisions.order_by("position", "id"))
    return {
        "held_on": str(meeting.held_on),
        "starts_at": str(meeting.starts_at or ""),
        "ends_at": str(meeting.ends_at or ""),
        "place": meeting.place,
        "host_principal": str(meeting.host_principal_id),
        "chair": str(meeting.chair_id or ""),
        "convenor": str(meeting.convenor_id or ""),
        "minutes": meeting.minutes,
        "attendees": ",".join(
            sorted(f"{a.member_id or ''}:{a.guest_name}" for a in meeting.attendees.all())
        ),
        "agenda": "\n".join(
            a.title for a in meeting.agenda_items.filter(source="").order_by("position", "id")
        ),
        "decisions": "\n".join(d.text for d in decisions if not d.is_focus_area),
        "focus_areas": "\n".join(d.text for d in decisions if d.is_focus_area),
    }


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    data: MeetingInput,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Meeting:
    """Change a meeting while its minutes are a draft. New assignments are added, never replaced.

    Refused with ``StaleEdit`` when someone saved the meeting after this user opened the form:
    the view then shows what they changed and merges (``bus_portal.concurrency``).
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    )
    if not meeting.can_edit():
        raise MinutesError(_("Checked or published minutes cannot be edited; add an addendum."))
    check_version(meeting, expected_version)
    _check_meeting_input(meeting.body, data)
    before = _edited_fields(meeting)
    for name, value in _meeting_fields(data).items():
        setattr(meeting, name, value)
    meeting.lock_version += 1
    meeting.save()
    _write_meeting_children(meeting, data, user)
    after = _edited_fields(meeting)
    # The fields that changed, by code; their text is the meeting itself.
    changed = sorted(name for name in after if before[name] != after[name])
    _audit(
        user,
        AuditAction.CHANGE,
        meeting,
        Purpose.MEETING_EDITED,
        request,
        {"fields": changed},
    )
    # The justerare checked the earlier text: a changed record needs their check again.
    if set(changed) - {"starts_at", "ends_at", "place", "host_principal"}:
        clear_checks(meeting, user, request)
    notice_after_edit(meeting, user, request)
    return meeting


def missing_for_deletion(meeting: Meeting) -> list[str]:
    """What stands in the way of deleting a meeting (empty: it can be deleted)."""
    if not meeting.can_delete():
        return [
            str(
                _(
                    "Checked or published minutes are not deleted. Withdraw the meeting as "
                    "logged by mistake instead."
                )
            )
        ]
    if meeting.notice_sent_at and not meeting.is_cancelled and not meeting.is_past():
        return [
            str(
                _(
                    "The members have the notice of this meeting; cancel the meeting instead, "
                    "so their calendars are told."
                )
            )
        ]
    acted_on = meeting.assignments.exclude(status=Assignment.Status.OPEN)
    if acted_on.exists():
        return [
            str(
                _(
                    "An assignment given at this meeting has been started or done; correct the "
                    "meeting instead of deleting it."
                )
            )
        ]
    return []


@transaction.atomic
def delete_meeting(*, meeting: Meeting, user: User, request: HttpRequest | None = None) -> Body:
    """Delete a draft meeting logged by mistake (a test, a duplicate), with what it holds: its
    attendees, agenda, decisions, the focus areas it put in the plan and its open assignments.

    The audit row keeps the meeting's own fields by code; the meeting no longer counts in the
    body's meeting rules. Returns the body, whose page the user goes back to.
    """
    locked = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    )
    missing = missing_for_deletion(locked)
    if missing:
        raise MinutesError(" ".join(missing))
    body = locked.body
    changes = {name: [value, ""] for name, value in _edited_fields(locked).items() if value}
    changes["minutes_status"] = [locked.minutes_status, ""]
    _audit(user, AuditAction.DELETE, locked, Purpose.MEETING_DELETED, request, changes)
    PlanItem.objects.filter(meeting=locked, kind=PlanItem.Kind.FOCUS_AREA).delete()
    locked.delete()
    return body


@transaction.atomic
def withdraw_meeting(
    *, meeting: Meeting, reason: str, user: User, request: HttpRequest | None = None
) -> Meeting:
    """Withdraw checked or published minutes of a meeting logged by mistake.

    The minutes were shown to others, so nothing is deleted: the meeting stays readable, marked
    withdrawn with who, when and why, and no longer counts in the meeting rules.
    """
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not locked.can_withdraw():
        if locked.is_withdrawn:
            raise MinutesError(_("The meeting is already withdrawn."))
        raise MinutesError(_("A draft is deleted, not withdrawn."))
    reason = reason.strip()
    if not reason:
        raise MinutesError(_("Say why the meeting is withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = user
    locked.withdrawal_reason = reason
    locked.lock_version += 1
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "lock_version"])
    _audit(
        user,
        AuditAction.CHANGE,
        locked,
        Purpose.MEETING_WITHDRAWN,
        request,
        {"withdrawn_at": ["", locked.withdrawn_at.isoformat()], "withdrawal_reason": ["", reason]},
    )
    return locked


@transaction.atomic
def refresh_agenda(*, meeting: Meeting, user: User, request: HttpRequest | None = None) -> int:
    """Carry in assignments and suggestions that appeared after the agenda was made."""
    meeting = (
        # Lock only the meeting row: PostgreSQL cannot lock the nullable side of the joins.
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body__agreement__local_group")
        .get(pk=meeting.pk)
    )
    if not meeting.can_edit():
        raise MinutesError(_("Checked or published minutes cannot be edited; add an addendum."))
    added = carry_in(meeting)
    if added:
        _audit(user, AuditAction.CHANGE, meeting, Purpose.AGENDA_UPDATED, request)
    return added


# The audit purpose of each step of the minutes after the draft.
_MINUTES_STEP_PURPOSES = {
    MinutesStatus.CHECKED: Purpose.MINUTES_CHECKED,
    MinutesStatus.PUBLISHED: Purpose.MINUTES_PUBLISHED,
}


def _move_minutes(
    meeting: Meeting,
    status: MinutesStatus,
    user: User,
    request: HttpRequest | None,
    **fields: object,
) -> Meeting:
    """Save the minutes' next status with the fields that go with it; audit the step as codes."""
    purpose = _MINUTES_STEP_PURPOSES[status]
    before = meeting.minutes_status
    meeting.minutes_status = status
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=["minutes_status", *fields])
    _audit(
        user, AuditAction.CHANGE, meeting, purpose, request, {"minutes_status": [before, status]}
    )
    return meeting


@transaction.atomic
def publish_minutes(*, meeting: Meeting, user: User, request: HttpRequest | None = None) -> Meeting:
    """Publish checked minutes to everyone in the county. Irreversible: corrections are addenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_publish():
        raise MinutesError(" ".join(meeting.missing_for_publishing()))
    meeting = _move_minutes(
        meeting,
        MinutesStatus.PUBLISHED,
        user,
        request,
        published_at=timezone.now(),
        published_by=user,
    )
    notify_published(meeting, user, request)
    return meeting


@transaction.atomic
def add_addendum(
    *, meeting: Meeting, text: str, user: User, request: HttpRequest | None = None
) -> MinutesAddendum:
    """Append a correction to checked or published minutes, which themselves never change.

    The addendum records who added it and when; it is shown under the minutes and printed with
    them.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_add_addendum():
        raise MinutesError(_("Addenda are for checked or published minutes; edit the draft."))
    if not text.strip():
        raise MinutesError(_("Write the correction."))
    addendum = MinutesAddendum.objects.create(meeting=meeting, text=text.strip(), created_by=user)
    _audit(user, AuditAction.CREATE, addendum, Purpose.ADDENDUM_ADDED, request)
    return addendum


@transaction.atomic
def update_assignment(
    *,
    assignment: Assignment,
    status: str,
    outcome: str = "",
    done_on: datetime.date | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> Assignment:
    """Move an assignment on; closing it stops it being carried into agendas."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if status not in Assignment.Status.values:
        raise AgreementsError(_("Unknown status."))
    if assignment.status == Assignment.Status.DONE:
        raise AgreementsError(_("The assignment is already done."))
    before = assignment.status
    assignment.status = status
    if outcome:
        assignment.outcome = outcome
    if status == Assignment.Status.DONE:
        assignment.done_on = done_on or timezone.localdate()
    assignment.save()
    _audit(
        user,
        AuditAction.CHANGE,
        assignment,
        Purpose.ASSIGNMENT_UPDATED,
        request,
        {"status": [before, status]},
    )
    return assignment
