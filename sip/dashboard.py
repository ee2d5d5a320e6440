"""Start page: the officer's clocks and the unit chief's individforum countdowns."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.dashboard import Panel
from bus_portal.roles import Role
from sip.models import FOLLOW_UP_WARNING_DAYS, ForumCase, LocalRules, Plan


def _rules(group_ids) -> dict[int, LocalRules]:
    stored = {r.local_group_id: r for r in LocalRules.objects.filter(local_group_id__in=group_ids)}
    return {gid: stored.get(gid) or LocalRules(local_group_id=gid) for gid in group_ids}


def panels(request) -> list[Panel]:
    user = request.user
    result: list[Panel] = []
    today = timezone.localdate()
    if user.has_role(Role.CASE_OFFICER):
        plans = list(
            Plan.objects.visible_to(user)
            .exclude(status=Plan.Status.CLOSED)
            .filter(owner_unit_id__in=user.unit_ids_with_role(Role.CASE_OFFICER))
            .order_by("need_noticed_on", "id")
        )
        rules = _rules({p.local_group_id for p in plans})
        waiting = []
        for plan in plans:
            if plan.status == Plan.Status.DRAFT and plan.first_meeting_on is None:
                deadline = plan.first_meeting_deadline(rules[plan.local_group_id])
                waiting.append(
                    {
                        "plan": plan,
                        "days": (today - plan.need_noticed_on).days,
                        "limit": rules[plan.local_group_id].first_meeting_days,
                        "overdue": today > deadline,
                    }
                )
        horizon = today + datetime.timedelta(days=FOLLOW_UP_WARNING_DAYS)
        follow_ups = [
            {
                "plan": p,
                "overdue": p.next_follow_up_on < today,
                "days": (p.next_follow_up_on - today).days,
            }
            for p in plans
            if p.status in (Plan.Status.AGREED, Plan.Status.FOLLOW_UP)
            and p.next_follow_up_on
            and p.next_follow_up_on <= horizon
        ]
        if waiting or follow_ups:
            result.append(
                Panel(
                    title=_("SIP clocks"),
                    template="sip/panels/officer.html",
                    context={
                        "waiting": waiting,
                        "follow_ups": follow_ups,
                        "horizon_days": FOLLOW_UP_WARNING_DAYS,
                    },
                    order=20,
                )
            )
    if user.has_role(Role.UNIT_CHIEF):
        cases = list(
            ForumCase.objects.visible_to(user)
            .filter(status=ForumCase.Status.OPEN)
            .order_by("need_noticed_on", "id")
        )
        rules = _rules({c.local_group_id for c in cases})
        rows = []
        for case in cases:
            deadline = case.deadline(rules[case.local_group_id])
            days_left = (deadline - today).days
            rows.append(
                {"case": case, "deadline": deadline, "days_left": days_left, "overdue": -days_left}
            )
        if rows:
            result.append(
                Panel(
                    title=_("Individforum cases awaiting a meeting"),
                    template="sip/panels/chief.html",
                    context={"cases": rows},
                    order=21,
                )
            )
    return result
