"""The signed consent form: only PDF, JPEG or PNG by content, up to 10 MB; downloaded as an
attachment with the checked type; a file gone from storage is a 404."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Principal
from bus_portal.uploads import MB
from sip import consent_services
from sip.demo import DRAFT_CHILD
from sip.models import Consent, Plan
from sip.services import SipError
from tests.sip.payloads import consent_post

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00"
ALLOWED = "Ladda upp PDF, JPEG eller PNG, högst 10 MB."
WRONG_KIND = "Filens innehåll är inte PDF, JPEG eller PNG, vad filen än heter. " + ALLOWED


@pytest.fixture
def plan():
    return Plan.objects.get(child__personal_number=DRAFT_CHILD)


def _post_written_consent(client, plan, upload):
    return client.post(
        reverse("sip:consent_create", kwargs={"pk": plan.pk}), consent_post(document=upload)
    )


def _stored_files() -> list[str]:
    try:
        return sorted(default_storage.listdir(f"sip/consents/{timezone.localdate().year}")[1])
    except FileNotFoundError:
        return []


def test_the_form_says_exactly_what_may_be_uploaded(officer_client, plan):
    body = officer_client.get(reverse("sip:consent_create", kwargs={"pk": plan.pk})).content
    assert "PDF, JPEG eller PNG, högst 10 MB" in body.decode()


@pytest.mark.parametrize(
    ("name", "content", "claimed", "message"),
    [
        ("samtycke.html", b"<!DOCTYPE html><script>alert(1)</script>", "text/html", WRONG_KIND),
        (
            "samtycke.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            WRONG_KIND,
        ),
        ("samtycke.exe", EXE_BYTES, "application/x-msdownload", WRONG_KIND),
        ("x.pdf", EXE_BYTES, "application/pdf", WRONG_KIND),
        ("tom.pdf", b"", "application/pdf", "Filen är tom. " + ALLOWED),
        (
            "stor.pdf",
            PDF_BYTES + b"0" * (11 * MB),
            "application/pdf",
            "Filen är 11,0\xa0MB, större än tillåtet. " + ALLOWED,
        ),
    ],
    ids=["html", "svg", "exe", "exe-renamed-pdf", "empty", "11-mb"],
)
def test_it_refuses_anything_but_a_pdf_or_image_and_saves_nothing(
    officer_client, plan, name, content, claimed, message
):
    files_before, consents_before = _stored_files(), Consent.objects.count()
    response = _post_written_consent(
        officer_client, plan, SimpleUploadedFile(name, content, claimed)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_document"' in page  # in the error summary, linked to the field
    assert message in page
    assert Consent.objects.count() == consents_before
    assert _stored_files() == files_before


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("underskrift.PDF", PDF_BYTES, "application/pdf", "pdf"),
        ("foto.jpeg", JPEG_BYTES, "image/jpeg", "jpg"),
        # A misleading name and claimed type do not matter either way: the content is a PNG.
        ("skanning.pdf", PNG_BYTES, "image/png", "png"),
    ],
)
def test_a_pdf_or_image_is_kept_and_served_as_an_attachment_of_its_checked_type(
    officer_client, plan, name, content, content_type, extension
):
    response = _post_written_consent(
        officer_client, plan, SimpleUploadedFile(name, content, "application/pdf")
    )
    assert response.status_code == 302
    consent = Consent.objects.get(plan=plan, person="child")
    assert consent.document_type == content_type
    download = officer_client.get(reverse("sip:consent_document", kwargs={"pk": consent.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert (
        download["Content-Disposition"]
        == f'attachment; filename="samtycke-{consent.pk}.{extension}"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == content


def test_a_file_gone_from_storage_is_not_found(officer, officer_client, plan):
    consent = consent_services.record_consent(
        user=officer,
        purpose=plan,
        person="child",
        person_name="Alva",
        principals=list(Principal.objects.filter(name__in=["Täby kommun", "Region Stockholm"])),
        given_on=timezone.localdate(),
        form="written",
        document=ContentFile(PDF_BYTES, name="samtycke.pdf"),
    )
    default_storage.delete(consent.document.name)
    response = officer_client.get(reverse("sip:consent_document", kwargs={"pk": consent.pk}))
    assert response.status_code == 404


def test_the_service_checks_the_content_too(officer, plan):
    with pytest.raises(SipError, match="Filens innehåll är inte PDF, JPEG eller PNG"):
        consent_services.record_consent(
            user=officer,
            purpose=plan,
            person="child",
            person_name="Alva",
            principals=list(Principal.objects.filter(name__in=["Täby kommun", "Region Stockholm"])),
            given_on=timezone.localdate(),
            form="written",
            document=ContentFile(b"<html></html>", name="samtycke.pdf"),
        )
    assert not plan.consents.filter(person="child").exists()
