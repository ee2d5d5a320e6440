"""Every read and change of a child's data in sip is audited with a purpose code."""

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
from sip import services
from sip.audit import Purpose
from sip.demo import AGREED_CHILD, DRAFT_CHILD, FORUM_CHILD, OVERDUE_CHILD
from sip.models import ForumCase, Plan
from tests.conftest import client_for, demo_user

pytestmark = pytest.mark.django_db


def _plan(number=AGREED_CHILD) -> Plan:
    return Plan.objects.get(child__personal_number=number)


def _case(number=FORUM_CHILD) -> ForumCase:
    return ForumCase.objects.get(child__personal_number=number)


# Every consent-gated output: (URL name, its kwargs, the audited action, the purpose).
OUTPUTS = [
    ("sip:plan_detail", lambda: {"pk": _plan().pk}, AuditAction.VIEW, Purpose.PLAN_READ),
    (
        "sip:plan_version",
        lambda: {"pk": _plan().pk, "number": 2},
        AuditAction.VIEW,
        Purpose.PLAN_VERSION_READ,
    ),
    ("sip:plan_pdf", lambda: {"pk": _plan().pk}, AuditAction.PRINT, Purpose.PLAN_PDF),
    ("sip:plan_fhir", lambda: {"pk": _plan().pk}, AuditAction.EXPORT, Purpose.PLAN_FHIR),
    ("sip:my_plan", lambda: {"pk": _plan().pk}, AuditAction.VIEW, Purpose.MY_PLAN_READ),
    ("sip:my_plan_pdf", lambda: {"pk": _plan().pk}, AuditAction.PRINT, Purpose.MY_PLAN_PDF),
    ("sip:forum_detail", lambda: {"pk": _case().pk}, AuditAction.VIEW, Purpose.FORUM_CASE_READ),
    (
        "sip:forum_pdf",
        lambda: {"pk": _case().pk},
        AuditAction.PRINT,
        Purpose.FORUM_PROTOCOL_PDF,
    ),
    (
        "sip:consent_document",
        lambda: {"pk": _case().consents.get(form="written").pk},
        AuditAction.VIEW,
        Purpose.CONSENT_DOCUMENT_READ,
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "action", "purpose"), OUTPUTS, ids=[output[0] for output in OUTPUTS]
)
def test_each_output_audits_one_read_with_its_action_and_code(name, kwargs, action, purpose):
    before = AuditEvent.objects.count()
    response = client_for("chief").get(reverse(name, kwargs=kwargs()))
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.purpose) == (action, purpose)
    assert event.subject.startswith("sip.child:")


def test_a_version_read_names_the_version_as_data(officer_client):
    plan = _plan()
    officer_client.get(reverse("sip:plan_version", kwargs={"pk": plan.pk, "number": 2}))
    event = audit.events_for(plan).order_by("-id").first()
    assert (event.purpose, event.changes) == (Purpose.PLAN_VERSION_READ, {"version": 2})


def _new_rows(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_missing_consent_is_audited_as_denied_with_the_status():
    case = _case(OVERDUE_CHILD)
    since = _last_id()
    refused = client_for("officer2").get(case.get_absolute_url())
    assert refused.status_code == 403
    [event] = _new_rows(since)
    assert (event.action, event.purpose) == (AuditAction.DENIED, Purpose.FORUM_CASE_READ)
    assert event.changes == {"status": 403, "page": "forum_detail"}
    assert (event.object_id, event.subject) == (str(case.pk), case.child.audit_subject)
    assert event.actor == demo_user("officer2")


def test_a_version_that_does_not_exist_is_audited_as_denied_on_its_plan(officer_client):
    plan = _plan()
    since = _last_id()
    missing = officer_client.get(reverse("sip:plan_version", kwargs={"pk": plan.pk, "number": 9}))
    assert missing.status_code == 404
    [event] = _new_rows(since)
    assert (event.action, event.changes["status"]) == (AuditAction.DENIED, 404)
    assert (event.object_id, event.subject) == (str(plan.pk), plan.child.audit_subject)


def test_changes_are_audited_with_codes_and_field_codes(officer):
    plan = _plan(DRAFT_CHILD)
    child = services.ChildData(
        plan.child.first_name,
        plan.child.last_name,
        plan.child.personal_number,
        False,
        None,
        [(g.name, g.phone) for g in plan.child.guardians.all()],
    )
    with translation.override("en"):
        services.update_plan(
            plan=plan,
            user=officer,
            expected_version=plan.lock_version,
            child=child,
            data=services.PlanData(
                fields={"question": "En ny fråga", "chair": "Sara"},
                participants=[],
                measures=[],
            ),
        )
    event = audit.events_for(plan).order_by("-id").first()
    assert event.purpose == Purpose.PLAN_EDITED
    # The fields that changed, by code; never what they say.
    assert set(event.changes) == {"fields"}
    assert {"question", "chair"} <= set(event.changes["fields"])
    assert "En ny fråga" not in str(event.changes) and "Sara" not in str(event.changes)
    drafted = audit.events_for(plan).filter(action=AuditAction.CREATE).get()
    assert drafted.purpose == Purpose.PLAN_DRAFTED


def test_the_history_shows_the_purpose_in_the_readers_language(chief_client):
    plan = _plan()
    url = reverse("sip:plan_detail", kwargs={"pk": plan.pk})
    chief_client.get(url)
    assert "SIP läst" in chief_client.get(url).content.decode()
    with translation.override("en"):
        assert portal.purpose_label(Purpose.PLAN_VERSION_READ) == "SIP version read"
    with translation.override("sv"):
        assert portal.purpose_label(Purpose.MY_PLAN_PDF) == "”Min plan” utskriven"


def _migrate_purposes() -> None:
    """Run the data migration's function on the historical models, as ``migrate`` does."""
    migration = importlib.import_module("sip.migrations.0005_audit_purpose_codes")
    state = MigrationExecutor(connection).loader.project_state(("sip", "0005_audit_purpose_codes"))
    # Only ``connection`` (and ``execute`` on PostgreSQL) is used: a real schema editor cannot
    # be opened inside the test's transaction on SQLite.
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.forwards(state.apps, editor)


def test_the_migration_turns_stored_texts_into_codes():
    plan = _plan()
    officer = demo_user("officer")
    rows = {
        "SIP läst": (Purpose.PLAN_READ, {}),
        "SIP read": (Purpose.PLAN_READ, {}),
        "”Min plan” utskriven": (Purpose.MY_PLAN_PDF, {}),
        "Individforumärende anmält": (Purpose.FORUM_CASE_RAISED, {}),
        "SIP version 3 läst": (Purpose.PLAN_VERSION_READ, {"version": 3}),
        "SIP version 12 read": (Purpose.PLAN_VERSION_READ, {"version": 12}),
        "Möte dokumenterat": ("Möte dokumenterat", {}),  # another app's text: left alone
    }
    ids = {
        text: audit.record(user=officer, action=AuditAction.VIEW, obj=plan, purpose=text).pk
        for text in rows
    }
    edited = audit.record(
        user=officer,
        action=AuditAction.CHANGE,
        obj=plan,
        purpose="SIP ändrad",
        changes={
            "Gemensam fråga och behov": ["Gammal", "Ny"],
            "Inga insatser av andra": ["", "Ja"],
            "Insats 2": ["", "Samtal | BUP | – | –"],
        },
    )
    _migrate_purposes()
    for text, pk in ids.items():
        event = AuditEvent.objects.get(pk=pk)
        assert (event.purpose, event.changes) == rows[text], text
    edited = AuditEvent.objects.get(pk=edited.pk)
    assert edited.purpose == Purpose.PLAN_EDITED
    assert edited.changes == {
        "question": ["Gammal", "Ny"],
        "no_measures_by_others": ["", "yes"],
        "measure:2": ["", "Samtal | BUP | – | –"],
    }
