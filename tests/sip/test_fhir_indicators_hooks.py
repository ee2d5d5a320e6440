import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.patient import Patient

from agreements.models import LocalGroup
from sip import fhir, forum_services
from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.hooks import escalated_cases_for_agenda
from sip.indicators import yearly_counts
from sip.models import ForumCase, Plan
from tests.sip.factories import (
    ChildFactory,
    ForumCaseFactory,
    PlanFactory,
    taby_group,
)

pytestmark = pytest.mark.django_db


def test_fhir_bundle_validates_against_the_r4_models(officer_client):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    response = officer_client.get(reverse("sip:plan_fhir", kwargs={"pk": plan.pk}))
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(response.content)
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    kinds = [entry["resource"]["resourceType"] for entry in data["entry"]]
    assert kinds[:3] == ["Patient", "CarePlan", "CareTeam"] and "Consent" in kinds
    for entry in data["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    patient = Patient.model_validate(data["entry"][0]["resource"])
    assert patient.identifier[0].system == "urn:oid:1.2.752.129.2.1.3.1"
    assert patient.identifier[0].value == AGREED_CHILD
    careplan = CarePlan.model_validate(data["entry"][1]["resource"])
    assert careplan.status == "active" and len(careplan.activity) == 3
    assert {a.detail.status for a in careplan.activity} == {"in-progress", "completed"}
    careteam = CareTeam.model_validate(data["entry"][2]["resource"])
    roles = {r.text for p in careteam.participant for r in p.role}
    assert {"Kurator", "Ordförande", "Sekreterare"} <= roles


def test_fhir_uses_the_samordningsnummer_system_and_omits_protected_numbers():
    plan = PlanFactory(child=ChildFactory(personal_number="201707909840"))
    assert fhir._patient(plan)["identifier"][0]["system"] == fhir.SAMORDNINGSNUMMER_SYSTEM
    hidden = PlanFactory(child=ChildFactory(personal_number="", protected_identity=True))
    patient = fhir._patient(hidden)
    assert "identifier" not in patient
    Patient.model_validate(patient)


def test_yearly_counts_per_local_group(officer, chief):
    year = timezone.localdate().year
    group = taby_group()
    before = yearly_counts(year=year).get(group.pk, {})
    PlanFactory(need_noticed_on=datetime.date(year, 1, 2))
    ForumCaseFactory(
        need_noticed_on=datetime.date(year, 1, 3),
        outcome="escalated",
        escalated_on=datetime.date(year, 1, 20),
        status="escalated",
    )
    ForumCaseFactory(need_noticed_on=datetime.date(year - 1, 12, 3))
    counts = yearly_counts(year=year)[group.pk]
    assert counts["sips_new"] == before.get("sips_new", 0) + 1
    assert counts["forum_cases"] == before.get("forum_cases", 0) + 1
    assert counts["forum_escalated"] == before.get("forum_escalated", 0) + 1
    assert set(counts) == {
        "forum_cases",
        "forum_escalated",
        "sips_new",
        "sips_active",
        "sips_followed_up",
    }
    nynashamn = LocalGroup.objects.get(name="Nynäshamn")
    assert nynashamn.pk not in counts


def test_yearly_counts_active_and_followed_up(officer, django_assert_max_num_queries):
    year = timezone.localdate().year
    group = taby_group()
    follow_up = Plan.objects.get(child__personal_number=AGREED_CHILD).versions.get(number=2)
    demo = yearly_counts(year=timezone.localtime(follow_up.created_at).year)[group.pk]
    assert demo["sips_active"] >= 1 and demo["sips_followed_up"] >= 1
    old = PlanFactory(need_noticed_on=datetime.date(year - 2, 3, 1))
    Plan.objects.filter(pk=old.pk).update(
        status="closed",
        agreed_at=datetime.datetime(year - 2, 6, 1, 12, tzinfo=datetime.UTC),
        closed_at=datetime.datetime(year - 1, 6, 1, 12, tzinfo=datetime.UTC),
    )
    assert yearly_counts(year=year - 1)[group.pk]["sips_active"] == 1
    assert group.pk not in yearly_counts(year=year - 3)
    with django_assert_max_num_queries(3):
        yearly_counts(year=year)


def test_agenda_lists_escalated_open_cases_without_personal_data(chief):
    case = ForumCaseFactory(
        child=ChildFactory(first_name="Hemligsson"),
        question="Hemligsson behöver plats",
        outcome="escalated",
        escalated_on=timezone.localdate(),
        status=ForumCase.Status.ESCALATED,
    )
    suggestions = escalated_cases_for_agenda(taby_group())
    mine = [s for s in suggestions if s.source == f"sip.forumcase:{case.pk}"]
    assert len(mine) == 1
    text = mine[0].title + mine[0].detail
    assert "Hemligsson" not in text and case.child.personal_number not in text
    assert case.number in text
    forum_services.close_forum_case(case=case, user=chief, reason="Klart")
    assert not [s for s in escalated_cases_for_agenda(taby_group()) if s.source == mine[0].source]


def test_pdfs_contain_the_plan_in_swedish(officer_client):
    import subprocess

    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    pdf = officer_client.get(reverse("sip:plan_pdf", kwargs={"pk": plan.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "Samordnad individuell plan",
        "Huvudman med huvudansvar",
        "Version 2",
        "Sida 1 av",
        plan.number,
    ):
        assert expected in text, expected
    mine = officer_client.get(
        reverse(
            "sip:my_plan_pdf",
            kwargs={"pk": Plan.objects.get(child__personal_number=DRAFT_CHILD).pk},
        )
    )
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=mine.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Vem hjälper mig" in text and "Alva" in text
