"""Why deviations' audit rows were written: stable codes, labelled in the reader's language.

``AuditEvent.purpose`` stores the code; the access log shows the label through
``portal.purpose_label`` (registered in ``DeviationsConfig.ready``). Details that vary, such as
the from and to status of a step, go into the row's ``changes``, never into the purpose.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    DRAFT = "deviations.deviation.draft", _("Deviation report drafted or edited")
    STEP = "deviations.deviation.step", _("Step on the deviation ladder")
    COMMENT = "deviations.deviation.comment", _("Comment on a deviation report")
    ASSIGN = "deviations.deviation.assign", _("Deviation report assigned in the secretariat")
    REVIEW = "deviations.deviation.review", _("Secretariat's review of a deviation report")
    REDACT = "deviations.deviation.redact", _("Personal data removed from a deviation report")
    RESPONSE_REQUEST = (
        "deviations.deviation.response_request",
        _("Counterpart asked to respond to a deviation report"),
    )
    RESPONSE = "deviations.deviation.response", _("Counterpart's response to a deviation report")
    CATEGORY = "deviations.category.save", _("Deviation category saved")
    STATISTICS_EXPORT = "deviations.statistics.export", _("Deviation statistics exported")
