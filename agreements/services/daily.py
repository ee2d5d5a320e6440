"""The agreements app's daily job: the notices that are due, the reminders to assignment owners,
and overdue assignments carried onto the agenda of their body's next meeting."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from agreements.models import Assignment, Meeting, MinutesStatus
from agreements.services.assignment_notices import remind_assignment_owners
from agreements.services.meetings import carry_in
from agreements.services.notices import send_due_notices


def carry_overdue_assignments(today: datetime.date | None = None) -> int:
    """Daily job: an overdue open assignment goes on the agenda of its body's next meeting."""
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
