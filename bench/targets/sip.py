"""Key SIP pages for `make bench` (see bench/targets/__init__.py): the demo officer's own plans and cases."""

from bench.targets import target
from sip.models import ForumCase, Plan


def targets() -> list[dict]:
    rows = [
        target("SIP list (officer)", "officer", "sip:plan_list"),
        target("Forum case list (chief)", "chief", "sip:forum_list"),
    ]
    own = Plan.objects.filter(created_by__username="officer").order_by("pk")
    plan = own.first()
    if plan:
        status = plan.status.replace("_", " ")
        rows += [
            target("SIP detail (officer)", "officer", "sip:plan_detail", pk=plan.pk),
            target(f"SIP edit, {status} plan (officer)", "officer", "sip:plan_edit", pk=plan.pk),
            {**target("SIP PDF", "officer", "sip:plan_pdf", "pdf", pk=plan.pk), "budget_ms": 500},
        ]
    draft = own.filter(status=Plan.Status.DRAFT).first()
    if draft:
        rows.append(target("SIP edit, draft (officer)", "officer", "sip:plan_edit", pk=draft.pk))
    case = ForumCase.objects.filter(raised_by__username="chief").order_by("pk").first()
    if case:
        rows.append(target("Forum case (chief)", "chief", "sip:forum_detail", pk=case.pk))
    return rows
