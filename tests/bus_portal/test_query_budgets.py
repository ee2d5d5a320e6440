"""Query budgets of the portal's own pages (issue 7): constant as data grows, at most 10."""

from django.urls import reverse

from bus_portal import audit
from tests.querycount import assert_query_budget
from tests.sip.factories import ParticipantFactory, PlanFactory


def test_access_log_queries_do_not_grow_with_the_audit_trail(chief_client, officer):
    def grow():
        for _ in range(15):
            plan = PlanFactory()
            ParticipantFactory(plan=plan)
            for action in ("view", "change", "print"):
                audit.record(
                    actor=officer,
                    action=action,
                    obj=plan,
                    purpose="Planering",
                    subject=plan.child.audit_subject,
                )

    assert_query_budget(chief_client, reverse("access_log"), grow)


def test_access_log_pages_without_counting(chief_client, officer):
    plan = PlanFactory()
    for n in range(51):
        audit.record(
            actor=officer,
            action="view",
            obj=plan,
            purpose=f"Läsning {n}",
            subject=plan.child.audit_subject,
        )
    first = chief_client.get(reverse("access_log"))
    assert len(first.context["object_list"]) == 50
    assert first.context["page_obj"].has_next()
    assert "Läsning 50" in first.content.decode()  # newest first
    second = chief_client.get(reverse("access_log"), {"page": 2})
    assert "Läsning 0" in [e.purpose for e in second.context["object_list"]]
    assert "Läsning 0" not in first.content.decode()
    assert chief_client.get(reverse("access_log"), {"page": 99}).status_code == 404
    assert chief_client.get(reverse("access_log"), {"page": "x"}).status_code == 404


def test_any_lookup_matches_in(db, officer):
    from bus_portal.models import AuditEvent

    plan = PlanFactory()
    event = audit.record(
        actor=officer, action="view", obj=plan, purpose="x", subject=plan.child.audit_subject
    )
    subjects = [plan.child.audit_subject, "sip.child:0"]
    assert list(AuditEvent.objects.filter(subject__any=subjects)) == [event]
    assert not AuditEvent.objects.filter(subject__any=[]).exists()
