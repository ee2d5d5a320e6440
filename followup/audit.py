"""The follow-up's audit purposes, stored as codes; the access log shows their labels.

Registered in ``FollowupConfig.ready()``. Figures that used to be part of the purpose text (how
many groups were reminded, how many responses imported) go in the audit row's ``changes``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    SURVEY_REMINDED = "followup.survey.remind", _("Reminders sent")
    SURVEY_IMPORTED = "followup.survey.import", _("Responses imported")
    SURVEY_EDITED = "followup.survey.edit", _("Survey changed")
    SURVEY_REOPENED = "followup.survey.reopen", _("Survey reopened")
    QUESTION_EDITED = "followup.question.edit", _("Question changed")
    RESPONSE_IMPORTED = "followup.response.import", _("Replaced by an imported response")
    COMMENTARY_SAVED = "followup.survey.commentary", _("Commentary")
    RESPONSE_DRAFT_SAVED = "followup.response.draft", _("Draft saved")
    RESPONSE_SUBMITTED = "followup.response.submit", _("Submitted")
    MANUAL_FIGURES_SAVED = "followup.indicators.manual", _("Manual figures")
    REPORT_PDF = "followup.report.pdf", _("County report (PDF)")
    REPORT_CSV = "followup.report.csv", _("County report (CSV)")
    REPORT_XLSX = "followup.report.xlsx", _("County report (XLSX)")
