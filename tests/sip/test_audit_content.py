"""The audit log holds no child's content: records are named by labels, changes by field codes."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bus_portal import audit
from bus_portal.models import AuditAction, AuditEvent
from sip import consent_services, services
from sip.audit import Purpose
from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.models import Consent, Plan
from tests.conftest import demo_user

pytestmark = pytest.mark.django_db


def _draft() -> Plan:
    return Plan.objects.get(child__personal_number=DRAFT_CHILD)


def _child_data(plan: Plan, **changes) -> services.ChildData:
    child = plan.child
    values = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "personal_number": child.personal_number,
        "protected_identity": child.protected_identity,
        "birth_date": child.birth_date,
        "guardians": [(g.name, g.phone) for g in child.guardians.all()],
    }
    return services.ChildData(**{**values, **changes})


def _plan_data(plan: Plan) -> services.PlanData:
    """The plan's rows as they are, its fields untouched: only the child changes."""
    participants = [
        {"id": p.pk, "kind": p.kind, "unit": p.unit, "name": p.name, "role": p.role}
        for p in plan.participants.all()
    ]
    measures = [
        {
            "id": m.pk,
            "description": m.description,
            "principal": m.principal,
            "unit": m.unit,
            "other_actor": m.other_actor,
            "responsible": m.responsible,
            "starts_on": m.starts_on,
            "ends_on": m.ends_on,
        }
        for m in plan.measures.all()
    ]
    return services.PlanData(fields={}, participants=participants, measures=measures)


def test_an_identity_change_lists_its_fields_and_not_their_values(officer):
    plan = _draft()
    old = plan.child
    guardians = [("Ny Vårdnadshavare", "070-000 00 00")]
    services.update_plan(
        plan=plan,
        user=officer,
        expected_version=plan.lock_version,
        child=_child_data(
            plan,
            first_name="Ellen",
            last_name="Nyberg",
            personal_number="201505051233",
            guardians=guardians,
        ),
        data=_plan_data(plan),
    )
    event = audit.events_for(plan).order_by("-id").first()
    assert event.purpose == Purpose.PLAN_EDITED
    assert set(event.changes) == {"fields"}
    fields = set(event.changes["fields"])
    assert {"child_first_name", "child_last_name", "personal_number", "guardian:1"} <= fields
    stored = f"{event.changes} {event.object_repr}"
    for text in ("Ellen", "Nyberg", "201505051233", "Ny Vårdnadshavare", old.first_name):
        assert text not in stored


def test_a_plan_is_named_by_its_number_and_a_consent_by_kind_and_id(officer):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    read = services.record_read(user=officer, obj=plan, purpose=Purpose.PLAN_READ)
    assert read.object_repr == plan.number
    consent = Consent.objects.filter(plan=_draft()).order_by("id").first()
    consent_services.withdraw_consent(
        consent=consent, user=officer, withdrawn_by=consent.person_name
    )
    event = audit.events_for(consent).order_by("-id").first()
    assert event.purpose == Purpose.CONSENT_WITHDRAWN
    assert event.object_repr == f"Samtycke {consent.pk}"
    assert consent.person_name not in event.object_repr


def test_the_sip_list_names_plans_by_number(officer_client):
    from django.urls import reverse

    since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    officer_client.get(reverse("sip:plan_list"))
    rows = AuditEvent.objects.filter(id__gt=since, purpose=Purpose.PLAN_LIST_READ)
    assert rows
    assert all(row.object_repr.startswith("SIP-") for row in rows)


def _migrate() -> None:
    """Run 0009's function on the historical models, as ``migrate`` does (see test_audit.py)."""
    name = "0009_audit_rows_without_content"
    migration = importlib.import_module(f"sip.migrations.{name}")
    state = MigrationExecutor(connection).loader.project_state(("sip", name))
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.forwards(state.apps, editor)


def test_the_migration_removes_content_from_stored_rows():
    officer = demo_user("officer")
    plan = _draft()
    consent = Consent.objects.filter(plan=plan).order_by("id").first()
    edited = audit.record(
        user=officer,
        action=AuditAction.CHANGE,
        obj=plan,
        purpose=Purpose.PLAN_EDITED,
        changes={"question": ["Gammal", "Ny"], "measure:2": ["", "Samtal | BUP | – | –"]},
    )
    already = audit.record(
        user=officer,
        action=AuditAction.CHANGE,
        obj=plan,
        purpose=Purpose.PLAN_EDITED,
        changes={"fields": ["chair"]},
    )
    agreed = audit.record(
        user=officer,
        action=AuditAction.CHANGE,
        obj=plan,
        purpose=Purpose.PLAN_AGREED,
        changes={"status": ["draft", "agreed"], "version": ["", "1"]},
    )
    named = audit.record(
        user=officer,
        action=AuditAction.CREATE,
        obj=consent,
        object_repr=f"Vårdnadshavare 1: {consent.person_name}",
        purpose=Purpose.CONSENT_RECORDED,
    )
    _migrate()
    assert AuditEvent.objects.get(pk=edited.pk).changes == {"fields": ["question", "measure:2"]}
    assert AuditEvent.objects.get(pk=already.pk).changes == {"fields": ["chair"]}
    assert AuditEvent.objects.get(pk=agreed.pk).changes == agreed.changes  # codes: left alone
    assert AuditEvent.objects.get(pk=named.pk).object_repr == f"Samtycke {consent.pk}"
    assert AuditEvent.objects.get(pk=agreed.pk).object_repr == plan.number
