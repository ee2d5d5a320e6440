"""Key follow-up pages for `make bench` (see bench/targets/__init__.py)."""

from bench.targets import target
from followup.models import Survey


def targets() -> list[dict]:
    survey = Survey.objects.order_by("-year").exclude(responses=None).first()
    if survey is None:
        return []
    year = survey.year
    return [
        target("County report (secretariat)", "secretariat", "followup:report", year=year),
        target("County report (bussam)", "bussam", "followup:report", year=year),
        target("County dashboard (bussam)", "bussam", "followup:county_dashboard"),
        target("County report PDF", "secretariat", "followup:report_pdf", "pdf", year=year),
    ]
