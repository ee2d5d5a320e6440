"""Yearly figures for the local follow-up (followup/ reads these; sip never imports followup)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone

from sip.models import ForumCase, Plan, PlanVersion

KEYS = ("forum_cases", "forum_escalated", "sips_new", "sips_active", "sips_followed_up")
FORUM, PLANS, FOLLOWED_UP = 1, 2, 3  # the parts of counts_by_year's query


def _year_start(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())


def yearly_counts(*, year: int) -> dict[int, dict[str, int]]:
    """Counts per local BUS group for one calendar year (local time), keyed by local_group_id.

    * ``forum_cases``: individforum cases whose need was noticed in the year.
    * ``forum_escalated``: of those, the cases whose outcome was escalation to the local
      steering group (whenever the escalation happened).
    * ``sips_new``: plans whose need was noticed in the year.
    * ``sips_active``: plans agreed or in follow-up at any time during the year: agreed before
      the year ends and not closed before it began.
    * ``sips_followed_up``: plans with at least one follow-up version created in the year.

    Groups with nothing to count are absent. One query (see ``counts_by_year``), whatever the
    volume.
    """
    return counts_by_year(years=[year])[year]


def counts_by_year(*, years: Iterable[int]) -> dict[int, dict[int, dict[str, int]]]:
    """``yearly_counts`` for several years at once: ``{year: {local_group_id: {key: n}}}``.

    Every requested year is a key (empty when nothing counts). One query, whatever the volume
    and the number of years: the three aggregates below, each grouped by local group and
    calendar year (local time, as in ``yearly_counts``), are sent together as a UNION ALL. Each
    row is ``(source, local_group_id, year, year2, year3, n, m)``.
    """
    years = sorted(set(years))
    result: dict[int, dict[int, dict[str, int]]] = {year: {} for year in years}
    if not years:
        return result
    first, last = years[0], years[-1]
    window_start, window_end = _year_start(first), _year_start(last + 1)
    noticed_in_window = Q(
        need_noticed_on__gte=datetime.date(first, 1, 1),
        need_noticed_on__lt=datetime.date(last + 1, 1, 1),
    )
    no_year = Value(None, output_field=IntegerField())

    forum = (
        ForumCase.objects.filter(noticed_in_window)
        .annotate(source=Value(FORUM), y1=ExtractYear("need_noticed_on"), y2=no_year, y3=no_year)
        .values("source", "local_group_id", "y1", "y2", "y3")
        .annotate(
            n=Count("id"),
            m=Count("id", filter=Q(outcome=ForumCase.Outcome.ESCALATED)),
        )
        .order_by()
    )
    # A plan is active in every year from the one it was agreed in to the one it was closed in
    # (agreed before the year ends, not closed before it begins). Grouping by those local-time
    # years scans the plans once for any number of years; the rows are spread over the years below.
    plans = (
        Plan.objects.filter(
            noticed_in_window
            | Q(agreed_at__lt=window_end, closed_at__isnull=True)
            | Q(agreed_at__lt=window_end, closed_at__gte=window_start)
        )
        .annotate(
            source=Value(PLANS),
            y1=ExtractYear("need_noticed_on"),
            y2=ExtractYear("agreed_at"),
            y3=ExtractYear("closed_at"),
        )
        .values("source", "local_group_id", "y1", "y2", "y3")
        .annotate(n=Count("id"), m=Value(0))
        .order_by()
    )
    followed = (
        PlanVersion.objects.filter(
            kind=PlanVersion.Kind.FOLLOW_UP, created_at__gte=window_start, created_at__lt=window_end
        )
        .annotate(
            source=Value(FOLLOWED_UP),
            local_group_id=F("plan__local_group_id"),
            y1=ExtractYear("created_at"),
            y2=no_year,
            y3=no_year,
        )
        .values("source", "local_group_id", "y1", "y2", "y3")
        .annotate(n=Count("plan_id", distinct=True), m=Value(0))
        .order_by()
    )

    def counts(year: int, group_id: int) -> dict[str, int]:
        return result[year].setdefault(group_id, dict.fromkeys(KEYS, 0))

    for source, group_id, y1, y2, y3, n, m in forum.union(plans, followed, all=True).values_list(
        "source", "local_group_id", "y1", "y2", "y3", "n", "m"
    ):
        if source == FORUM and y1 in result:
            counts(y1, group_id).update(forum_cases=n, forum_escalated=m)
        elif source == FOLLOWED_UP and y1 in result:
            counts(y1, group_id)["sips_followed_up"] = n
        elif source == PLANS:
            if y1 in result:
                counts(y1, group_id)["sips_new"] += n
            if y2 is None:
                continue  # never agreed: new, but never active
            closed = last if y3 is None else y3
            for year in years:
                if y2 <= year <= closed:
                    counts(year, group_id)["sips_active"] += n
    return result
