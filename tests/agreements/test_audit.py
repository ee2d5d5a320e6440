"""Audit rows of agreements hold purpose codes; labels come in the reader's language when shown."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from agreements import services
from agreements.audit import Purpose
from agreements.models import LocalGroup, Meeting
from bus_portal import audit
from bus_portal.models import AuditAction, AuditEvent
from bus_portal.registry import portal
from tests.agreements.factories import MeetingFactory, signed_agreement
from tests.agreements.justering import check_as

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _purposes(obj) -> list[str]:
    return list(audit.events_for(obj).order_by("at", "id").values_list("purpose", flat=True))


def test_the_minutes_flow_is_audited_with_codes_and_statuses_in_the_changes(chair):
    meeting = MeetingFactory(held_on=TODAY - datetime.timedelta(days=3))
    checker = check_as(meeting, chair)
    services.publish_minutes(meeting=meeting, user=chair)
    assert _purposes(checker) == [Purpose.MINUTES_CHECKED]
    assert _purposes(meeting) == [
        Purpose.MINUTES_CHECKED,
        Purpose.MINUTES_PUBLISHED,
        Purpose.MINUTES_PUBLISHED_NOTIFIED,
    ]
    published = audit.events_for(meeting).filter(purpose=Purpose.MINUTES_PUBLISHED).get()
    assert published.changes == {"minutes_status": ["checked", "published"]}


def test_the_yearly_review_keeps_its_date_in_the_changes_not_in_the_purpose(chair):
    agreement = signed_agreement(review_date=TODAY)
    review = services.record_review(
        agreement=agreement,
        reviewed_on=TODAY,
        next_review=TODAY + datetime.timedelta(days=365),
        user=chair,
    )
    event = audit.events_for(review).get()
    assert event.purpose == Purpose.REVIEW_RECORDED
    assert event.changes["reviewed_on"] == ["", TODAY.isoformat()]


def test_an_export_is_audited_with_its_code(outsider_client):
    group = LocalGroup.objects.get(name="Täby")
    outsider_client.get(reverse("agreements:group_meetings_csv", args=[group.pk]))
    event = audit.events_for(group).get()
    assert (event.action, event.purpose) == (AuditAction.EXPORT, Purpose.MEETINGS_CSV)


def test_a_purpose_is_shown_in_the_readers_language():
    with translation.override("en"):
        assert portal.purpose_label(Purpose.MINUTES_PUBLISHED) == "Minutes published"
    with translation.override("sv"):
        assert portal.purpose_label(Purpose.MINUTES_PUBLISHED) == "Minnesanteckningar publicerade"


def _migrate_purposes() -> None:
    """Run the data migration's function on the historical models, as ``migrate`` does."""
    migration = importlib.import_module("agreements.migrations.0006_audit_purpose_codes")
    state = MigrationExecutor(connection).loader.project_state(
        ("agreements", "0006_audit_purpose_codes")
    )
    # Only ``connection`` (and ``execute`` on PostgreSQL) is used: a real schema editor cannot
    # be opened inside the test's transaction on SQLite.
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.texts_to_codes(state.apps, editor)


def test_the_migration_turns_stored_texts_into_codes(chair):
    meeting = Meeting.objects.filter(body__agreement__local_group__name="Täby").first()
    texts = [
        "Meeting logged",
        "Möte dokumenterat",
        "Minnesanteckningar som PDF",
        "Addendum added to published minutes",
        "Årlig översyn registrerad 2025-03-01",  # names a date recorded nowhere else: kept
        "SIP läst",  # another app's purpose: left alone
    ]
    ids = [
        audit.record(user=chair, action=AuditAction.CHANGE, obj=meeting, purpose=text).pk
        for text in texts
    ]
    _migrate_purposes()
    stored = dict(AuditEvent.objects.filter(pk__in=ids).values_list("pk", "purpose"))
    assert [stored[pk] for pk in ids] == [
        Purpose.MEETING_LOGGED,
        Purpose.MEETING_LOGGED,
        Purpose.MINUTES_PDF,
        Purpose.ADDENDUM_ADDED,
        "Årlig översyn registrerad 2025-03-01",
        "SIP läst",
    ]
