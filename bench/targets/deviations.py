"""Key deviation pages for `make bench` (see bench/targets/__init__.py)."""

from django.urls import reverse

from deviations.models import Deviation


def targets() -> list[dict]:
    rows = [
        {
            "label": "Deviation list (officer)",
            "user": "officer",
            "path": reverse("deviations:list"),
            "kind": "page",
        },
        {
            "label": "Deviation queue (secretariat)",
            "user": "secretariat",
            "path": reverse("deviations:queue"),
            "kind": "page",
        },
        {
            "label": "Deviation statistics (secretariat)",
            "user": "secretariat",
            "path": reverse("deviations:statistics"),
            "kind": "page",
        },
        {
            "label": "Deviation statistics PDF",
            "user": "secretariat",
            "path": reverse("deviations:statistics_pdf"),
            "kind": "pdf",
        },
    ]
    own = Deviation.objects.filter(reporter__username="officer").order_by("pk").first()
    if own:
        rows.append(
            {
                "label": "Deviation detail (officer)",
                "user": "officer",
                "path": reverse("deviations:detail", kwargs={"pk": own.pk}),
                "kind": "page",
            }
        )
    return rows
