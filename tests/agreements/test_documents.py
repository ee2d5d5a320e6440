"""PDFs in Swedish with page numbers (checked by text extraction) and the meetings CSV."""

import subprocess

import pytest
from django.urls import reverse

from agreements.models import Agreement, LocalGroup, Meeting, MinutesStatus
from bus_portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())  # table cells wrap; compare words, not line breaks


def test_agreement_pdf_has_current_revision_parties_signatures_and_history(bussam_client, tmp_path):
    agreement = Agreement.objects.get(local_group__name="Norrtälje")
    response = bussam_client.get(reverse("agreements:agreement_pdf", args=[agreement.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Gällande revision: Revision november 2024" in text
    assert "Parter och underskrifter" in text
    assert "Norrtälje kommun" in text and "Region Stockholm" in text
    assert "Revisionshistorik" in text
    for title in [
        "Ursprunglig överenskommelse",
        "Revision maj 2012",
        "Revision februari 2014",
        "Revision februari 2021",
    ]:
        assert title in text
    assert "Sida 1 av" in text
    assert AuditEvent.objects.filter(object_id=str(agreement.pk), action="print").exists()


def test_minutes_pdf_lists_agenda_decisions_and_assignments(chair_client, tmp_path):
    meeting = (
        Meeting.objects.filter(
            body__agreement__local_group__name="Täby", body__name="Lokal styrgrupp"
        )
        .filter(minutes_status=MinutesStatus.PUBLISHED)
        .order_by("-held_on")
        .first()
    )
    response = chair_client.get(reverse("agreements:meeting_pdf", args=[meeting.pk]))
    text = pdf_text(response.content, tmp_path)
    assert "Minnesanteckningar: Lokal styrgrupp" in text
    assert "Överlämningsrutinen fastställs." in text
    assert "Förtydliga rutinen för avvikelserapportering" in text
    assert "Publicerad" in text
    assert "Sida 1 av" in text


def test_meetings_csv_has_one_row_per_visible_meeting(outsider_client, chair_client):
    group = LocalGroup.objects.get(name="Täby")
    url = reverse("agreements:group_meetings_csv", args=[group.pk])
    outsider_rows = outsider_client.get(url).content.decode("utf-8-sig").strip().splitlines()
    chair_rows = chair_client.get(url).content.decode("utf-8-sig").strip().splitlines()
    assert outsider_rows[0].startswith("Grupp;Organ;Termin;Datum")
    # Drafts and checked minutes are not exported to non-members: the working group's checked
    # and draft minutes and its coming meeting (whose notice went out).
    assert len(chair_rows) == len(outsider_rows) + 3
