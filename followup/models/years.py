"""The years the follow-up is about: the range a survey or indicator year may have, and the local
groups in force during one."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from agreements.models import LocalGroup

#: Survey years the database accepts; the forms ask for a year within ``YEARS_AROUND_TODAY``.
FIRST_SURVEY_YEAR, LAST_SURVEY_YEAR = 2000, 2100
YEARS_AROUND_TODAY = 10


def plausible_years(today: datetime.date | None = None) -> range:
    """The years a survey or an indicator year may be entered for: ten years either side of today."""
    year = (today or timezone.localdate()).year
    return range(year - YEARS_AROUND_TODAY, year + YEARS_AROUND_TODAY + 1)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``year``."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def groups_in_year(year: int) -> models.QuerySet[LocalGroup]:
    """The local groups in force at some time during ``year``: the groups a survey, report or
    indicator overview of that year is about (the county's groupings change over the years)."""
    return LocalGroup.objects.valid_during(*year_bounds(year))


def in_force_during(group: LocalGroup, year: int) -> bool:
    """Whether the group was in force at some time during ``year`` (as ``groups_in_year``)."""
    first, last = year_bounds(year)
    return (group.valid_from is None or group.valid_from <= last) and (
        group.valid_to is None or group.valid_to >= first
    )
