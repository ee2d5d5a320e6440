"""bus_portal.uploads: files are judged by their content, with messages that say what is allowed."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bus_portal.uploads import JPEG, MB, PDF, PNG, FileKind, UploadValidator, extension_for

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF_BYTES, "application/pdf"), (JPEG_BYTES, "image/jpeg"), (PNG_BYTES, "image/png")],
)
def test_it_answers_the_content_type_found_in_the_content(content, expected):
    # The name says otherwise: only the content counts.
    upload = SimpleUploadedFile("scan.txt", content, "text/plain")
    assert UploadValidator()(upload) == expected
    assert upload.tell() == 0  # left at the start for the storage to save it whole


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.html", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("x.exe", EXE_BYTES),
        ("x.pdf", EXE_BYTES),
        ("x.pdf", b" %PDF-1.4 with something in front"),
    ],
)
def test_it_refuses_other_content_whatever_the_name(name, content):
    with pytest.raises(ValidationError) as refused:
        UploadValidator()(SimpleUploadedFile(name, content, "application/pdf"))
    assert refused.value.code == "file_type"
    assert refused.value.messages == [
        "Filens innehåll är inte PDF, JPEG eller PNG, vad filen än heter. "
        "Ladda upp PDF, JPEG eller PNG, högst 10 MB."
    ]


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as refused:
        UploadValidator()(ContentFile(b"", name="empty.pdf"))
    assert refused.value.code == "empty_file"
    assert refused.value.messages == ["Filen är tom. Ladda upp PDF, JPEG eller PNG, högst 10 MB."]


def test_it_refuses_a_file_over_the_size_limit_before_reading_it():
    too_big = ContentFile(PDF_BYTES + b"0" * (11 * MB), name="big.pdf")
    with pytest.raises(ValidationError) as refused:
        UploadValidator(max_size=10 * MB)(too_big)
    assert refused.value.code == "file_too_large"
    assert refused.value.messages == [
        "Filen är 11,0\xa0MB, större än tillåtet. Ladda upp PDF, JPEG eller PNG, högst 10 MB."
    ]
    exactly = ContentFile(PDF_BYTES + b"0" * (10 * MB - len(PDF_BYTES)), name="ok.pdf")
    assert UploadValidator(max_size=10 * MB)(exactly) == "application/pdf"


def test_the_allow_list_and_the_limit_are_parameters():
    only_pdf = UploadValidator(allowed=[PDF], max_size=2 * MB)
    assert only_pdf.describe() == "PDF, högst 2 MB"
    with pytest.raises(ValidationError):
        only_pdf(ContentFile(PNG_BYTES, name="x.png"))
    zip_kind = FileKind("DOCX", "application/zip", "docx", (b"PK\x03\x04",))
    office = UploadValidator(allowed=[PDF, zip_kind, JPEG])
    assert office.describe() == "PDF, DOCX eller JPEG, högst 10 MB"
    assert office(ContentFile(b"PK\x03\x04rest", name="a.docx")) == "application/zip"


def test_the_help_text_is_exact_and_follows_the_language():
    field = forms.FileField(help_text=UploadValidator().help_text)
    assert str(field.help_text) == "PDF, JPEG eller PNG, högst 10 MB"
    with translation.override("en"):
        assert str(field.help_text) == "PDF, JPEG or PNG, at most 10 MB"


def test_as_a_form_field_validator_the_form_shows_the_message():
    class UploadForm(forms.Form):
        document = forms.FileField(validators=[UploadValidator()], allow_empty_file=True)

    form = UploadForm(files={"document": SimpleUploadedFile("x.pdf", b"", "application/pdf")})
    assert not form.is_valid()
    assert form.errors["document"] == ["Filen är tom. Ladda upp PDF, JPEG eller PNG, högst 10 MB."]
    ok = UploadForm(files={"document": SimpleUploadedFile("x.png", PNG_BYTES, "image/png")})
    assert ok.is_valid()


def test_extensions_come_from_the_checked_type():
    assert [extension_for(k.content_type) for k in (PDF, JPEG, PNG)] == ["pdf", "jpg", "png"]
    assert extension_for("text/html") == "bin"


def test_validators_compare_by_rules_for_migrations():
    assert UploadValidator() == UploadValidator(allowed=[PDF, JPEG, PNG], max_size=10 * MB)
    assert UploadValidator() != UploadValidator(max_size=MB)
    with pytest.raises(ValueError):
        UploadValidator(allowed=[])
