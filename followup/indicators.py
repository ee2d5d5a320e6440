"""Local indicators per group and year: the portal's own records plus the principals' manual figures.

The portal's figures come from ``sip.indicators`` and ``deviations.indicators`` (no double entry).
An open year is computed live; signing a year off stores the portal's figures in the
IndicatorYear, so later changes in the records do not rewrite a signed year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from deviations import indicators as deviation_indicators
from followup.models import Indicator, IndicatorYear, ManualFigure
from sip import indicators as sip_indicators

CODES = list(Indicator.values)
TREND_YEARS = 5


def portal_counts(*, year: int) -> dict[int, dict[str, int]]:
    """The portal's own counts for every group in a year; absent groups and keys are zero."""
    merged: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CODES, 0))
    for source in (sip_indicators.yearly_counts, deviation_indicators.yearly_counts):
        for group_id, counts in source(year=year).items():
            for code in CODES:
                if code in counts:
                    merged[group_id][code] = int(counts[code])
    return merged


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


def _portal_for_year(year: int) -> dict[int, dict[str, int]]:
    """Live counts, with signed years' stored figures taking their place."""
    counts = portal_counts(year=year)
    for signed in IndicatorYear.objects.filter(year=year, status=IndicatorYear.Status.SIGNED):
        counts[signed.group_id] = {code: int(signed.recorded.get(code, 0)) for code in CODES}
    return counts


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


def totals_by_year(years: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """{year: {group_id: {indicator: portal + manual}}} for every group with anything to count."""
    result: dict[int, dict[int, dict[str, int]]] = {}
    for year in years:
        portal = _portal_for_year(year)
        manual = _manual_sums(year)
        groups = set(portal) | set(manual)
        result[year] = {
            group_id: {
                code: portal.get(group_id, {}).get(code, 0) + manual.get(group_id, {}).get(code, 0)
                for code in CODES
            }
            for group_id in groups
        }
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
    groups = list(LocalGroup.objects.order_by("name"))
    selected = None
    if group_pk and str(group_pk).isdigit():
        selected = next((g for g in groups if g.pk == int(group_pk)), None)
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
