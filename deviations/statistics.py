"""The yearly compilation the secretariat analyses for patterns (aggregates only, no free text).

Counts submitted reports (not drafts) whose event date falls in the year: by category, by pair of
services (reporting service × counterpart service), by area, by month and by status, and the time
reports spent at each step of the ladder. A fixed number of queries, whatever the volume.
"""

from __future__ import annotations

import statistics as pystats
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from agreements.models import ServiceType
from bus_portal import charts
from deviations.models import (
    OPEN_STATUSES,
    Category,
    CounterpartService,
    Deviation,
    DeviationStep,
    Status,
)

MONTHS = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
]  # fmt: skip


@dataclass
class StepTime:
    status: str
    label: str
    count: int
    median_days: float | None
    mean_days: float | None


@dataclass
class Compilation:
    year: int
    total: int
    by_category: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    pair_rows: list[str]  # reporting services (labels)
    pair_cols: list[str]  # counterpart services (labels)
    pair_matrix: list[list[int]]  # rows × cols
    pairs: list[tuple[str, str, int]]  # (reporting, counterpart, n), largest first
    step_times: list[StepTime]
    principled: int
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def pair_table(self) -> list[tuple[str, list[int]]]:
        return list(zip(self.pair_rows, self.pair_matrix, strict=True))


def _days(delta) -> float:
    return round(delta.total_seconds() / 86400, 1)


def compile_year(year: int, *, with_charts: bool = True) -> Compilation:
    base = Deviation.objects.submitted().filter(event_date__year=year)

    # Totals, categories, months and statuses from one grouped query: a few hundred rows at most
    # (categories × months × statuses × principled or not), summed here.
    total = principled = 0
    category_counts: Counter[int | None] = Counter()
    month_counts: Counter[int] = Counter()
    status_counts: Counter[str] = Counter()
    for category_id, month, status, is_principled, n in (
        base.order_by()
        .values_list("category", "event_date__month", "status", "is_principled")
        .annotate(n=Count("id"))
    ):
        total += n
        principled += n if is_principled else 0
        category_counts[category_id] += n
        month_counts[month] += n
        status_counts[status] += n
    by_category = [
        (c.name, category_counts.get(c.pk, 0))
        for c in Category.objects.order_by("position", "name")
        if c.is_active or category_counts.get(c.pk)
    ]

    by_area = [
        (name, n)
        for name, n in base.values_list("area__name")
        .annotate(n=Count("id"))
        .order_by("-n", "area__name")
        .values_list("area__name", "n")
    ]

    by_month = [(MONTHS[m - 1], month_counts.get(m, 0)) for m in range(1, 13)]
    by_status = [
        (str(label), status_counts.get(value, 0))
        for value, label in Status.choices
        if value != Status.DRAFT
    ]

    # One row per (report, counterpart service): a report naming BUP and habilitation counts once
    # for each pair, so the matrix can sum to more than the number of reports.
    pair_counts = {
        (reporting, counterpart): n
        for reporting, counterpart, n in CounterpartService.objects.filter(deviation__in=base)
        .values_list("deviation__reporter_unit__service_type", "service_type")
        .annotate(n=Count("id"))
        .order_by()
    }
    labels = dict(ServiceType.choices)
    order = [value for value, _label in ServiceType.choices]
    rows = sorted({r for r, _c in pair_counts}, key=order.index)
    cols = sorted({c for _r, c in pair_counts}, key=order.index)
    matrix = [[pair_counts.get((r, c), 0) for c in cols] for r in rows]
    pairs = sorted(
        ((str(labels[r]), str(labels[c]), n) for (r, c), n in pair_counts.items()),
        key=lambda item: (-item[2], item[0], item[1]),
    )

    step_times = _step_times(base)

    compilation = Compilation(
        year=year,
        total=total,
        by_category=by_category,
        by_area=by_area,
        by_month=by_month,
        by_status=by_status,
        pair_rows=[str(labels[r]) for r in rows],
        pair_cols=[str(labels[c]) for c in cols],
        pair_matrix=matrix,
        pairs=pairs,
        step_times=step_times,
        principled=principled,
    )
    if with_charts and total:
        compilation.charts = _charts(compilation)
    return compilation


def _step_times(base) -> list[StepTime]:
    """Days a report spent at each open step: from the step that entered it to the one that left."""
    entered: dict[tuple[int, str], object] = {}
    spent: dict[str, list[float]] = defaultdict(list)
    steps = (
        DeviationStep.objects.filter(deviation__in=base)
        .order_by("deviation_id", "at", "id")
        .values_list("deviation_id", "from_status", "to_status", "at")
    )
    for deviation_id, from_status, to_status, at in steps:
        start = entered.pop((deviation_id, from_status), None)
        if start is not None:
            spent[from_status].append(_days(at - start))
        entered[(deviation_id, to_status)] = at
    result = []
    for status in OPEN_STATUSES:
        values = spent.get(status, [])
        result.append(
            StepTime(
                status=status,
                label=str(Status(status).label),
                count=len(values),
                median_days=round(pystats.median(values), 1) if values else None,
                mean_days=round(pystats.fmean(values), 1) if values else None,
            )
        )
    return result


def _charts(c: Compilation) -> dict[str, str]:
    result = {
        "category": charts.bar_chart(
            [name for name, _n in c.by_category],
            [n for _name, n in c.by_category],
            title=_("Reports by category"),
            xlabel=_("Number of reports"),
        ),
        "month": charts.bar_chart(
            [m for m, _n in c.by_month],
            [n for _m, n in c.by_month],
            title=_("Reports by month of the event"),
            xlabel=_("Number of reports"),
            horizontal=False,
        ),
    }
    if c.by_area:
        top = c.by_area[:15]
        result["area"] = charts.bar_chart(
            [name or "–" for name, _n in top],
            [n for _name, n in top],
            title=_("Reports by area"),
            xlabel=_("Number of reports"),
        )
    if c.pairs:
        top = c.pairs[:10]
        result["pairs"] = charts.bar_chart(
            [f"{a} → {b}" for a, b, _n in top],
            [n for _a, _b, n in top],
            title=_("Most frequent pairs of services"),
            xlabel=_("Number of reports"),
        )
    measured = [s for s in c.step_times if s.median_days is not None]
    if measured:
        result["steps"] = charts.grouped_bar_chart(
            [s.label.split(",")[0][:28] for s in measured],
            {
                _("Median"): [s.median_days for s in measured],
                _("Mean"): [s.mean_days for s in measured],
            },
            title=_("Days at each step"),
            ylabel=_("Days"),
        )
    return result


def csv_rows(c: Compilation) -> list[list]:
    """The compilation as flat rows: section; row; column; value."""
    rows: list[list] = [
        [_("Total"), "", "", c.total],
        [_("Of principled nature"), "", "", c.principled],
    ]
    rows += [[_("Category"), name, "", n] for name, n in c.by_category]
    for r, label in enumerate(c.pair_rows):
        for col, counterpart in enumerate(c.pair_cols):
            rows.append([_("Pair of services"), label, counterpart, c.pair_matrix[r][col]])
    rows += [[_("Area"), name or "–", "", n] for name, n in c.by_area]
    rows += [[_("Month"), m, "", n] for m, n in c.by_month]
    rows += [[_("Status"), label, "", n] for label, n in c.by_status]
    for s in c.step_times:
        rows.append(
            [
                _("Days at step (median)"),
                s.label,
                s.count,
                "" if s.median_days is None else s.median_days,
            ]
        )
        rows.append(
            [_("Days at step (mean)"), s.label, s.count, "" if s.mean_days is None else s.mean_days]
        )
    return rows
