"""Yearly figures for the local follow-up (followup/ reads these; sip never imports followup)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from sip.models import ForumCase, Plan, PlanVersion

KEYS = ("forum_cases", "forum_escalated", "sips_new", "sips_active", "sips_followed_up")


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def yearly_counts(*, year: int) -> dict[int, dict[str, int]]:
    """Counts per local BUS group for one calendar year (local time), keyed by local_group_id.

    * ``forum_cases``: individforum cases whose need was noticed in the year.
    * ``forum_escalated``: of those, the cases whose outcome was escalation to the local
      steering group (whenever the escalation happened).
    * ``sips_new``: plans whose need was noticed in the year.
    * ``sips_active``: plans agreed or in follow-up at any time during the year: agreed before
      the year ends and not closed before it began.
    * ``sips_followed_up``: plans with at least one follow-up version created in the year.

    Groups with nothing to count are absent. Three aggregate queries, whatever the volume.
    """
    start, end = _year_bounds(year)
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS, 0))

    forum = (
        ForumCase.objects.filter(need_noticed_on__year=year)
        .values("local_group_id")
        .annotate(
            total=Count("id"),
            escalated=Count("id", filter=Q(outcome=ForumCase.Outcome.ESCALATED)),
        )
        .order_by("local_group_id")
    )
    for row in forum:
        result[row["local_group_id"]]["forum_cases"] = row["total"]
        result[row["local_group_id"]]["forum_escalated"] = row["escalated"]

    plans = (
        Plan.objects.filter(
            Q(need_noticed_on__year=year)
            | Q(agreed_at__lt=end, closed_at__isnull=True)
            | Q(agreed_at__lt=end, closed_at__gte=start)
        )
        .values("local_group_id")
        .annotate(
            new=Count("id", filter=Q(need_noticed_on__year=year)),
            active=Count(
                "id",
                filter=Q(agreed_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)),
            ),
        )
        .order_by("local_group_id")
    )
    for row in plans:
        if row["new"] or row["active"]:
            result[row["local_group_id"]]["sips_new"] = row["new"]
            result[row["local_group_id"]]["sips_active"] = row["active"]

    followed = (
        PlanVersion.objects.filter(
            kind=PlanVersion.Kind.FOLLOW_UP, created_at__gte=start, created_at__lt=end
        )
        .values("plan__local_group_id")
        .annotate(plans=Count("plan_id", distinct=True))
        .order_by("plan__local_group_id")
    )
    for row in followed:
        result[row["plan__local_group_id"]]["sips_followed_up"] = row["plans"]

    return {group: dict(counts) for group, counts in result.items()}
