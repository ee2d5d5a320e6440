"""Key follow-up pages for `make bench` (see bench/targets/__init__.py)."""

from django.urls import reverse

from followup.models import Survey


def targets() -> list[dict]:
    survey = Survey.objects.order_by("-year").exclude(responses=None).first()
    if survey is None:
        return []
    year = survey.year
    return [
        {
            "label": "County report (secretariat)",
            "user": "secretariat",
            "path": reverse("followup:report", kwargs={"year": year}),
            "kind": "page",
        },
        {
            "label": "County report (bussam)",
            "user": "bussam",
            "path": reverse("followup:report", kwargs={"year": year}),
            "kind": "page",
        },
        {
            "label": "County dashboard (bussam)",
            "user": "bussam",
            "path": reverse("followup:county_dashboard"),
            "kind": "page",
        },
        {
            "label": "County report PDF",
            "user": "secretariat",
            "path": reverse("followup:report_pdf", kwargs={"year": year}),
            "kind": "pdf",
        },
    ]
