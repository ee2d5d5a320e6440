"""Local indicators per group and year: the portal's own records plus the principals' manual figures.

The portal's figures come from ``sip.indicators`` and ``deviations.indicators`` (no double entry).
An open year is computed live; signing a year off stores the portal's figures in the
IndicatorYear, so later changes in the records do not rewrite a signed year.

The overviews (the indicator list and the county dashboard) read the portal's figures through a
short-lived cache: counting them means scanning every SIP in the county, which takes seconds at
national scale. Signed years and manual figures are always read live, so a sign-off or a new manual
figure shows at once; a new record in sip or deviations shows in the overviews when its year's
entry expires (``PORTAL_CACHE_SECONDS``). A group's own year (``group_year``) and the sign-off
always count live.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from deviations import indicators as deviation_indicators
from followup.models import Indicator, IndicatorYear, ManualFigure, year_bounds
from sip import indicators as sip_indicators

CODES = list(Indicator.values)
TREND_YEARS = 5
# How long the overviews may show the portal's figures for a year before counting them again:
# the current year changes every day, an ended year only by late registrations.
PORTAL_CACHE_SECONDS = {"open": 5 * 60, "closed": 60 * 60}


def _zeros() -> dict[str, int]:
    return dict.fromkeys(CODES, 0)


def portal_counts_by_year(years) -> dict[int, dict[int, dict[str, int]]]:
    """``portal_counts`` for several years: ``{year: {group_id: counts}}``, counted live.

    One multi-year call per source app, so the number of queries does not grow with the years.
    """
    years = sorted(set(years))
    merged = {year: defaultdict(_zeros) for year in years}
    for source in (sip_indicators.counts_by_year, deviation_indicators.counts_by_year):
        for year, groups in source(years=years).items():
            for group_id, counts in groups.items():
                for code in CODES:
                    if code in counts:
                        merged[year][group_id][code] = int(counts[code])
    return merged


def portal_counts(*, year: int) -> dict[int, dict[str, int]]:
    """The portal's own counts for every group in a year; absent groups and keys are zero."""
    return portal_counts_by_year([year])[year]


def _cache_key(year: int) -> str:
    return f"followup:indicators:portal:{year}"


def cached_portal_counts(years) -> dict[int, dict[int, dict[str, int]]]:
    """``portal_counts_by_year`` through the cache (see the module docstring); years missing from
    the cache are counted together, in one call per source app."""
    years = sorted(set(years))
    found = cache.get_many([_cache_key(year) for year in years])
    result = {year: found[_cache_key(year)] for year in years if _cache_key(year) in found}
    missing = [year for year in years if year not in result]
    if missing:
        current = timezone.localdate().year
        for year, counts in portal_counts_by_year(missing).items():
            result[year] = {group_id: dict(c) for group_id, c in counts.items()}
            timeout = PORTAL_CACHE_SECONDS["closed" if year < current else "open"]
            cache.set(_cache_key(year), result[year], timeout=timeout)
    return result


@dataclass
class IndicatorRow:
    code: str
    label: str
    portal: int
    manual: int

    @property
    def total(self) -> int:
        return self.portal + self.manual


@dataclass
class GroupYear:
    group: LocalGroup
    year: int
    indicator_year: IndicatorYear | None
    rows: list[IndicatorRow]
    manual_figures: list[ManualFigure]

    @property
    def is_signed(self) -> bool:
        return bool(self.indicator_year and self.indicator_year.is_signed)

    @property
    def totals(self) -> dict[str, int]:
        return {row.code: row.total for row in self.rows}


def _manual_sums(year: int, group_ids=None) -> dict[int, dict[str, int]]:
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CODES, 0))
    figures = ManualFigure.objects.filter(indicator_year__year=year)
    if group_ids is not None:
        figures = figures.filter(indicator_year__group_id__in=group_ids)
    for group_id, code, value in figures.values_list(
        "indicator_year__group_id", "indicator", "value"
    ).order_by("pk"):
        sums[group_id][code] += value
    return sums


def group_year(group: LocalGroup, year: int) -> GroupYear:
    indicator_year = IndicatorYear.objects.filter(group=group, year=year).first()
    if indicator_year is not None and indicator_year.is_signed:
        portal = {code: int(indicator_year.recorded.get(code, 0)) for code in CODES}
    else:
        portal = portal_counts(year=year).get(group.pk, dict.fromkeys(CODES, 0))
    manual = _manual_sums(year, [group.pk]).get(group.pk, dict.fromkeys(CODES, 0))
    figures = (
        list(indicator_year.manual_figures.select_related("principal", "entered_by"))
        if indicator_year
        else []
    )
    rows = [
        IndicatorRow(code=code, label=str(label), portal=portal[code], manual=manual[code])
        for code, label in Indicator.choices
    ]
    return GroupYear(group, year, indicator_year, rows, figures)


def trend_years() -> list[int]:
    current = timezone.localdate().year
    return list(range(current - TREND_YEARS + 1, current + 1))


def _signed_and_manual(years) -> tuple[dict, dict]:
    """Signed years' stored figures and the manual sums for the given years, each as
    ``{year: {group_id: {indicator: n}}}``. One query, whatever the number of years."""
    sums = {code: f"manual_{code}" for code in CODES}
    rows = (
        IndicatorYear.objects.filter(year__in=years)
        .annotate(
            **{
                name: Sum("manual_figures__value", filter=Q(manual_figures__indicator=code))
                for code, name in sums.items()
            }
        )
        .values("pk", "group_id", "year", "status", "recorded", *sums.values())
        .order_by()
    )
    signed: dict[int, dict] = defaultdict(dict)
    manual: dict[int, dict] = defaultdict(dict)
    for row in rows:
        if row["status"] == IndicatorYear.Status.SIGNED:
            recorded = row["recorded"]
            signed[row["year"]][row["group_id"]] = {c: int(recorded.get(c, 0)) for c in CODES}
        # A group with any manual figure counts, even if the figures are zero.
        if any(row[name] is not None for name in sums.values()):
            manual[row["year"]][row["group_id"]] = {c: row[n] or 0 for c, n in sums.items()}
    return signed, manual


def totals_by_year(years: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """{year: {group_id: {indicator: portal + manual}}} for every group with anything to count.

    The portal's live figures come through the cache, with signed years' stored figures taking
    their place; manual figures are read live. A constant number of queries for any years.
    """
    live = cached_portal_counts(years)
    signed, manual_by_year = _signed_and_manual(years)
    result: dict[int, dict[int, dict[str, int]]] = {}
    for year in years:
        # Copies: the live figures may be the cache's own objects.
        totals = {group_id: dict(counts) for group_id, counts in live[year].items()}
        totals.update((group_id, dict(recorded)) for group_id, recorded in signed[year].items())
        for group_id, sums in manual_by_year[year].items():
            entry = totals.setdefault(group_id, _zeros())
            for code, value in sums.items():
                entry[code] += value
        result[year] = totals
    return result


def county_trends(*, group_pk: str | int | None = None) -> dict:
    """Context for the county dashboard: county-wide and one group's indicator trends."""
    from followup.charts import trend_chart

    years = trend_years()
    totals = totals_by_year(years)
    labels = dict(Indicator.choices)
    county = {
        str(labels[code]): [sum(g[code] for g in totals[y].values()) for y in years]
        for code in CODES
    }
    # The groups of the years shown: earlier groupings too, while they fall in the span.
    groups = list(
        LocalGroup.objects.valid_during(
            year_bounds(years[0])[0], year_bounds(years[-1])[1]
        ).order_by("name")
    )
    selected = None
    wanted = str(group_pk or "")
    if wanted.isascii() and wanted.isdigit():
        selected = next((g for g in groups if str(g.pk) == wanted), None)
    context = {
        "indicator_years": years,
        "county_series": county,
        "county_chart": trend_chart(
            years, county, title=_("Local indicators, whole county"), ylabel=_("Number")
        ),
        "groups": groups,
        "selected_group": selected,
    }
    if selected is not None:
        series = {
            str(labels[code]): [totals[y].get(selected.pk, {}).get(code, 0) for y in years]
            for code in CODES
        }
        context["group_series"] = series
        context["group_chart"] = trend_chart(
            years,
            series,
            title=_("Local indicators, %(group)s") % {"group": selected.name},
            ylabel=_("Number"),
        )
    return context
