import pytest
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
