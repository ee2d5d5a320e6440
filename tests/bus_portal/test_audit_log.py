import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from agreements.models import Unit
from bus_portal import audit
from bus_portal.models import AppendOnlyError, AuditEvent


@pytest.fixture
def event(db, officer):
    unit = Unit.objects.first()
    return audit.record(
        user=officer, action="view", obj=unit, purpose="Test", subject="sip.child:1"
    )


def test_it_records_who_what_and_why(event, officer):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == officer
    assert stored.action == "view"
    assert stored.purpose == "Test"
    assert stored.object_repr


def test_it_refuses_to_update_a_row_through_the_model(event):
    event.purpose = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_it_refuses_to_delete_a_row_through_the_model(event):
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_it_refuses_bulk_update_and_delete(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_it_refuses_unknown_actions(db, officer):
    with pytest.raises(ValueError):
        audit.record(user=officer, action="peek", obj=Unit.objects.first())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE bus_portal_auditevent SET purpose = 'tampered' WHERE id = %s",
        "DELETE FROM bus_portal_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).purpose == "Test"


def test_diff_fields_lists_only_changes():
    assert audit.diff_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": ["2", "3"]}


def test_a_refusal_for_a_row_that_does_not_exist_names_the_model_and_the_id(db, officer):
    event = audit.record(
        user=officer, action="denied", model=Unit, object_id="77", changes={"status": 404}
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.object_id, stored.object_repr, stored.subject) == ("77", "", "")
    assert stored.changes == {"status": 404}


def test_a_model_with_an_audit_label_is_named_by_it(db, officer):
    unit = Unit.objects.first()
    unit.audit_label = lambda: "Enhet utan namn"
    assert audit.record(user=officer, action="view", obj=unit).object_repr == "Enhet utan namn"


def test_audit_events_are_not_in_django_admin():
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    assert not admin.site.is_registered(AuditEvent)
    with pytest.raises(NoReverseMatch):
        reverse("admin:bus_portal_auditevent_changelist")


# The unit chief's access log ---------------------------------------------------------------


def _log(client, **filters):
    from django.urls import reverse

    response = client.get(reverse("access_log"), filters)
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.fixture
def two_children(db, officer, officer2):
    """Rows about two of the chief's children: the agreed plan's (by officer) and the forum
    case's (by officer2)."""
    from sip.demo import AGREED_CHILD, FORUM_CHILD
    from sip.models import ForumCase, Plan

    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    case = ForumCase.objects.get(child__personal_number=FORUM_CHILD)
    for user, obj in ((officer, plan), (officer2, case)):
        audit.record(
            user=user,
            action="view",
            obj=obj,
            purpose="sip.plan.read",
            subject=obj.child.audit_subject,
        )
    return plan, case


def _subjects(response) -> set[str]:
    return {event.subject for event in response.context["object_list"]}


@pytest.mark.parametrize("term", ["20140622-9821", "201406229821", "1406229821"])
def test_the_chief_finds_a_child_by_identity_number(chief_client, two_children, term):
    plan, case = two_children
    response, _html = _log(chief_client, child=term)
    assert _subjects(response) == {plan.child.audit_subject}


def test_the_chief_finds_a_child_by_a_plan_or_case_number(chief_client, two_children):
    plan, case = two_children
    by_plan, _html = _log(chief_client, child=plan.number)
    assert _subjects(by_plan) == {plan.child.audit_subject}
    by_case, _html = _log(chief_client, child=f"bif {case.pk}")
    assert _subjects(by_case) == {case.child.audit_subject}


def test_a_child_outside_the_chiefs_units_is_answered_as_an_unknown_one(
    chief_client, two_children, outsider
):
    from tests.sip.factories import ChildFactory, PlanFactory

    elsewhere = PlanFactory(
        child=ChildFactory(personal_number="201505051233"),
        owner_unit=outsider.active_memberships[0].unit,
    )
    audit.record(
        user=outsider,
        action="view",
        obj=elsewhere,
        purpose="sip.plan.read",
        subject=elsewhere.child.audit_subject,
    )
    for term in ("20150505-1233", elsewhere.number, "201606062345", "Alva", "SIP-x"):
        response, html = _log(chief_client, child=term)
        assert list(response.context["object_list"]) == [], term
        assert "Inget barn i era verksamheters ärenden har det personnumret" in html


def test_the_chief_filters_by_username_or_name(chief_client, two_children):
    plan, case = two_children
    by_username, _html = _log(chief_client, user="officer2")
    assert {e.actor.username for e in by_username.context["object_list"]} == {"officer2"}
    by_name, _html = _log(chief_client, user="jonas vikander")
    assert {e.actor.username for e in by_name.context["object_list"]} == {"officer2"}
    nobody, html = _log(chief_client, user="Ingen Sådan")
    assert list(nobody.context["object_list"]) == []
    assert "Inga händelser i loggen matchar filtren." in html


def test_the_chief_filters_by_period(chief_client, officer, two_children):
    import datetime

    from django.utils import timezone

    plan, _case = two_children
    long_ago = timezone.make_aware(datetime.datetime(2021, 3, 1, 23, 30))
    AuditEvent.objects.create(
        at=long_ago,
        actor=officer,
        action="view",
        content_type=ContentType.objects.get_for_model(plan),
        object_id=str(plan.pk),
        object_repr=plan.number,
        subject=plan.child.audit_subject,
        purpose="sip.plan.read",
    )
    that_day, _html = _log(chief_client, date_from="2021-03-01", date_to="2021-03-01")
    assert [e.at for e in that_day.context["object_list"]] == [long_ago]
    since, _html = _log(chief_client, date_from="2021-03-02")
    assert long_ago not in [e.at for e in since.context["object_list"]]
    assert len(since.context["object_list"]) >= 2


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"date_from": "2025-13-45"}, "Fyll i ett giltigt datum."),
        ({"date_to": "igår"}, "Fyll i ett giltigt datum."),
        ({"date_from": "2025-05-02", "date_to": "2025-05-01"}, "Slutdatumet är före startdatumet."),
        ({"user": "x" * 151}, "som mest 150 tecken"),
    ],
)
def test_bad_filters_get_a_swedish_error_not_a_500(chief_client, two_children, filters, message):
    response, html = _log(chief_client, **filters)
    assert message in html
    assert list(response.context["object_list"]) == []
    assert "Rätta filtren för att se loggen." in html


def test_the_log_pages_with_its_filters(chief_client, officer, two_children):
    plan, _case = two_children
    for _ in range(50):
        audit.record(user=officer, action="view", obj=plan, subject=plan.child.audit_subject)
    first, html = _log(chief_client, child=plan.number)
    assert first.context["page_obj"].has_next()
    assert f"child={plan.number}&amp;page=2" in html
    second, _html = _log(chief_client, child=plan.number, page=2)
    assert _subjects(second) == {plan.child.audit_subject}


def test_the_log_shows_a_refusal_with_its_status_and_purpose(chief_client, two_children):
    from django.urls import reverse

    from tests.conftest import client_for

    plan, _case = two_children
    client_for("outsider").get(reverse("sip:plan_detail", kwargs={"pk": plan.pk}))
    response, html = _log(chief_client, child=plan.number, user="outsider")
    [event] = response.context["object_list"]
    assert event.action == "denied"
    assert "Nekad (404)" in html
    assert "SIP läst" in html
    assert plan.child.first_name not in html
