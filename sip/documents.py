"""Print documents: the SIP, the child-friendly "Min plan", and the individforum protocol."""

from __future__ import annotations

from django.utils import timezone

from bus_portal.documents import Document, render_pdf
from sip.access import plan_versions
from sip.models import ForumCase, Plan, PlanParticipant, SipMeeting, shown_content


def plan_context(plan: Plan) -> dict:
    """The plan's print: the working copy, or during a revision the version in force, and
    which version that is (``content.number``, ``content.agreed``)."""
    versions = plan_versions(plan)
    return {
        "plan": plan,
        "child": plan.child,
        "content": shown_content(plan, versions),
        "versions": versions,
        "latest": versions[-1] if versions else None,
        "consents": plan.consents.all(),
        "printed_at": timezone.localtime(),
    }


def plan_pdf(plan: Plan) -> Document:
    return render_pdf("sip/pdf/plan.html", plan_context(plan), filename=f"sip-{plan.pk}")


def my_plan_context(plan: Plan) -> dict:
    """Plain-language content: what will happen, who helps me, when we meet again.

    The child-language fields where the officer wrote them with the child; otherwise the
    professional text, which the templates mark as written for adults. The same version as
    the plan's page: during a revision, the version in force.
    """
    in_force = plan.version_in_force()
    content = shown_content(plan, [in_force] if in_force else [])
    # A version saved before migration 0006 kept a unit's participant as one line (no kind).
    helpers = [p for p in content.participants if p.kind in (PlanParticipant.Kind.UNIT, "")]
    return {
        "plan": plan,
        "child": plan.child,
        "content": content,
        "measures": content.measures,
        "helpers": [(p.name, p.role, p.unit) for p in helpers],
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


def meeting_letter_context(meeting: SipMeeting) -> dict:
    """The invitation letter to the child and the guardians: plain Swedish, who comes, when and
    where, and what happens at the meeting."""
    plan = meeting.plan
    invitations = list(meeting.invitations.select_related("user", "unit__principal"))
    units = {i.unit.name: i.unit for i in invitations if i.unit is not None}
    return {
        "plan": plan,
        "meeting": meeting,
        "child": plan.child,
        "guardians": list(plan.child.guardians.all()),
        "starts": timezone.localtime(meeting.starts_at),
        "ends": timezone.localtime(meeting.ends_at),
        "units": sorted(units.values(), key=lambda u: (u.principal.name, u.name)),
        "convener": meeting.created_by,
        "printed_at": timezone.localtime(),
    }


def meeting_letter_pdf(meeting: SipMeeting) -> Document:
    return render_pdf(
        "sip/pdf/meeting_letter.html",
        meeting_letter_context(meeting),
        filename=f"kallelse-sip-{meeting.plan_id}-{meeting.pk}",
    )
