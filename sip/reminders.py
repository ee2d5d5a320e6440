"""Reminders (the daily job): a measure's responsible person before the measure ends, the plan's
initiator before its follow-up, each once; ``sip.inbox`` lists the same measures and plans."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bus_portal.models import User
from sip import notices
from sip.audit import Purpose
from sip.models import FOLLOW_UP_WARNING_DAYS, Measure, Plan, SipReminder
from sip.services import record_for_child

#: Days before a measure's end date its responsible person is reminded.
MEASURE_REMINDER_DAYS = 7

_ACTIVE = (Plan.Status.AGREED, Plan.Status.FOLLOW_UP)


def measures_ending(today: datetime.date):
    """Measures of active plans ending within ``MEASURE_REMINDER_DAYS`` with a responsible user."""
    return Measure.objects.filter(
        plan__status__in=_ACTIVE,
        responsible_user__isnull=False,
        responsible_user__is_active=True,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=MEASURE_REMINDER_DAYS),
    )


def follow_ups_due(today: datetime.date):
    """Active plans whose follow-up is due within ``FOLLOW_UP_WARNING_DAYS`` (or overdue)."""
    return Plan.objects.filter(
        status__in=_ACTIVE,
        created_by__is_active=True,
        next_follow_up_on__isnull=False,
        next_follow_up_on__lte=today + datetime.timedelta(days=FOLLOW_UP_WARNING_DAYS),
    )


def send_reminders() -> int:
    """Remind responsible persons before a measure ends and the plan's initiator before the
    follow-up: each (measure or plan, due date, person) once, however often the job runs."""
    today = timezone.localdate()
    sent = 0
    for measure in measures_ending(today).select_related("plan", "responsible_user"):
        assert measure.responsible_user is not None and measure.ends_on is not None
        sent += _remind(
            SipReminder.Kind.MEASURE_ENDS,
            measure.plan,
            measure.responsible_user,
            measure.ends_on,
            measure=measure,
        )
    for plan in follow_ups_due(today).select_related("created_by"):
        assert plan.next_follow_up_on is not None
        sent += _remind(SipReminder.Kind.FOLLOW_UP, plan, plan.created_by, plan.next_follow_up_on)
    return sent


@transaction.atomic
def _remind(
    kind: str,
    plan: Plan,
    user: User,
    due_on: datetime.date,
    measure: Measure | None = None,
) -> int:
    reminder, created = SipReminder.objects.get_or_create(
        kind=kind, plan=plan, measure=measure, due_on=due_on, user=user
    )
    if not created:
        return 0
    notices.reminder_notice(reminder)
    record_for_child(
        None,  # type: ignore[arg-type]  # the daily job acts for no one
        plan,
        Purpose.REMINDER_SENT,
        None,
        changes={"reminder": kind, "due_on": str(due_on), "to": user.pk},
    )
    return 1
