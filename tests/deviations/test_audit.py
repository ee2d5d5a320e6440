"""Audit rows of deviations hold purpose codes; labels come in the reader's language when shown."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from bus_portal import audit
from bus_portal.models import AuditAction, AuditEvent
from bus_portal.registry import portal
from deviations import services
from deviations.audit import Purpose
from deviations.models import Deviation, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance

pytestmark = pytest.mark.django_db

ESCALATE = (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM)


def _purposes(deviation: Deviation) -> list[str]:
    return list(audit.events_for(deviation).order_by("at", "id").values_list("purpose", flat=True))


def test_every_change_to_a_report_is_audited_with_a_code():
    deviation = advance(DeviationFactory(), *ESCALATE)
    secretariat = demo_user("secretariat")
    services.add_comment(deviation=deviation, user=secretariat, text="En fråga.")
    services.assign(deviation=deviation, user=secretariat, assignee=secretariat)
    services.review(deviation=deviation, user=secretariat, cleaned={"response": "Rutin tas fram."})
    assert _purposes(deviation) == [
        Purpose.STEP,
        Purpose.STEP,
        Purpose.STEP,
        Purpose.COMMENT,
        Purpose.ASSIGN,
        Purpose.REVIEW,
    ]


def test_a_step_keeps_its_statuses_in_the_changes_not_in_the_purpose():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    event = audit.events_for(deviation).get()
    assert event.purpose == Purpose.STEP
    assert event.changes == {"status": [Status.DRAFT, Status.WITH_MANAGER]}


def test_a_saved_draft_is_audited_with_its_code(officer_client):
    from tests.deviations.test_report_form import _data

    officer_client.post(reverse("deviations:create"), _data())
    deviation = Deviation.objects.get(description=_data()["description"])
    assert _purposes(deviation) == [Purpose.DRAFT]


def test_the_access_log_shows_the_label_in_the_readers_language():
    with translation.override("en"):
        assert portal.purpose_label(Purpose.STEP) == "Step on the deviation ladder"
    with translation.override("sv"):
        assert portal.purpose_label(Purpose.STEP) == "Steg i avvikelsetrappan"


def _migrate_purposes() -> None:
    """Run the data migration's function on the historical models, as ``migrate`` does."""
    migration = importlib.import_module("deviations.migrations.0004_audit_purpose_codes")
    state = MigrationExecutor(connection).loader.project_state(
        ("deviations", "0004_audit_purpose_codes")
    )
    # Only ``connection`` (and ``execute`` on PostgreSQL) is used: a real schema editor cannot
    # be opened inside the test's transaction on SQLite.
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.to_codes(state.apps, editor)


def test_the_migration_turns_stored_texts_into_codes():
    deviation = DeviationFactory()
    officer = demo_user("officer")
    texts = [
        "deviation draft",
        f"step {Status.DRAFT} → {Status.WITH_MANAGER}",
        f"step {Status.WITH_MANAGER} → {Status.WITH_LOCAL_GROUP}",
        "comment",
        "assign",
        "secretariat review",
        "deviation category",
        "deviation statistics 2025 (PDF)",
        "deviation statistics 2024 (CSV)",
        "SIP läst",  # another app's purpose: left alone
    ]
    ids = [
        audit.record(user=officer, action=AuditAction.CHANGE, obj=deviation, purpose=text).pk
        for text in texts
    ]
    _migrate_purposes()
    stored = dict(AuditEvent.objects.filter(pk__in=ids).values_list("pk", "purpose"))
    assert [stored[pk] for pk in ids] == [
        Purpose.DRAFT,
        Purpose.STEP,
        Purpose.STEP,
        Purpose.COMMENT,
        Purpose.ASSIGN,
        Purpose.REVIEW,
        Purpose.CATEGORY,
        Purpose.STATISTICS_EXPORT,
        Purpose.STATISTICS_EXPORT,
        "SIP läst",
    ]


def _migration_0006():
    migration = importlib.import_module(
        "deviations.migrations.0006_outcomes_and_audit_without_content"
    )
    state = MigrationExecutor(connection).loader.project_state(
        ("deviations", "0006_outcomes_and_audit_without_content")
    )
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    return migration, state.apps, editor


def test_the_migration_removes_the_response_texts_from_review_rows():
    deviation = DeviationFactory()
    officer = demo_user("officer")
    old = audit.record(
        user=officer,
        action=AuditAction.CHANGE,
        obj=deviation,
        purpose=Purpose.REVIEW,
        changes={"response": ["", "Elsa har fått tid."], "regional_action": ["", "routine"]},
    )
    new = audit.record(
        user=officer,
        action=AuditAction.CHANGE,
        obj=deviation,
        purpose=Purpose.REVIEW,
        changes={"fields": ["response"]},
    )
    migration, apps, editor = _migration_0006()
    migration.review_rows_without_content(apps, editor)
    stored = dict(AuditEvent.objects.filter(pk__in=[old.pk, new.pk]).values_list("pk", "changes"))
    assert stored == {
        old.pk: {"fields": ["regional_action", "response"]},
        new.pk: {"fields": ["response"]},
    }


def test_the_migration_gives_reports_closed_locally_an_outcome():
    """Reports closed before an outcome was required get the closing step's comment."""
    from deviations.models import DeviationStep

    closed = advance(DeviationFactory(), Status.WITH_MANAGER, Status.RESOLVED_LOCALLY)
    silent = advance(DeviationFactory(), Status.WITH_MANAGER, Status.RESOLVED_LOCALLY)
    DeviationStep.objects.filter(deviation=closed, to_status=Status.RESOLVED_LOCALLY).update(
        comment="Löst mellan cheferna."
    )
    with connection.cursor() as cursor:
        # As before 0007: a closed report without an outcome (the constraint is put back with
        # the test's transaction).
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE deviations_deviation DROP CONSTRAINT deviation_closed_has_outcome"
            )
        else:
            cursor.execute("PRAGMA ignore_check_constraints = 1")
        try:
            Deviation.objects.filter(pk__in=[closed.pk, silent.pk]).update(response="")
            migration, apps, editor = _migration_0006()
            migration.outcomes(apps, editor)
        finally:
            if connection.vendor != "postgresql":
                cursor.execute("PRAGMA ignore_check_constraints = 0")
    closed.refresh_from_db()
    silent.refresh_from_db()
    assert closed.response == "Löst mellan cheferna."
    assert silent.response == migration.NO_OUTCOME
