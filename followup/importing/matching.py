"""Matching a row to a local group in force in the survey's year, by name or by its areas."""

from __future__ import annotations

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import Area, LocalGroup
from bus_portal.validity import valid_during_q
from followup.models import groups_in_year, year_bounds


def _areas_valid_in(year: int) -> models.QuerySet[Area]:
    return Area.objects.filter(valid_during_q(*year_bounds(year)))


class _GroupMatcher:
    """Finds a row's local group among those in force in the survey's year: by name, else by the
    exact set of areas the row names."""

    def __init__(self, year: int):
        self.year = year
        groups = list(groups_in_year(year).prefetch_related("areas").order_by("name"))
        self.by_name = {group.name.casefold(): group for group in groups}
        self.by_areas: dict[frozenset[int], list[LocalGroup]] = {}
        for group in groups:
            key = frozenset(area.pk for area in group.areas.all())
            self.by_areas.setdefault(key, []).append(group)
        self.other_years = {
            group.name.casefold(): group
            for group in LocalGroup.objects.exclude(pk__in=[g.pk for g in groups])
        }

    def find(self, name: str, areas: list[Area]) -> tuple[LocalGroup | None, str]:
        """The group, or None and why not."""
        group = self.by_name.get(name.casefold())
        if group is not None:
            return group, ""
        candidates = self.by_areas.get(frozenset(area.pk for area in areas), []) if areas else []
        if len(candidates) == 1:
            return candidates[0], ""
        if candidates:
            return None, _(
                "“%(name)s” is not a local group in %(year)s, and several groups of that year "
                "cover exactly these areas (%(groups)s): name one of them."
            ) % {
                "name": name,
                "year": self.year,
                "groups": ", ".join(group.name for group in candidates),
            }
        other = self.other_years.get(name.casefold())
        if other is not None:
            return None, _(
                "“%(name)s” was not a local group in %(year)s (in force %(period)s), and no group "
                "of that year covers exactly these areas."
            ) % {"name": name, "year": self.year, "period": _period(other)}
        return None, _(
            "Unknown local group “%(name)s” in %(year)s, and no group of that year covers exactly "
            "these areas. An administrator can add an earlier year's group with its period."
        ) % {"name": name, "year": self.year}


def _period(group: LocalGroup) -> str:
    start = date_format(group.valid_from, "Y-m-d") if group.valid_from else "…"
    end = date_format(group.valid_to, "Y-m-d") if group.valid_to else "…"
    return f"{start}–{end}"
