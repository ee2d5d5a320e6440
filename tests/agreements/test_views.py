"""Screens and actions through the HTTP layer, without JavaScript."""

import datetime
import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Agreement,
    Assignment,
    Attachment,
    Body,
    BodyMember,
    LocalGroup,
    Meeting,
    MinutesStatus,
    PlanItem,
    Principal,
    Signatory,
)
from bus_portal.models import AuditEvent
from tests.agreements.routes import taby_draft_meeting
from tests.submissions import once

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def taby_body(name):
    return Body.objects.get(agreement__local_group__name="Täby", name=name)


def meeting_post(body, **extra):
    """A new meeting as its form sends it (with the form's one-time token)."""
    data = {
        "held_on": TODAY.isoformat(),
        "place": "Kommunhuset",
        "host_principal": Principal.objects.get(name="Täby kommun").pk,
        "attendees": [m.pk for m in body.members.all()[:2]],
        "agenda": "Punkt ett\nPunkt två",
        "minutes": "Vi pratade.",
        "decisions": "Beslut A",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-0-title": "",
        "assignments-0-body": body.pk,
    }
    data.update(extra)
    return once(data)


def test_chair_logs_a_steering_meeting_with_an_assignment(chair_client):
    body = taby_body("Lokal styrgrupp")
    working = taby_body("Arbetsgrupp")
    response = chair_client.post(
        reverse("agreements:meeting_create", args=[body.pk]),
        meeting_post(
            body,
            **{
                "assignments-0-title": "Kartlägg väntetider",
                "assignments-0-body": working.pk,
                "assignments-0-due_on": "2030-01-31",
                "focus_areas": "Skolnärvaro",
            },
        ),
    )
    meeting = Meeting.objects.filter(body=body).order_by("-id").first()
    assert response.status_code == 302 and response["Location"].endswith(f"/moten/{meeting.pk}/")
    assignment = meeting.assignments.get()
    assert (assignment.body, assignment.due_on) == (working, datetime.date(2030, 1, 31))
    assert meeting.agenda_items.filter(source__startswith="agreements.assignment:").exists()
    assert PlanItem.objects.filter(meeting=meeting, kind="focus_area", text="Skolnärvaro").exists()


def test_the_meeting_form_shows_errors_and_adds_a_row_without_javascript(chair_client):
    body = taby_body("Lokal styrgrupp")
    url = reverse("agreements:meeting_create", args=[body.pk])
    response = chair_client.post(url, meeting_post(body, place=""))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    response = chair_client.post(url, meeting_post(body, add_row="1"))
    assert response.status_code == 200
    assert 'name="assignments-1-title"' in response.content.decode()
    assert not Meeting.objects.filter(body=body, place="Kommunhuset").exists()


def test_minutes_are_checked_and_published_through_the_views(chief_client, chair_client):
    meeting = taby_draft_meeting()  # the chief is its justerare (demo)
    # Nobody checks on another's behalf: the chair, a member, is refused.
    url = reverse("agreements:meeting_check", args=[meeting.pk])
    assert chair_client.post(url).status_code == 403
    response = chief_client.post(url)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.CHECKED
    assert meeting.checkers.get().checked_at is not None
    page = chief_client.get(reverse("agreements:meeting_publish", args=[meeting.pk]))
    assert "kan inte ändras" in page.content.decode()
    chief_client.post(reverse("agreements:meeting_publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED
    # Published minutes: the edit screen sends the user back to the meeting.
    response = chief_client.get(reverse("agreements:meeting_edit", args=[meeting.pk]))
    assert response.status_code == 302
    chief_client.post(
        reverse("agreements:meeting_addendum", args=[meeting.pk]), once({"text": "Rättelse"})
    )
    assert meeting.addenda.filter(text="Rättelse").exists()


def test_publishing_unchecked_minutes_is_refused(chief_client):
    meeting = taby_draft_meeting()
    chief_client.post(reverse("agreements:meeting_publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT


def test_a_member_closes_an_assignment(chief_client):
    assignment = Assignment.objects.open().filter(body=taby_body("Arbetsgrupp")).first()
    chief_client.post(
        reverse("agreements:assignment_update", args=[assignment.pk]), {"status": "done"}
    )
    assignment.refresh_from_db()
    assert assignment.status == "done" and assignment.done_on == TODAY


def test_chair_starts_edits_and_signs_a_new_revision(chair_client):
    agreement = Agreement.objects.get(local_group__name="Täby")
    chair_client.post(reverse("agreements:revision_create", args=[agreement.pk]))
    revision = agreement.revisions.order_by("-number").first()
    assert revision.number == 3
    url = reverse("agreements:revision_edit", args=[revision.pk])
    form = chair_client.get(url)
    assert form.status_code == 200
    sections = list(revision.sections.order_by("position"))
    data = {
        "title": "Revision 2026",
        "originals_count": "2",
        "valid_from": "2026-01-01",
        "sections-TOTAL_FORMS": str(len(sections) + 1),
        "sections-INITIAL_FORMS": str(len(sections)),
    }
    for i, s in enumerate(sections):
        data.update(
            {
                f"sections-{i}-id": s.pk,
                f"sections-{i}-key": s.key,
                f"sections-{i}-heading": s.heading,
                f"sections-{i}-text": s.text,
            }
        )
    data["sections-0-text"] = "Ändrat syfte."
    response = chair_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    revision.refresh_from_db()
    assert revision.title == "Revision 2026"
    assert revision.sections.get(key="purpose").text == "Ändrat syfte."
    compare = chair_client.get(
        reverse("agreements:revision_compare", args=[agreement.pk]), {"from": 2, "to": 3}
    )
    assert (
        "<ins>Ändrat syfte.</ins>" in compare.content.decode()
        or "<ins>" in compare.content.decode()
    )
    for signatory in Signatory.objects.filter(party__revision=revision):
        chair_client.post(
            reverse("agreements:sign", args=[signatory.pk]), {"signed_on": TODAY.isoformat()}
        )
    fresh = Agreement.objects.with_details().get(pk=agreement.pk)
    assert fresh.current_revision.number == 3
    # Once signed, the revision can no longer be edited.
    assert chair_client.get(url).status_code == 302


def test_revision_form_adds_a_section_row_without_javascript(chair_client):
    agreement = Agreement.objects.get(local_group__name="Täby")
    chair_client.post(reverse("agreements:revision_create", args=[agreement.pk]))
    revision = agreement.revisions.order_by("-number").first()
    response = chair_client.post(
        reverse("agreements:revision_edit", args=[revision.pk]),
        {
            "title": "X",
            "originals_count": "2",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "add_row": "1",
        },
    )
    assert 'name="sections-1-key"' in response.content.decode()


def test_admin_creates_an_agreement_for_a_group_without_one(admin_client):
    group = LocalGroup.objects.get(name="Skärholmen")
    response = admin_client.post(
        reverse("agreements:agreement_create", args=[group.pk]),
        once({"title": "Lokal BUS-överenskommelse Skärholmen", "template": "standard"}),
    )
    agreement = Agreement.objects.get(local_group=group)
    assert response["Location"].endswith(f"/overenskommelser/{agreement.pk}/")
    assert agreement.bodies.count() == 3


def test_steering_member_adds_body_member_plan_item_and_attachment(chair_client):
    agreement = Agreement.objects.get(local_group__name="Täby")
    chair_client.post(
        reverse("agreements:body_create", args=[agreement.pk]),
        once(
            {
                "name": "Nätverk för elevhälsa",
                "kind": "other",
                "min_meetings_per_term": "1",
                "notice_days": "10",
                "position": "5",
            }
        ),
    )
    body = Body.objects.get(agreement=agreement, name="Nätverk för elevhälsa")
    assert body.notice_days == 10
    unit = taby_body("Lokal styrgrupp").members.first().unit
    chair_client.post(
        reverse("agreements:member_create", args=[body.pk]),
        once({"name": "Ny Person", "unit": unit.pk, "role": "member"}),
    )
    assert BodyMember.objects.filter(body=body, name="Ny Person").exists()
    chair_client.post(
        reverse("agreements:plan_item_create", args=[agreement.pk]),
        once({"year": "2027", "kind": "goal", "text": "Mål"}),
    )
    assert agreement.plan_items.filter(year=2027, text="Mål").exists()
    upload = SimpleUploadedFile("skanning.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    chair_client.post(
        reverse("agreements:attachment_create", args=[agreement.pk]),
        once({"kind": "signed_scan", "title": "Undertecknat original", "file": upload}),
    )
    attachment = Attachment.objects.get(agreement=agreement, title="Undertecknat original")
    response = chair_client.get(reverse("agreements:attachment_download", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    assert AuditEvent.objects.filter(object_id=str(attachment.pk), action="export").exists()


def test_dashboard_shows_open_assignments_to_members(chief_client, outsider_client):
    assert "Öppna uppdrag för dina grupper" in chief_client.get("/").content.decode()
    assert "Öppna uppdrag för dina grupper" not in outsider_client.get("/").content.decode()


def test_every_swedish_message_is_translated():
    po = pathlib.Path(__file__).resolve().parents[2] / "agreements/locale/sv/LC_MESSAGES/django.po"
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    blocks = text.split("\n\n")[1:]
    empty = [
        b
        for b in blocks
        if b.strip() and ('msgstr ""' in b.splitlines()[-1] and "msgstr[" not in b)
    ]
    assert not empty, empty[:3]


def test_a_tampered_row_count_does_not_break_the_form(chair_client):
    body = taby_body("Lokal styrgrupp")
    response = chair_client.post(
        reverse("agreements:meeting_create", args=[body.pk]),
        meeting_post(body, add_row="1", **{"assignments-TOTAL_FORMS": "x"}),
    )
    assert response.status_code == 200
