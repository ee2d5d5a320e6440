"""This app's items in the user's "Att göra" list (``bus_portal.inbox``): notices to reply to,
minutes to check as justerare, and assignments due. One query per kind; gone when done."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Assignment, Invitation, MinutesChecker, MinutesStatus
from bus_portal.inbox import InboxItem

#: An assignment shows in its owner's list from this many days before it is due.
ASSIGNMENT_DAYS = 14


def _when(held_on: datetime.date, starts_at: datetime.time | None) -> str:
    return f"{held_on:%Y-%m-%d}" + (f" {starts_at:%H:%M}" if starts_at else "")


# A meeting whose notice or minutes still wait for someone: neither cancelled nor withdrawn, and
# its minutes a draft.
_MEETING_OPEN = Q(
    meeting__cancelled_at__isnull=True,
    meeting__withdrawn_at__isnull=True,
    meeting__minutes_status=MinutesStatus.DRAFT,
)


def items(user) -> Iterable[InboxItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    found: list[InboxItem] = []
    replies = (
        Invitation.objects.filter(
            _MEETING_OPEN, member__user=user.pk, response="", meeting__held_on__gte=today
        )
        .select_related("meeting__body")
        .order_by("meeting__held_on", "id")
    )
    for invitation in replies:
        meeting = invitation.meeting
        found.append(
            InboxItem(
                kind=_("Meeting"),
                title=_("Reply to the notice of a meeting"),
                url=reverse("agreements:meeting_reply", args=[meeting.pk]),
                due=meeting.held_on,
                detail=f"{meeting.body.name}, {_when(meeting.held_on, meeting.starts_at)}",
            )
        )
    checks = (
        MinutesChecker.objects.filter(
            _MEETING_OPEN,
            member__user=user.pk,
            checked_at__isnull=True,
            meeting__held_on__lte=today,
        )
        .exclude(meeting__minutes="")
        .select_related("meeting__body")
        .order_by("meeting__held_on", "id")
    )
    for checker in checks:
        meeting = checker.meeting
        found.append(
            InboxItem(
                kind=_("Minutes"),
                title=_("Check the minutes as justerare"),
                url=reverse("agreements:meeting_check", args=[meeting.pk]),
                detail=f"{meeting.body.name}, {meeting.held_on:%Y-%m-%d}",
            )
        )
    assignments = (
        Assignment.objects.open()
        .filter(
            owner_user=user.pk,
            due_on__isnull=False,
            due_on__lte=today + datetime.timedelta(days=ASSIGNMENT_DAYS),
        )
        .select_related("body")
        .order_by("due_on", "id")
    )
    for assignment in assignments:
        found.append(
            InboxItem(
                kind=_("Assignment"),
                title=_("Finish an assignment"),
                url=reverse("agreements:meeting_detail", args=[assignment.meeting_id]),
                due=assignment.due_on,
                detail=f"{assignment.title} ({assignment.body.name})"[:200],
            )
        )
    return found
