"""The county report (page, PDF, CSV, XLSX) and the county dashboard with trends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from bus_portal.access import RoleRequiredMixin, role_required
from bus_portal.audit import record
from bus_portal.documents import Document, document_response
from bus_portal.models import AuditAction
from bus_portal.roles import COUNTY_ROLES, Role
from followup import documents
from followup.audit import Purpose
from followup.charts import attach_charts, trend_chart
from followup.indicators import county_trends
from followup.models import Survey
from followup.report import Report, build_report, cached_question_trends

MAX_LINES = 5


class ReportView(RoleRequiredMixin, TemplateView):
    required_roles = COUNTY_ROLES
    template_name = "followup/report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        survey, surveys = _survey_and_all(self.kwargs["year"])
        report = attach_charts(build_report(survey, surveys=surveys))
        return super().get_context_data(
            report=report,
            can_comment=self.request.user.has_role(Role.SECRETARIAT),
            years=[s.year for s in surveys],
            **kwargs,
        )


def _survey_and_all(year: int) -> tuple[Survey, list[Survey]]:
    """The year's survey and every survey, from one query: the report compares with the year
    before and the page links every year."""
    surveys = list(Survey.objects.order_by("-year"))
    survey = next((s for s in surveys if s.year == year), None)
    if survey is None:
        raise Http404
    return survey, surveys


def _export(
    request: HttpRequest,
    year: int,
    renderer: Callable[[Report], Document],
    action: str,
    purpose: Purpose,
) -> HttpResponse:
    survey, surveys = _survey_and_all(year)
    document = renderer(build_report(survey, surveys=surveys))
    with transaction.atomic():
        record(user=request.user, action=action, obj=survey, purpose=purpose, request=request)
    return document_response(document)


@role_required(*COUNTY_ROLES)
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    return _export(request, year, documents.report_pdf, AuditAction.PRINT, Purpose.REPORT_PDF)


@role_required(*COUNTY_ROLES)
def report_csv(request: HttpRequest, year: int) -> HttpResponse:
    return _export(request, year, documents.report_csv, AuditAction.EXPORT, Purpose.REPORT_CSV)


@role_required(*COUNTY_ROLES)
def report_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    return _export(request, year, documents.report_xlsx, AuditAction.EXPORT, Purpose.REPORT_XLSX)


class CountyDashboardView(RoleRequiredMixin, TemplateView):
    """Multi-year trends: the local indicators county-wide and per group, and reused questions."""

    required_roles = COUNTY_ROLES
    template_name = "followup/county_dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        question_blocks = []
        for entry in cached_question_trends():
            question = entry["question"]
            years = sorted(entry["years"])
            if len(years) < 2:
                continue  # a trend needs at least two years
            series = {
                question.label_for(code): [
                    round(entry["years"][y].shares.get(code, 0) * 100) for y in years
                ]
                for code in question.options
            }
            drawn = series
            if len(series) > MAX_LINES:
                # Fifteen lines cannot be told apart: draw the most common answers, table all.
                ranked = sorted(series, key=lambda label: series[label][-1], reverse=True)
                drawn = {label: series[label] for label in ranked[:MAX_LINES]}
            question_blocks.append(
                {
                    "question": question,
                    "years": years,
                    "series": series,
                    "partial_chart": len(drawn) < len(series),
                    "chart": trend_chart(years, drawn, title=question.text, ylabel=_("Share (%)")),
                }
            )
        context["question_trends"] = question_blocks
        context.update(county_trends(group_pk=self.request.GET.get("group")))
        return context
