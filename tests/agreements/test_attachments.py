"""Attachments are what their content is: PDF, Word, Excel, PowerPoint, JPEG or PNG, at most 20 MB.

Anything else (an .html page, an .exe, a zip, a macro document, an empty file) is refused with a
Swedish message, whatever its name or claimed type. A kept file is served as a download with the
type it was checked to be, under a generated name; a row whose file is gone is a 404.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from agreements import uploads
from agreements.models import Agreement, Attachment
from tests.submissions import once

pytestmark = pytest.mark.django_db

OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
}


def ooxml(kind: str) -> bytes:
    """A minimal Office Open XML package whose [Content_Types].xml names the main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{OOXML_MAIN[kind]}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sida.html", "<html></html>")
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Närvaro"
    workbook.save(buffer)
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    """A minimal OLE compound file (MS-CFB, 512-byte sectors) holding one stream named ``stream``."""
    free, end, fat_sector, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = uploads.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, end, *([free] * 125))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        data = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        data[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", data, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", data, 0x44, nostream, nostream, child)
        struct.pack_into("<IQ", data, 0x74, start, size)
        return bytes(data)

    directory = (
        entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, nostream, 2, 512) + bytes(128) * 2
    )
    return bytes(header) + fat + directory + b"\0" * 512


ACCEPTED = [
    ("avtal.pdf", b"%PDF-1.7\n%demo\n", "application/pdf", "pdf"),
    ("skanning.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png", "png"),
    ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 32, "image/jpeg", "jpg"),
    ("bilaga.docx", ooxml("docx"), uploads.DOCX.content_type, "docx"),
    ("narvaro.xlsx", xlsx(), uploads.XLSX.content_type, "xlsx"),
    ("bilder.pptx", ooxml("pptx"), uploads.PPTX.content_type, "pptx"),
    ("gammal.doc", ole("WordDocument"), "application/msword", "doc"),
    ("gammal.xls", ole("Workbook"), "application/vnd.ms-excel", "xls"),
]

REFUSED = [
    ("sida.html", b"<html><script>alert(1)</script></html>", "text/html"),
    ("program.exe", b"MZ\x90\x00" + b"\0" * 60, "application/octet-stream"),
    ("forklaedd.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
    ("trasig.zip", b"PK\x03\x04" + b"\0" * 40, "application/zip"),
    ("arkiv.docx", plain_zip(), "application/zip"),
    ("makro.docm", ooxml("docm"), "application/vnd.ms-word.document.macroEnabled.12"),
    ("installer.msi", ole("\x05SummaryInformation"), "application/x-msi"),
    ("tom.pdf", b"", "application/pdf"),
]


def taby() -> Agreement:
    return Agreement.objects.get(local_group__name="Täby")


def upload(client, name, content, content_type, title="Bilaga"):
    return client.post(
        reverse("agreements:attachment_create", args=[taby().pk]),
        once(
            {
                "kind": "appendix",
                "title": title,
                "file": SimpleUploadedFile(name, content, content_type=content_type),
            }
        ),
    )


@pytest.mark.parametrize(("name", "content", "content_type", "extension"), ACCEPTED)
def test_allowed_kinds_are_kept_and_served_with_the_checked_type(
    chair_client, name, content, content_type, extension
):
    response = upload(chair_client, name, content, "application/octet-stream", title=name)
    assert response.status_code == 302, response.content.decode()[-3000:]
    attachment = Attachment.objects.get(title=name)
    assert attachment.content_type == content_type
    assert attachment.file.name.endswith(f".{extension}")
    assert name.rsplit(".", 1)[0] not in attachment.file.name  # a generated name is stored
    download = chair_client.get(reverse("agreements:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"-{attachment.pk}.{extension}" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(("name", "content", "content_type"), REFUSED)
def test_other_content_is_refused_whatever_its_name(chair_client, name, content, content_type):
    response = upload(chair_client, name, content, content_type, title=name)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert "Filen är tom" in body or "Filens innehåll är inte av en tillåten typ" in body
    assert not Attachment.objects.filter(title=name).exists()


def test_a_file_over_20_mb_is_refused_with_a_clear_message(chair_client):
    big = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024)
    response = upload(chair_client, "stor.pdf", big, "application/pdf", title="Stor")
    assert response.status_code == 200
    assert "en bilaga får vara högst 20 MB" in response.content.decode()
    assert not Attachment.objects.filter(title="Stor").exists()


def test_a_file_of_exactly_20_mb_is_kept(chair_client):
    exact = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024 - 9)
    assert (
        upload(chair_client, "exakt.pdf", exact, "application/pdf", title="Exakt").status_code
        == 302
    )


def test_the_service_checks_the_content_too(chair):
    from agreements import services

    with pytest.raises(services.AgreementsError):
        services.add_attachment(
            agreement=taby(),
            kind="appendix",
            title="Direkt",
            file=SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf"),
            user=chair,
        )


def test_a_row_whose_file_is_gone_is_a_404(chair_client):
    upload(chair_client, "borta.pdf", b"%PDF-1.4 borta", "application/pdf", title="Borta")
    attachment = Attachment.objects.get(title="Borta")
    attachment.file.storage.delete(attachment.file.name)
    url = reverse("agreements:attachment_download", args=[attachment.pk])
    assert chair_client.get(url).status_code == 404
    assert (
        chair_client.get(reverse("agreements:attachment_download", args=[999999999])).status_code
        == 404
    )
    assert chair_client.get("/katalog/bilagor/99999999999999999999/").status_code == 404


def test_a_file_kept_before_the_check_is_served_as_plain_bytes(bussam_client):
    legacy = Attachment.objects.filter(agreement__local_group__name="Norrtälje").first()
    assert legacy.content_type == ""
    response = bussam_client.get(reverse("agreements:attachment_download", args=[legacy.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
