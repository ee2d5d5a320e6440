"""Print documents: the SIP, the child-friendly "Min plan", and the individforum protocol."""

from __future__ import annotations

from django.utils import timezone

from bus_portal.documents import Document, render_pdf
from sip.access import plan_versions
from sip.models import ForumCase, Plan


def plan_context(plan: Plan) -> dict:
    versions = plan_versions(plan)
    return {
        "plan": plan,
        "child": plan.child,
        "versions": versions,
        "latest": versions[-1] if versions else None,
        "consents": plan.consents.all(),
        "printed_at": timezone.localtime(),
    }


def plan_pdf(plan: Plan) -> Document:
    return render_pdf("sip/pdf/plan.html", plan_context(plan), filename=f"sip-{plan.pk}")


def my_plan_context(plan: Plan) -> dict:
    """Plain-language content: what will happen, who helps me, when we meet again."""
    helpers = []
    for p in plan.participants.all():
        if p.unit is not None:
            helpers.append((p.name, p.role, p.unit.name))
    return {
        "plan": plan,
        "child": plan.child,
        "measures": list(plan.measures.all()),
        "helpers": helpers,
        "printed_at": timezone.localtime(),
    }


def my_plan_pdf(plan: Plan) -> Document:
    return render_pdf("sip/pdf/my_plan.html", my_plan_context(plan), filename=f"min-plan-{plan.pk}")


def forum_protocol_pdf(case: ForumCase) -> Document:
    return render_pdf(
        "sip/pdf/forum_protocol.html",
        {"case": case, "deadline": case.deadline(), "printed_at": timezone.localtime()},
        filename=f"individforum-{case.pk}",
    )
