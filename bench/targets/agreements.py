"""Key agreement and meeting pages for `make bench` (see bench/targets/__init__.py)."""

from agreements.models import Body, LocalGroup, Meeting
from bench.targets import target


def targets() -> list[dict]:
    rows = [target("County overview (bussam)", "bussam", "agreements:overview")]
    group = LocalGroup.objects.filter(name="Täby").first()
    if group:
        rows.append(target("Local group (chair)", "chair", "agreements:group_detail", pk=group.pk))
    body = (
        Body.objects.filter(agreement__local_group__name="Täby", kind=Body.Kind.STEERING)
        .order_by("pk")
        .first()
    )
    if body:
        rows.append(target("Meeting log (chair)", "chair", "agreements:body_detail", pk=body.pk))
        meeting = Meeting.objects.filter(body=body).order_by("-held_on").first()
        if meeting:
            pdf = target("Minutes PDF", "chair", "agreements:meeting_pdf", "pdf", pk=meeting.pk)
            rows += [
                target("Meeting (chair)", "chair", "agreements:meeting_detail", pk=meeting.pk),
                {**pdf, "budget_ms": 3000},
            ]
    return rows
