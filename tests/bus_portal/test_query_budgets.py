"""Query budgets of the portal's own pages (issue 7): constant as data grows, at most 10."""

import pytest
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
                    user=officer,
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
            user=officer,
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
        user=officer, action="view", obj=plan, purpose="x", subject=plan.child.audit_subject
    )
    subjects = [plan.child.audit_subject, "sip.child:0"]
    assert list(AuditEvent.objects.filter(subject__any=subjects)) == [event]
    assert not AuditEvent.objects.filter(subject__any=[]).exists()


def _grow_everything():
    """More of what every role's start page shows: plans, forum cases, deviations on each rung,
    meetings with open assignments in Täby."""
    from agreements.models import Body
    from deviations.models import Status
    from tests.agreements.factories import AssignmentFactory, MeetingFactory
    from tests.deviations.factories import DeviationFactory, advance
    from tests.sip.factories import ConsentFactory, ForumCaseFactory, MeasureFactory

    for _ in range(6):
        plan = PlanFactory()
        ParticipantFactory(plan=plan)
        MeasureFactory(plan=plan)
        ConsentFactory(plan=plan)
        ForumCaseFactory()
    for statuses in (
        (),
        (Status.WITH_MANAGER,),
        (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP),
        (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM),
    ):
        for _ in range(2):
            advance(DeviationFactory(), *statuses)
    for body in Body.objects.filter(agreement__local_group__name="Täby"):
        meeting = MeetingFactory(body=body)
        AssignmentFactory.create_batch(3, meeting=meeting)


@pytest.mark.parametrize(
    "username", ["officer", "officer2", "chief", "chair", "secretariat", "bussam"]
)
def test_start_page_queries_do_not_grow(username, client, db):
    from tests.conftest import demo_user

    client.force_login(demo_user(username))
    assert_query_budget(client, reverse("home"), _grow_everything)
