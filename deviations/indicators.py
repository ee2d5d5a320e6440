"""Figures that the yearly local follow-up (followup/) reads from this app."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import ExtractYear

from deviations.models import Deviation


def yearly_counts(*, year: int) -> dict[int, dict[str, int]]:
    """Deviation reports per local BUS group for a year: ``{local_group_id: {"deviations": n}}``.

    Counts submitted reports (not drafts) whose event date lies in ``year``, attributed to the
    local group(s) whose areas include the report's area. Groups with no reports are absent.
    One query.
    """
    return counts_by_year(years=[year])[year]


def counts_by_year(*, years: Iterable[int]) -> dict[int, dict[int, dict[str, int]]]:
    """``yearly_counts`` for several years: ``{year: {local_group_id: {"deviations": n}}}``.

    Every requested year is a key. One query grouped by local group and year of the event,
    whatever the number of years.
    """
    years = sorted(set(years))
    result: dict[int, dict[int, dict[str, int]]] = {year: {} for year in years}
    if not years:
        return result
    rows = (
        Deviation.objects.submitted()
        .filter(
            event_date__gte=datetime.date(years[0], 1, 1),
            event_date__lt=datetime.date(years[-1] + 1, 1, 1),
            area__local_groups__isnull=False,
        )
        .annotate(year=ExtractYear("event_date"))
        .values("area__local_groups", "year")
        .annotate(n=Count("id", distinct=True))
        .order_by("area__local_groups", "year")
        .values_list("area__local_groups", "year", "n")
    )
    for group_id, year, n in rows:
        if year in result:
            result[year][group_id] = {"deviations": n}
    return result
