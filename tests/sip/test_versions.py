"""Versions of a SIP store field codes; labels come in the reader's language when shown."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from agreements.models import Principal
from sip import services
from sip.demo import AGREED_CHILD
from sip.models import Plan, PlanParticipant, PlanVersion
from tests.conftest import demo_user
from tests.sip.factories import (
    ConsentFactory,
    GuardianFactory,
    MeasureFactory,
    ParticipantFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def _agreed_plan_with_a_family_participant(officer) -> Plan:
    today = timezone.localdate()
    plan = PlanFactory(
        overall_principal=Principal.objects.get(name="Täby kommun"),
        next_follow_up_on=today + datetime.timedelta(days=30),
        no_measures_by_others=True,
    )
    GuardianFactory(child=plan.child)
    MeasureFactory(plan=plan)
    ParticipantFactory(plan=plan)
    # A participant without a unit is summarised by its kind: a choice, translated when shown.
    ParticipantFactory(
        plan=plan, kind=PlanParticipant.Kind.FAMILY, unit=None, name="Vera Testsson", role="mor"
    )
    ConsentFactory(plan=plan)
    with translation.override("en"):
        services.agree_plan(
            plan=plan,
            user=officer,
            meeting_on=today,
        )
    return plan


def _follow_up(plan: Plan, officer, *, next_in_days: int) -> PlanVersion:
    measure = plan.measures.get()
    return services.record_follow_up(
        plan=plan,
        user=officer,
        meeting_on=timezone.localdate(),
        evaluations={measure.pk: ("ongoing", "Fortsätter")},
        summary="Det går bättre.",
        next_follow_up_on=timezone.localdate() + datetime.timedelta(days=next_in_days),
    )


def test_a_snapshot_is_keyed_by_codes_and_holds_no_translated_text(officer):
    plan = _agreed_plan_with_a_family_participant(officer)
    content = plan.versions.get().content
    # PostgreSQL's jsonb keeps keys in its own order: compare as a set (pages show the plan's order).
    assert {
        "question",
        "goals_short",
        "goals_long",
        "child_voice",
        "family_and_others",
        "overall_principal",
        "initiator",
        "chair",
        "secretary",
        "next_follow_up_on",
        "no_measures_by_others",
    } <= content.keys()
    assert {"measure:1", "participant:1", "participant:2"} <= content.keys()
    assert content["no_measures_by_others"] == "yes"
    assert content["participant:2"] == {"name": "Vera Testsson", "role": "mor", "kind": "family"}
    plan.refresh_from_db()  # agreeing recorded the first meeting's date
    with translation.override("sv"):
        assert plan.snapshot() == content


def test_a_diff_across_a_language_switch_shows_only_the_real_change(officer):
    plan = _agreed_plan_with_a_family_participant(officer)
    with translation.override("sv"):
        first = _follow_up(plan, officer, next_in_days=30)
    with translation.override("en"):
        second = _follow_up(plan, officer, next_in_days=60)
    assert [code for code, _old, _new in second.changes_since(first)] == ["next_follow_up_on"]
    # Against the agreed version (saved in English): only what the follow-up added.
    agreed = plan.versions.get(number=1)
    assert [code for code, _old, _new in first.changes_since(agreed)] == [
        "evaluation:1",
        "follow_up_summary",
    ]


def test_the_version_page_shows_labels_in_the_readers_language(officer_client):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    url = reverse("sip:plan_version", kwargs={"pk": plan.pk, "number": 2})
    swedish = officer_client.get(url).content.decode()
    assert "Gemensam fråga och behov" in swedish and "Insats 1" in swedish
    assert "Utvärdering av insats 1" in swedish
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    english = officer_client.get(url).content.decode()
    assert "Joint question and need" in english and "Measure 1" in english
    assert '<dt class="col-sm-4">question</dt>' not in swedish  # a code is never shown


def test_the_version_page_shows_an_evaluation_and_a_family_participant_in_words(officer):
    plan = _agreed_plan_with_a_family_participant(officer)
    _follow_up(plan, officer, next_in_days=30)
    version = plan.versions.get(number=2)
    with translation.override("sv"):
        rows = dict(version.content_rows())
        assert rows["Utvärdering av insats 1"] == "Pågår: Fortsätter"
        assert rows["Deltagare 2"] == "Vera Testsson (mor, Barnet eller familjen)"
        assert rows["Inga insatser av andra"] == "Ja"
    with translation.override("en"):
        rows = dict(version.content_rows())
        assert rows["Evaluation of measure 1"] == "Ongoing: Fortsätter"
        assert rows["Participant 2"] == "Vera Testsson (mor, Child or family)"


def _migrate_snapshots() -> None:
    """Run the data migration's function on the historical models, as ``migrate`` does."""
    migration = importlib.import_module("sip.migrations.0004_version_snapshot_codes")
    state = MigrationExecutor(connection).loader.project_state(
        ("sip", "0004_version_snapshot_codes")
    )
    migration.forwards(state.apps, SimpleNamespace(connection=connection))


OLD_SWEDISH = {
    "Gemensam fråga och behov": "Behöver stöd",
    "Mål på kort sikt": "Gå till skolan",
    "Huvudman med huvudansvar": "Täby kommun",
    "Nästa uppföljning": "2026-12-01",
    "Inga insatser av andra": "Ja",
    "Insats 1": "Samtal | BUP Täby, Region Stockholm | Jonas | –",
    "Deltagare 1": "Jonas Vikander (kurator, Socialtjänst, barn och unga)",
    "Deltagare 2": "Vera Testsson (mor, Barnet eller familjen)",
    "Evaluation of measure 1": "Pågår: Fortsätter",
    "Sammanfattning av uppföljningen": "Det går bättre.",
}
OLD_ENGLISH = {
    "Joint question and need": "Behöver stöd",
    "Short-term goals": "Gå till skolan",
    "Principal with overall responsibility": "Täby kommun",
    "Next follow-up": "2026-12-01",
    "No measures by others": "Yes",
    "Measure 1": "Samtal | BUP Täby, Region Stockholm | Jonas | –",
    "Participant 1": "Jonas Vikander (kurator, Socialtjänst, barn och unga)",
    "Participant 2": "Vera Testsson (mor, Child or family)",
    "Evaluation of measure 1": "Ongoing: Fortsätter",
    "Summary of the follow-up": "Det går bättre.",
}
CODES = {
    "question": "Behöver stöd",
    "goals_short": "Gå till skolan",
    "overall_principal": "Täby kommun",
    "next_follow_up_on": "2026-12-01",
    "no_measures_by_others": "yes",
    "measure:1": "Samtal | BUP Täby, Region Stockholm | Jonas | –",
    "participant:1": "Jonas Vikander (kurator, Socialtjänst, barn och unga)",
    "participant:2": {"name": "Vera Testsson", "role": "mor", "kind": "family"},
    "evaluation:1": {"outcome": "ongoing", "comment": "Fortsätter"},
    "follow_up_summary": "Det går bättre.",
}


def test_the_migration_rewrites_swedish_and_english_snapshots_to_codes():
    plan = PlanFactory()
    officer = demo_user("officer")
    swedish, english, current = (
        PlanVersion.objects.create(
            plan=plan, number=n, kind=PlanVersion.Kind.FOLLOW_UP, created_by=officer, content=c
        )
        for n, c in ((1, OLD_SWEDISH), (2, OLD_ENGLISH), (3, CODES))
    )
    _migrate_snapshots()
    for version in (swedish, english, current):
        version.refresh_from_db()
        assert version.content == CODES
    assert english.changes_since(swedish) == []
