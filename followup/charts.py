"""Charts for the report and the county dashboard, built on bus_portal.charts (same SVG on page and PDF)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bus_portal import charts
from followup.report import QuestionResult, Report


def _percent(value: float | None) -> float:
    return round((value or 0) * 100)


def question_chart(result: QuestionResult, *, previous_year: int | None, year: int) -> str:
    """Shares in per cent; a single-choice question is drawn next to the previous year's."""
    labels = [row["label"] for row in result.rows]
    current = [_percent(row["share"]) for row in result.rows]
    title = result.question.text
    if result.previous is not None and result.question.kind == "single" and previous_year:
        previous = [_percent(row["previous_share"]) for row in result.rows]
        return charts.grouped_bar_chart(
            labels, {str(previous_year): previous, str(year): current}, title=title, ylabel="%"
        )
    return charts.bar_chart(
        labels, current, title=title, xlabel=_("Share of those who answered (%)")
    )


def report_charts(report: Report) -> dict[str, str]:
    return {
        result.code: question_chart(result, previous_year=report.previous_year, year=report.year)
        for result in report.questions
        if result.question.is_choice
    }


def attach_charts(report: Report) -> Report:
    for code, svg in report_charts(report).items():
        next(r for r in report.questions if r.code == code).chart = svg
    return report


def trend_chart(
    years: list[int], series: dict[str, list[float]], *, title: str, ylabel: str
) -> str:
    return charts.line_chart([str(y) for y in years], series, title=title, ylabel=ylabel)
