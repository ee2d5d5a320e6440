"""Key SIP pages for `make bench` (see bench/targets/__init__.py): the demo officer's own plans and cases."""

from django.urls import reverse

from sip.models import ForumCase, Plan


def targets() -> list[dict]:
    rows = [
        {
            "label": "SIP list (officer)",
            "user": "officer",
            "path": reverse("sip:plan_list"),
            "kind": "page",
        },
        {
            "label": "Forum case list (chief)",
            "user": "chief",
            "path": reverse("sip:forum_list"),
            "kind": "page",
        },
    ]
    plan = Plan.objects.filter(created_by__username="officer").order_by("pk").first()
    if plan:
        rows += [
            {
                "label": "SIP detail (officer)",
                "user": "officer",
                "path": reverse("sip:plan_detail", kwargs={"pk": plan.pk}),
                "kind": "page",
            },
            {
                "label": f"SIP edit, {plan.status.replace('_', ' ')} plan (officer)",
                "user": "officer",
                "path": reverse("sip:plan_edit", kwargs={"pk": plan.pk}),
                "kind": "page",
            },
            {
                "label": "SIP PDF",
                "user": "officer",
                "path": reverse("sip:plan_pdf", kwargs={"pk": plan.pk}),
                "kind": "pdf",
                "budget_ms": 500,
            },
        ]
    draft = (
        Plan.objects.filter(created_by__username="officer", status=Plan.Status.DRAFT)
        .order_by("pk")
        .first()
    )
    if draft:
        rows.append(
            {
                "label": "SIP edit, draft (officer)",
                "user": "officer",
                "path": reverse("sip:plan_edit", kwargs={"pk": draft.pk}),
                "kind": "page",
            }
        )
    case = ForumCase.objects.filter(raised_by__username="chief").order_by("pk").first()
    if case:
        rows.append(
            {
                "label": "Forum case (chief)",
                "user": "chief",
                "path": reverse("sip:forum_detail", kwargs={"pk": case.pk}),
                "kind": "page",
            }
        )
    return rows
