"""Start page: the officer's clocks and the unit chief's individforum countdowns."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.models import User
from bus_portal.registry import Panel
from bus_portal.roles import Role
from sip.models import FOLLOW_UP_WARNING_DAYS, ForumCase, LocalRules, Plan

# Rows per clock on the start page: a unit may have hundreds of open plans at national scale.
CLOCK_ROWS = 10
WAITING, FOLLOW_UP = "waiting", "follow_up"


def _clock_plans(user: User, today: datetime.date, horizon: datetime.date) -> list[Plan]:
    """The most urgent plans on each clock, each carrying its clock's total: one query."""
    waiting = Q(status=Plan.Status.DRAFT, first_meeting_on__isnull=True)
    due = Q(
        status__in=[Plan.Status.AGREED, Plan.Status.FOLLOW_UP],
        next_follow_up_on__isnull=False,
        next_follow_up_on__lte=horizon,
    )
    # The officer's own units draft these plans, so they are visible without visible_to's UNION.
    return list(
        Plan.objects.filter(owner_unit_id__in=user.unit_ids_with_role(Role.CASE_OFFICER))
        .filter(waiting | due)
        .select_related("local_group__sip_rules")
        .annotate(
            clock=Case(When(waiting, then=Value(WAITING)), default=Value(FOLLOW_UP)),
            # Waiting plans by the day the need was noticed, follow-ups by their date.
            clock_date=Case(
                When(waiting, then=F("need_noticed_on")), default=F("next_follow_up_on")
            ),
        )
        .annotate(
            clock_rank=Window(
                RowNumber(), partition_by=[F("clock")], order_by=[F("clock_date"), F("id")]
            ),
            clock_total=Window(Count("pk"), partition_by=[F("clock")]),
        )
        .filter(clock_rank__lte=CLOCK_ROWS)
        .order_by("clock_date", "id")
    )


def _officer_panel(user: User, today: datetime.date) -> Panel | None:
    horizon = today + datetime.timedelta(days=FOLLOW_UP_WARNING_DAYS)
    waiting, follow_ups, totals = [], [], {WAITING: 0, FOLLOW_UP: 0}
    for plan in _clock_plans(user, today, horizon):
        totals[plan.clock] = plan.clock_total
        if plan.clock == WAITING:
            rules = LocalRules.of(plan)
            waiting.append(
                {
                    "plan": plan,
                    "days": (today - plan.need_noticed_on).days,
                    "limit": rules.first_meeting_days,
                    "overdue": today > plan.first_meeting_deadline(rules),
                }
            )
        else:
            follow_ups.append(
                {
                    "plan": plan,
                    "overdue": plan.next_follow_up_on < today,
                    "days": (plan.next_follow_up_on - today).days,
                }
            )
    if not (waiting or follow_ups):
        return None
    return Panel(
        title=_("SIP clocks"),
        template="sip/panels/officer.html",
        context={
            "waiting": waiting,
            "waiting_total": totals[WAITING],
            "follow_ups": follow_ups,
            "follow_ups_total": totals[FOLLOW_UP],
            "horizon_days": FOLLOW_UP_WARNING_DAYS,
        },
        order=20,
    )


def _chief_panel(user: User, today: datetime.date) -> Panel | None:
    cases = (
        ForumCase.objects.visible_to(user)
        .filter(status=ForumCase.Status.OPEN)
        .select_related("local_group__sip_rules")
        .order_by("need_noticed_on", "id")
    )
    rows = []
    for case in cases:
        deadline = case.deadline()
        days_left = (deadline - today).days
        rows.append(
            {"case": case, "deadline": deadline, "days_left": days_left, "overdue": -days_left}
        )
    if not rows:
        return None
    return Panel(
        title=_("Individforum cases awaiting a meeting"),
        template="sip/panels/chief.html",
        context={"cases": rows},
        order=21,
    )


def panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:  # the start page asks only for signed-in users
        return []
    today = timezone.localdate()
    result: list[Panel | None] = []
    if user.has_role(Role.CASE_OFFICER):
        result.append(_officer_panel(user, today))
    if user.has_role(Role.UNIT_CHIEF):
        result.append(_chief_panel(user, today))
    return [panel for panel in result if panel is not None]
