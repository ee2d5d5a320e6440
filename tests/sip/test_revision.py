"""Agreed means frozen: an agreed plan changes only through a follow-up or a revision that is
agreed again, and until then every page and print shows the version in force (issue 12, item 3)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from fhir.resources.R4B.careplan import CarePlan

from bus_portal.models import AuditEvent
from sip import documents, services
from sip.audit import Purpose
from sip.demo import AGREED_CHILD
from sip.models import Plan, PlanVersion
from sip.services import ChildData, PlanData
from tests.conftest import client_for
from tests.sip.payloads import edit_payload
from tests.submissions import once

pytestmark = pytest.mark.django_db

OLD_QUESTION = "Noah har stark oro och behöver stöd i skolan och hemma."
NEW_QUESTION = "Noah behöver nu mest stöd i skolan."


def agreed_plan() -> Plan:
    """The demo's plan: agreed (version 1), followed up (version 2), participant BUP covered."""
    return Plan.objects.get(child__personal_number=AGREED_CHILD)


def revise(client, plan: Plan) -> None:
    response = client.post(reverse("sip:plan_revise", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("sip:plan_edit", kwargs={"pk": plan.pk})


def agree(client, plan: Plan) -> None:
    plan.refresh_from_db()
    response = client.post(
        reverse("sip:plan_agree", kwargs={"pk": plan.pk}),
        once({"meeting_on": str(timezone.localdate())}),
    )
    assert response.status_code == 302, response.context["form"].errors


def pdf_html(plan: Plan) -> str:
    """The PDF's source: the print template rendered with the renderer's own context."""
    plan = Plan.objects.get(pk=plan.pk)
    with translation.override("sv"):
        return render_to_string("sip/pdf/plan.html", documents.plan_context(plan))


def test_an_agreed_plan_offers_a_revision_not_an_edit(officer_client):
    plan = agreed_plan()
    body = officer_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert reverse("sip:plan_edit", kwargs={"pk": plan.pk}) not in body
    assert reverse("sip:plan_revise", kwargs={"pk": plan.pk}) in body
    assert "Revidera planen" in body


def test_editing_an_agreed_plan_is_refused_by_get_post_and_service(officer_client, officer):
    plan = agreed_plan()
    url = reverse("sip:plan_edit", kwargs={"pk": plan.pk})
    lock_version = plan.lock_version

    response = officer_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("sip:plan_detail", kwargs={"pk": plan.pk})
    assert "starta en revidering" in response.content.decode().lower()

    response = officer_client.post(url, {"question": "Ändrat utan revidering"}, follow=True)
    body = response.content.decode()
    assert "Planen är sparad" not in body
    plan.refresh_from_db()
    assert plan.question == OLD_QUESTION and plan.lock_version == lock_version

    with pytest.raises(services.SipError):
        services.update_plan(
            plan=plan,
            user=officer,
            expected_version=plan.lock_version,
            child=ChildData("Noah", "Berg", AGREED_CHILD, False, None, []),
            data=PlanData(fields={"question": "Tyst ändring"}, participants=[], measures=[]),
        )
    plan.refresh_from_db()
    assert plan.question == OLD_QUESTION


def test_the_revision_page_asks_first_and_changes_nothing_on_get(officer_client):
    plan = agreed_plan()
    url = reverse("sip:plan_revise", kwargs={"pk": plan.pk})
    response = officer_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "version 3 (utkast)" in body and "Version 2 gäller" in body
    assert 'type="submit"' in body
    plan.refresh_from_db()
    assert not plan.in_revision


def test_a_revision_is_drafted_while_the_agreed_version_stays_in_force(officer_client):
    plan = agreed_plan()
    revise(officer_client, plan)
    plan.refresh_from_db()
    assert plan.in_revision and plan.status == Plan.Status.FOLLOW_UP
    event = AuditEvent.objects.filter(purpose=Purpose.PLAN_REVISION_STARTED).get()
    assert event.subject == plan.child.audit_subject and event.changes == {"revision": ["", "3"]}

    edit_url = reverse("sip:plan_edit", kwargs={"pk": plan.pk})
    form_page = officer_client.get(edit_url).content.decode()
    assert "version 3 (utkast)" in form_page
    response = officer_client.post(
        edit_url, edit_payload(officer_client, plan, question=NEW_QUESTION), follow=True
    )
    body = response.content.decode()
    assert "Planen är sparad" not in body
    assert "Revideringen är sparad som utkast" in body
    plan.refresh_from_db()
    assert plan.question == NEW_QUESTION  # the working copy: the draft of version 3
    assert plan.versions.count() == 2  # no version until the revision is agreed

    # The page, the PDF and "My plan" show version 2, which is in force, and say so.
    detail = officer_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk}))
    page = detail.content.decode()
    assert OLD_QUESTION in page and NEW_QUESTION not in page
    assert 'id="revision-notice"' in page and "version 3 (utkast)" in page
    assert f'href="{edit_url}"' in page  # the revision, for those who may edit it
    assert "Version 2, fastställd" in page
    html = pdf_html(plan)
    assert OLD_QUESTION in html and NEW_QUESTION not in html
    assert "Version 2, fastställd" in html and "version 3" in html
    my_plan = officer_client.get(reverse("sip:my_plan", kwargs={"pk": plan.pk})).content.decode()
    assert OLD_QUESTION in my_plan and NEW_QUESTION not in my_plan
    pdf = officer_client.get(reverse("sip:plan_pdf", kwargs={"pk": plan.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    # A participant covered by consent sees the same, without the link to the draft.
    other = client_for("officer2").get(reverse("sip:plan_detail", kwargs={"pk": plan.pk}))
    assert OLD_QUESTION in other.content.decode()

    # A follow-up would freeze the unagreed draft: refused until the revision is agreed.
    followup = officer_client.get(reverse("sip:plan_followup", kwargs={"pk": plan.pk}))
    assert "Fastställ revideringen" in followup.content.decode()
    assert reverse("sip:plan_followup", kwargs={"pk": plan.pk}) not in page


def test_an_agreed_revision_becomes_the_next_version_in_force(officer_client):
    plan = agreed_plan()
    agreed_at = plan.agreed_at
    revise(officer_client, plan)
    officer_client.post(
        reverse("sip:plan_edit", kwargs={"pk": plan.pk}),
        edit_payload(officer_client, plan, question=NEW_QUESTION),
    )
    agree_page = officer_client.get(reverse("sip:plan_agree", kwargs={"pk": plan.pk}))
    assert "version 3" in agree_page.content.decode()
    agree(officer_client, plan)

    plan.refresh_from_db()
    assert not plan.in_revision and plan.status == Plan.Status.AGREED
    assert plan.agreed_at == agreed_at  # the first agreement's time stays (indicators)
    version = plan.versions.get(number=3)
    assert version.kind == PlanVersion.Kind.AGREED
    # The revision asks every participant again: only the agreeing officer's unit has confirmed.
    assert version.requests.count() == plan.participants.count()
    assert {s.participant.unit_id for s in version.signoffs.all()} == {plan.owner_unit_id}
    assert version.content["question"] == NEW_QUESTION
    assert [code for code, _old, _new in version.changes_since(plan.versions.get(number=2))] == [
        "question",
        "evaluation:1",
        "evaluation:2",
        "evaluation:3",
        "follow_up_summary",
    ]
    page = officer_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert NEW_QUESTION in page and 'id="revision-notice"' not in page
    assert "Version 3, fastställd" in page
    html = pdf_html(plan)
    assert NEW_QUESTION in html and "Version 3, fastställd" in html
    # Frozen again.
    edit = officer_client.get(reverse("sip:plan_edit", kwargs={"pk": plan.pk}))
    assert edit.status_code == 302


def test_a_plan_closed_during_a_revision_keeps_showing_the_last_agreed_version(officer):
    plan = agreed_plan()
    services.start_revision(plan=plan, user=officer)
    Plan.objects.filter(pk=plan.pk).update(question=NEW_QUESTION)
    services.close_plan(plan=plan, user=officer, reason="Familjen har flyttat.")
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.status == Plan.Status.CLOSED and plan.in_revision
    assert not plan.can_edit() and not plan.can_revise()
    html = pdf_html(plan)
    assert OLD_QUESTION in html and NEW_QUESTION not in html
    assert "aldrig fastställd" in html


def test_a_revision_cannot_be_started_twice_or_on_a_draft(officer):
    plan = agreed_plan()
    services.start_revision(plan=plan, user=officer)
    with pytest.raises(services.SipError):
        services.start_revision(plan=plan, user=officer)
    draft = Plan.objects.filter(status=Plan.Status.DRAFT).first()
    with pytest.raises(services.SipError):
        services.start_revision(plan=draft, user=officer)


def test_the_pdf_says_which_version_it_shows_and_whether_it_is_agreed():
    draft = Plan.objects.filter(status=Plan.Status.DRAFT).first()
    assert "Version 1 (utkast), inte fastställd" in pdf_html(draft)
    assert "Version 2, fastställd" in pdf_html(agreed_plan())


def test_fhir_says_which_version_it_exports_and_whether_it_is_agreed(officer_client, officer):
    plan = agreed_plan()
    url = reverse("sip:plan_fhir", kwargs={"pk": plan.pk})

    def careplan() -> dict:
        bundle = json.loads(officer_client.get(url).content)
        resource = bundle["entry"][1]["resource"]
        CarePlan.model_validate(resource)
        return resource

    agreed = careplan()
    assert agreed["status"] == "active" and agreed["meta"]["versionId"] == "2"
    assert {"text": "Version 2, fastställd"} in agreed["note"]
    services.start_revision(plan=plan, user=officer)
    draft = careplan()
    assert draft["status"] == "draft" and draft["meta"]["versionId"] == "3"
    assert {"text": "Version 3, utkast, inte fastställd"} in draft["note"]


def test_versions_saved_before_the_structured_snapshot_compare_equal():
    """Before 0006 a measure and a unit's participant were stored as one line each."""
    old = {
        "question": "Behöver stöd",
        "measure:1": "Samtal | BUP Täby, Region Stockholm | Jonas | 2026-01-01–",
        "participant:1": "Jonas Vikander (kurator, BUP Täby öppenvård)",
    }
    new = {
        **{k: v for k, v in old.items() if ":" not in k},
        "child_first_name": "Noah",  # recorded since 0006: not a change against an older version
        "measure:1": {
            "description": "Samtal",
            "provider": "BUP Täby, Region Stockholm",
            "responsible": "Jonas",
            "starts_on": "2026-01-01",
            "ends_on": "",
        },
        "participant:1": {
            "name": "Jonas Vikander",
            "role": "kurator",
            "kind": "unit",
            "unit": "BUP Täby öppenvård",
            "principal": "Region Stockholm",
        },
    }
    assert PlanVersion.compare(old, new) == []
    changed = {**new, "question": "Annat"}
    assert [code for code, _o, _n in PlanVersion.compare(old, changed)] == ["question"]


def test_the_snapshot_holds_the_childs_data_and_the_my_plan_fields(officer):
    plan = agreed_plan()
    Plan.objects.filter(pk=plan.pk).update(my_plan_what="Jag pratar med Jonas.")
    plan.refresh_from_db()
    content = plan.snapshot()
    assert content["child_first_name"] == "Noah" and content["personal_number"] == AGREED_CHILD
    assert content["guardian:1"] == {"name": "Leila Berg", "phone": "073-111 22 33"}
    assert content["my_plan_what"] == "Jag pratar med Jonas."
    assert content["measure:1"]["description"]
    assert content["participant:1"]["kind"] == "unit"
    assert timezone.localdate() - datetime.timedelta(days=200) < datetime.date.fromisoformat(
        content["need_noticed_on"]
    )
