"""E-mail to the owners of assignments given at meetings: the notice of a new assignment, and
the reminder before its due date (once per due date); each audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.audit import Purpose
from agreements.models import Assignment
from agreements.services.base import _audit, in_site_language
from bus_portal import outbox
from bus_portal.models import AuditAction, User

#: Assignment owners are reminded this many days before the due date.
REMINDER_DAYS = 7


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
