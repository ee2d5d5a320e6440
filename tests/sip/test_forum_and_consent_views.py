import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Unit
from sip.demo import AGREED_CHILD, DRAFT_CHILD, FORUM_CHILD, OVERDUE_CHILD
from sip.models import Consent, ForumCase, Plan
from tests.sip.payloads import consent_post
from tests.submissions import once

pytestmark = pytest.mark.django_db


def test_chief_raises_a_case_with_a_countdown(chief_client):
    bup = Unit.objects.get(name="BUP Täby öppenvård")
    response = chief_client.post(
        reverse("sip:forum_create"),
        once(
            {
                "child_first_name": "Ella",
                "child_last_name": "Forumsson",
                "personal_number": "",
                "protected_identity": "on",
                "need_noticed_on": str(timezone.localdate() - datetime.timedelta(days=4)),
                "question": "Oenighet om stöd",
                "invited_units": [str(bup.pk)],
            }
        ),
    )
    assert response.status_code == 302
    case = ForumCase.objects.get(child__last_name="Forumsson")
    assert case.local_group.name == "Täby"
    assert case.deadline() == case.need_noticed_on + datetime.timedelta(days=14)
    body = chief_client.get(case.get_absolute_url()).content.decode()
    assert "10 dagar kvar" in body
    assert "Skyddad identitet" in body


def test_a_case_without_a_date_shows_the_error_summary(chief_client):
    response = chief_client.post(reverse("sip:forum_create"), {"child_first_name": "A"})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()


def test_overdue_case_is_flagged_on_the_list(chief_client):
    body = chief_client.get(reverse("sip:forum_list")).content.decode()
    overdue = ForumCase.objects.get(child__personal_number=OVERDUE_CHILD)
    assert overdue.number in body
    assert "6 dagar försenat" in body


def test_protocol_is_refused_without_consent(chief_client):
    case = ForumCase.objects.get(child__personal_number=OVERDUE_CHILD)
    response = chief_client.get(reverse("sip:forum_protocol", kwargs={"pk": case.pk}))
    assert "Giltigt samtycke" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main")[1]


def test_chief_records_an_escalating_protocol_and_pdf(chief_client):
    case = ForumCase.objects.get(child__personal_number=FORUM_CHILD)
    url = reverse("sip:forum_protocol", kwargs={"pk": case.pk})
    invalid = chief_client.post(url, {"outcome": "escalated"})
    assert 'id="error-summary"' in invalid.content.decode()
    response = chief_client.post(
        url,
        {
            "meeting_on": str(timezone.localdate()),
            "present": "Elin Norrby, chef BUP",
            "principals_views": "Kommunen: …; Regionen: …",
            "decision": "Lyfts till styrgruppen",
            "actions": "Elin: anmäler, 1 december",
            "outcome": "escalated",
            "escalated_on": str(timezone.localdate()),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ForumCase.Status.ESCALATED
    pdf = chief_client.get(reverse("sip:forum_pdf", kwargs={"pk": case.pk}))
    assert pdf.content.startswith(b"%PDF")


def test_written_consent_with_document_is_recorded(officer_client):
    plan = Plan.objects.get(child__personal_number=DRAFT_CHILD)
    url = reverse("sip:consent_create", kwargs={"pk": plan.pk})
    missing_doc = officer_client.post(url, consent_post(child_is_mature=""))
    assert 'href="#id_document"' in missing_doc.content.decode()
    document = SimpleUploadedFile("samtycke.pdf", b"%PDF-1.4", "application/pdf")
    response = officer_client.post(url, consent_post(document=document))
    assert response.status_code == 302
    consent = Consent.objects.get(plan=plan, person="child")
    assert consent.child_is_mature and consent.document


def test_version_page_shows_the_differences(officer_client):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    body = officer_client.get(
        reverse("sip:plan_version", kwargs={"pk": plan.pk, "number": 2})
    ).content.decode()
    assert "Ändringar sedan version 1" in body
    assert "Tränar en kväll i veckan" in body
    assert (
        officer_client.get(
            reverse("sip:plan_version", kwargs={"pk": plan.pk, "number": 9})
        ).status_code
        == 404
    )


def test_my_plan_is_in_plain_swedish(officer_client):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    body = officer_client.get(reverse("sip:my_plan", kwargs={"pk": plan.pk})).content.decode()
    for text in ("Min plan – Noah", "Det här ska hända", "Vem hjälper mig", "När ses vi igen"):
        assert text in body
    assert plan.child.personal_number not in body


def test_follow_up_form_shows_errors_and_saves(officer_client):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    url = reverse("sip:plan_followup", kwargs={"pk": plan.pk})
    bad = officer_client.post(url, {})
    assert 'id="error-summary"' in bad.content.decode()
    data = {"meeting_on": str(timezone.localdate()), "summary": "Bra"}
    for m in plan.measures.all():
        data[f"m{m.pk}-outcome"] = "done"
    assert officer_client.post(url, once(data)).status_code == 302
    assert plan.versions.count() == 3


def test_signed_consent_form_can_be_read_and_is_audited(chief_client, officer2):
    from bus_portal.models import AuditEvent
    from sip.audit import Purpose
    from tests.conftest import client_for

    case = ForumCase.objects.get(child__personal_number=FORUM_CHILD)
    consent = case.consents.get(form="written")
    url = reverse("sip:consent_document", kwargs={"pk": consent.pk})
    response = chief_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        subject=case.child.audit_subject,
        object_id=str(consent.pk),
        purpose=Purpose.CONSENT_DOCUMENT_READ,
    ).exists()
    assert client_for("outsider").get(url).status_code == 404


def test_invited_unit_reads_a_case_only_with_consent():
    from tests.conftest import client_for

    officer2 = client_for("officer2")
    without = ForumCase.objects.get(child__personal_number=OVERDUE_CHILD)
    response = officer2.get(without.get_absolute_url())
    assert response.status_code == 403
    assert without.child.first_name not in response.content.decode()
    with_consent = ForumCase.objects.get(child__personal_number=FORUM_CHILD)
    assert officer2.get(with_consent.get_absolute_url()).status_code == 200
    # The raising unit holds the case whatever the consent.
    assert client_for("chief").get(without.get_absolute_url()).status_code == 200
