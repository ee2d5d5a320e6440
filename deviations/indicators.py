"""Figures that the yearly local follow-up (followup/) reads from this app."""

from __future__ import annotations

from django.db.models import Count

from deviations.models import Deviation


def yearly_counts(*, year: int) -> dict[int, dict[str, int]]:
    """Deviation reports per local BUS group for a year: ``{local_group_id: {"deviations": n}}``.

    Counts submitted reports (not drafts) whose event date lies in ``year``, attributed to the
    local group(s) whose areas include the report's area. Groups with no reports are absent.
    One query.
    """
    rows = (
        Deviation.objects.submitted()
        .filter(event_date__year=year, area__local_groups__isnull=False)
        .values("area__local_groups")
        .annotate(n=Count("id", distinct=True))
        .order_by("area__local_groups")
        .values_list("area__local_groups", "n")
    )
    return {group_id: {"deviations": n} for group_id, n in rows}
