"""Audit rows of the follow-up hold purpose codes; labels come in the reader's language when shown."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from agreements.models import LocalGroup, Principal
from bus_portal import audit
from bus_portal.models import AuditAction, AuditEvent
from bus_portal.registry import portal
from followup import services
from followup.audit import Purpose
from followup.models import IndicatorYear, Survey
from tests.followup.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_a_draft_and_a_submission_are_audited_with_codes(survey, chair):
    taby = LocalGroup.objects.get(name="Täby")
    response = services.start_response(survey=survey, group=taby, participants="both", user=chair)
    services.save_response(response=response, answers={}, areas=taby.areas.all(), user=chair)
    services.save_response(
        response=response, answers={}, areas=taby.areas.all(), user=chair, submit=True
    )

    purposes = audit.events_for(response).order_by("at", "id").values_list("purpose", flat=True)
    assert list(purposes) == ["", Purpose.RESPONSE_DRAFT_SAVED, Purpose.RESPONSE_SUBMITTED]


def test_opening_and_closing_a_survey_record_the_status_change_and_its_time(secretariat):
    survey = SurveyFactory(status=Survey.Status.DRAFT)

    services.open_survey(survey=survey, user=secretariat)
    services.close_survey(survey=survey, user=secretariat)

    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert survey.opened_at is not None and survey.closed_at is not None
    changes = audit.events_for(survey).order_by("at", "id").values_list("changes", flat=True)
    assert list(changes) == [{"status": ["draft", "open"]}, {"status": ["open", "closed"]}]


def test_manual_figures_keep_the_principal_in_the_changes_not_in_the_purpose(chair):
    taby = LocalGroup.objects.get(name="Täby")
    municipality = Principal.objects.get(name="Täby kommun")
    year = timezone.localdate().year - 4
    indicator_year = services.save_manual_figures(
        group=taby,
        year=year,
        principal=municipality,
        values={"forum_cases": 2},
        note="",
        user=chair,
    )

    event = audit.events_for(indicator_year).get()
    assert event.purpose == Purpose.MANUAL_FIGURES_SAVED
    assert event.changes == {"principal": ["", "Täby kommun"], "forum_cases": ["", "2"]}


def test_a_report_download_is_audited_with_its_format(bussam_client):
    survey = Survey.objects.get(year=2025)

    bussam_client.get(reverse("followup:report_csv", kwargs={"year": 2025}))

    event = audit.events_for(survey).order_by("-at", "-id").first()
    assert (event.action, event.purpose) == (AuditAction.EXPORT, Purpose.REPORT_CSV)


def test_the_access_log_shows_the_label_in_the_readers_language():
    with translation.override("en"):
        assert portal.purpose_label(Purpose.SURVEY_IMPORTED) == "Responses imported"
    with translation.override("sv"):
        assert portal.purpose_label(Purpose.SURVEY_IMPORTED) == "Svar importerade"


def _migrate_purposes() -> None:
    """Run the data migration's function on the historical models, as ``migrate`` does."""
    migration = importlib.import_module("followup.migrations.0003_audit_purpose_codes")
    state = MigrationExecutor(connection).loader.project_state(
        ("followup", "0003_audit_purpose_codes")
    )
    # Only ``connection`` (and ``execute`` on PostgreSQL) is used: a real schema editor cannot
    # be opened inside the test's transaction on SQLite.
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.texts_to_codes(state.apps, editor)


def test_the_migration_turns_stored_texts_into_codes(survey, secretariat):
    indicator_year = IndicatorYear.objects.create(
        group=LocalGroup.objects.get(name="Täby"), year=2019
    )
    rows = [
        (survey, "Submitted", Purpose.RESPONSE_SUBMITTED),
        (survey, "Utkast sparat", Purpose.RESPONSE_DRAFT_SAVED),
        (survey, "Kommentarer", Purpose.COMMENTARY_SAVED),
        (survey, "County report (bus-lansrapport-2025.pdf)", Purpose.REPORT_PDF),
        (survey, "Länsrapport (bus-lansrapport-2024.xlsx)", Purpose.REPORT_XLSX),
        # The figure or principal they name is recorded nowhere else: left as they are.
        (survey, "Påminnelse till 12 grupper", "Påminnelse till 12 grupper"),
        (survey, "Imported 40 responses", "Imported 40 responses"),
        (indicator_year, "Manual figures for Täby kommun", "Manual figures for Täby kommun"),
        (indicator_year, "SIP läst", "SIP läst"),  # another app's purpose: left alone
    ]
    ids = [
        audit.record(user=secretariat, action=AuditAction.CHANGE, obj=obj, purpose=text).pk
        for obj, text, _code in rows
    ]

    _migrate_purposes()

    stored = dict(AuditEvent.objects.filter(pk__in=ids).values_list("pk", "purpose"))
    assert [stored[pk] for pk in ids] == [code for _obj, _text, code in rows]
