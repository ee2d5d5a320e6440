"""The county report as PDF, CSV and XLSX."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bus_portal.charts import pdf_image
from bus_portal.documents import Document, Percent, render_csv, render_pdf, render_xlsx
from followup.charts import attach_charts
from followup.models import Participants
from followup.report import Report


def report_pdf(report: Report) -> Document:
    report = attach_charts(report)
    for result in report.questions:
        if result.chart:
            result.chart = pdf_image(result.chart)
    return render_pdf(
        "followup/pdf/report.html",
        {"report": report},
        filename=f"bus-lansrapport-{report.year}",
    )


def _pct(value: float | None) -> Percent | str:
    return "" if value is None else Percent(value)


def _answer_rows(report: Report) -> tuple[list[str], list[list]]:
    previous = report.previous_year or ""
    header = [
        _("Year"),
        _("Area"),
        _("Question code"),
        _("Question"),
        _("Answer code"),
        _("Answer"),
        _("Count"),
        _("Share (%)"),
        _("Answered"),
        _("Not answered"),
        _("Count %(year)s") % {"year": previous},
        _("Share %(year)s (%%)") % {"year": previous},
    ]
    rows = []
    for result in report.questions:
        if not result.question.is_choice:
            continue
        for row in result.rows:
            rows.append(
                [
                    report.year,
                    result.question.get_section_display(),
                    result.code,
                    result.question.text,
                    row["code"],
                    row["label"],
                    row["count"],
                    _pct(row["share"]),
                    result.answered,
                    result.unanswered,
                    "" if row["previous_count"] is None else row["previous_count"],
                    _pct(row["previous_share"]),
                ]
            )
    return header, rows


def _coverage_rows(report: Report) -> tuple[list[str], list[list]]:
    coverage = report.coverage
    rows = [
        [_("Responses"), coverage.responses],
        [_("Municipalities covered"), len(coverage.municipalities)],
        [_("City districts covered"), len(coverage.districts)],
    ]
    rows += [
        [str(label), coverage.participants.get(code, 0)] for code, label in Participants.choices
    ]
    rows.append([_("Groups that did not answer"), len(coverage.missing_groups)])
    rows += [[_("Did not answer"), name] for name in coverage.missing_groups]
    return [_("Measure"), _("Value")], rows


def report_csv(report: Report) -> Document:
    header, rows = _answer_rows(report)
    return render_csv(header, rows, filename=f"bus-lansrapport-{report.year}")


def report_xlsx(report: Report) -> Document:
    texts = [
        [name, result.code, result.question.text, text]
        for result in report.questions
        for name, text in result.texts
    ]
    return render_xlsx(
        {
            _("Answers"): _answer_rows(report),
            _("Coverage"): _coverage_rows(report),
            _("Free text"): ([_("Group"), _("Question code"), _("Question"), _("Text")], texts),
            _("Commentary"): (
                [_("Area"), _("Commentary")],
                [[s.label, s.commentary] for s in report.sections],
            ),
        },
        filename=f"bus-lansrapport-{report.year}",
    )
