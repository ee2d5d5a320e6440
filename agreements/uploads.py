"""What an agreement's attachment may be, by its content: PDF, Office documents, JPEG and PNG.

``bus_portal.uploads`` recognises a file by its first bytes, which is enough for PDF, JPEG and
PNG. Office documents need a look inside: a .docx, .xlsx or .pptx is a zip archive (as is any
zip, and .docm with macros) whose ``[Content_Types].xml`` names the main part; a .doc or .xls is
an OLE compound file (as are .msi installers and .msg mails) whose directory names a
``WordDocument`` or ``Workbook`` stream. This module reads exactly that much, and uses
``bus_portal.uploads`` for the rest.
"""

from __future__ import annotations

import struct
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bus_portal.uploads import JPEG, MB, PDF, PNG, FileKind, UploadValidator

MAX_SIZE = 20 * MB

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

DOCX = FileKind(
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    (ZIP_MAGIC,),
)
XLSX = FileKind(
    "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    (ZIP_MAGIC,),
)
PPTX = FileKind(
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    (ZIP_MAGIC,),
)
DOC = FileKind("Word 97–2003", "application/msword", "doc", (OLE_MAGIC,))
XLS = FileKind("Excel 97–2003", "application/vnd.ms-excel", "xls", (OLE_MAGIC,))

ALLOWED: tuple[FileKind, ...] = (PDF, DOCX, XLSX, PPTX, DOC, XLS, JPEG, PNG)

# The main part's content type in [Content_Types].xml, for each Office Open XML kind. A
# macro-enabled document (.docm, .xlsm, .pptm) names another type and is not accepted.
_OOXML_MAIN_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_VBA_TYPE = b"application/vnd.ms-office.vbaProject"
# [Content_Types].xml is a few kilobytes; a larger one is not read (a zip bomb stays packed).
_MAX_CONTENT_TYPES_SIZE = 256 * 1024

# The streams that make an OLE compound file a Word or an Excel document.
_OLE_STREAMS = {"WordDocument": DOC, "Workbook": XLS, "Book": XLS}

HELP_TEXT = gettext_lazy(
    "PDF, Word (.docx, .doc), Excel (.xlsx, .xls), PowerPoint (.pptx), JPEG or PNG, at most 20 MB."
)

_PDF_AND_IMAGES = UploadValidator(allowed=(PDF, JPEG, PNG), max_size=MAX_SIZE)


def extension_for(content_type: str, default: str = "bin") -> str:
    """The file name extension for a content type an attachment may have."""
    for kind in ALLOWED:
        if kind.content_type == content_type:
            return kind.extension
    return default


def _ooxml_kind(file: File) -> FileKind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_SIZE:
                return None
            content_types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    if _VBA_TYPE in content_types:
        return None
    for main_type, kind in _OOXML_MAIN_TYPES.items():
        if b'ContentType="' + main_type + b'"' in content_types:
            return kind
    return None


def _ole_stream_names(file: File, size: int) -> set[str]:
    """The names in an OLE compound file's directory (MS-CFB), read through its sector chains."""
    file.seek(0)
    header = file.read(512)
    if len(header) < 512 or not header.startswith(OLE_MAGIC):
        return set()
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return set()
    sector_size = 1 << shift
    sectors = max((size - 512) // sector_size, 0) + 1
    first_directory, _mini_cutoff = struct.unpack_from("<II", header, 0x30)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)

    def read_sector(number: int) -> bytes:
        if number >= sectors:
            raise ValueError("sector out of range")
        file.seek((number + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) < sector_size:
            raise ValueError("short sector")
        return data

    per_sector = sector_size // 4
    fat_sectors = [n for n in struct.unpack_from("<109I", header, 0x4C) if n < 0xFFFFFFFA]
    next_difat, seen = first_difat, 0
    while next_difat < 0xFFFFFFFA and seen < min(difat_count, sectors):
        entries = struct.unpack(f"<{per_sector}I", read_sector(next_difat))
        fat_sectors.extend(n for n in entries[:-1] if n < 0xFFFFFFFA)
        next_difat, seen = entries[-1], seen + 1
    fat: list[int] = []
    for number in fat_sectors[:sectors]:
        fat.extend(struct.unpack(f"<{per_sector}I", read_sector(number)))

    names: set[str] = set()
    current, steps = first_directory, 0
    while current < 0xFFFFFFFA and current < len(fat) and steps < sectors:
        data = read_sector(current)
        for offset in range(0, sector_size, 128):
            length = struct.unpack_from("<H", data, offset + 0x40)[0]
            kind = data[offset + 0x42]
            if kind == 2 and 2 <= length <= 64:  # a stream
                names.add(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
        current, steps = fat[current], steps + 1
    return names


def _ole_kind(file: File, size: int) -> FileKind | None:
    try:
        names = _ole_stream_names(file, size)
    except (ValueError, struct.error, OSError):
        return None
    finally:
        file.seek(0)
    for stream, kind in _OLE_STREAMS.items():
        if stream in names:
            return kind
    return None


def _head(file: File) -> bytes:
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    return head if isinstance(head, bytes) else head.encode()


@deconstructible
class AttachmentValidator:
    """Accept PDF, Office documents, JPEG and PNG by content, not empty and at most 20 MB.

    As a form field validator (``forms.FileField(validators=[ATTACHMENT],
    allow_empty_file=True)``), or ``check(file)`` in a service for the ``FileKind`` it is.
    """

    max_size = MAX_SIZE

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AttachmentValidator)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, file: File) -> str:
        return self.check(file).content_type

    def check(self, file: File) -> FileKind:
        size = file.size or 0
        if size == 0:
            raise ValidationError(
                _("The file is empty. Upload %(allowed)s") % {"allowed": HELP_TEXT},
                code="empty_file",
            )
        if size > self.max_size:
            raise ValidationError(
                _(
                    "The file is %(size)s; an attachment may be at most 20 MB. Make it smaller "
                    "(scan at a lower resolution, or split it in parts) and upload it again."
                )
                % {"size": filesizeformat(size)},
                code="file_too_large",
            )
        try:
            return _PDF_AND_IMAGES.check(file)
        except ValidationError as error:
            if error.code != "file_type":
                raise
        head = _head(file)
        kind = None
        if head.startswith(ZIP_MAGIC):
            kind = _ooxml_kind(file)
        elif head.startswith(OLE_MAGIC):
            kind = _ole_kind(file, size)
        if kind is None:
            raise ValidationError(
                _(
                    "The file's content is not an allowed kind of file, whatever its name. Upload %(allowed)s"
                )
                % {"allowed": HELP_TEXT},
                code="file_type",
            )
        return kind


ATTACHMENT = AttachmentValidator()


def check(file: Any) -> FileKind:
    """The kind of an uploaded attachment, or a ``ValidationError`` saying what is allowed."""
    return ATTACHMENT.check(file)
