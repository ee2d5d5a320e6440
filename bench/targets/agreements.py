"""Key agreement and meeting pages for `make bench` (see bench/targets/__init__.py)."""

from django.urls import reverse

from agreements.models import Body, LocalGroup, Meeting


def targets() -> list[dict]:
    rows = [
        {
            "label": "County overview (bussam)",
            "user": "bussam",
            "path": reverse("agreements:overview"),
            "kind": "page",
        },
    ]
    group = LocalGroup.objects.filter(name="Täby").first()
    if group:
        rows.append(
            {
                "label": "Local group (chair)",
                "user": "chair",
                "path": reverse("agreements:group_detail", kwargs={"pk": group.pk}),
                "kind": "page",
            }
        )
    body = (
        Body.objects.filter(agreement__local_group__name="Täby", kind=Body.Kind.STEERING)
        .order_by("pk")
        .first()
    )
    if body:
        rows.append(
            {
                "label": "Meeting log (chair)",
                "user": "chair",
                "path": reverse("agreements:body_detail", kwargs={"pk": body.pk}),
                "kind": "page",
            }
        )
        meeting = Meeting.objects.filter(body=body).order_by("-held_on").first()
        if meeting:
            rows += [
                {
                    "label": "Meeting (chair)",
                    "user": "chair",
                    "path": reverse("agreements:meeting_detail", kwargs={"pk": meeting.pk}),
                    "kind": "page",
                },
                {
                    "label": "Minutes PDF",
                    "user": "chair",
                    "path": reverse("agreements:meeting_pdf", kwargs={"pk": meeting.pk}),
                    "kind": "pdf",
                    "budget_ms": 3000,
                },
            ]
    return rows
