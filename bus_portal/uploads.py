"""Checking uploaded files by their content, never by their name or the browser's claimed type.

An ``UploadValidator`` names the kinds of file it allows and a size limit. It works as a form
field validator (``forms.FileField(validators=[check], allow_empty_file=True)``, so that an empty
file gets its message rather than Django's) or in ``clean_<field>`` and in services, where
``check(file)`` answers the ``FileKind`` the content turned out to be. Store that kind's
``content_type`` and serve the file as an attachment with it (``X-Content-Type-Options: nosniff``).

Consent documents allow PDF, JPEG and PNG up to 10 MB; an app that needs other kinds (Office
documents for agreements) defines a ``FileKind`` with its signatures and passes its own allow-list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    """A kind of file recognised by its first bytes (its "magic number")."""

    label: str  # the format's own name, shown in messages: "PDF"
    content_type: str
    extension: str
    signatures: tuple[bytes, ...]

    def matches(self, head: bytes) -> bool:
        return any(head.startswith(signature) for signature in self.signatures)


PDF = FileKind("PDF", "application/pdf", "pdf", (b"%PDF-",))
JPEG = FileKind("JPEG", "image/jpeg", "jpg", (b"\xff\xd8\xff",))
PNG = FileKind("PNG", "image/png", "png", (b"\x89PNG\r\n\x1a\n",))

#: Documents and scans a case officer attaches: a PDF or a photo of a signed paper.
DOCUMENTS_AND_IMAGES: tuple[FileKind, ...] = (PDF, JPEG, PNG)

# Enough to hold the longest signature.
_HEAD_BYTES = 16


def extension_for(content_type: str, default: str = "bin") -> str:
    """The file name extension of a content type this module knows (for generated file names)."""
    for kind in DOCUMENTS_AND_IMAGES:
        if kind.content_type == content_type:
            return kind.extension
    return default


def _read_head(file: File) -> bytes:
    # Leave the file where it was: the storage saves it from the start afterwards.
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    return head if isinstance(head, bytes) else head.encode()


@deconstructible
class UploadValidator:
    """Accept only files whose content is one of ``allowed``, not empty and at most ``max_size``."""

    def __init__(
        self, allowed: Sequence[FileKind] = DOCUMENTS_AND_IMAGES, max_size: int = 10 * MB
    ) -> None:
        if not allowed:
            raise ValueError("An upload validator needs at least one allowed kind of file.")
        self.allowed = tuple(allowed)
        self.max_size = max_size

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.allowed == other.allowed
            and self.max_size == other.max_size
        )

    def __hash__(self) -> int:
        return hash((self.allowed, self.max_size))

    def __call__(self, file: File) -> str:
        """Validate ``file``; the content type its content was found to be."""
        return self.check(file).content_type

    def check(self, file: File) -> FileKind:
        """The kind of the file's content, or a ``ValidationError`` that says what is allowed.

        The error codes differ from ``forms.FileField``'s own ("empty"), which would replace the
        message with Django's when used as a field validator.
        """
        size = file.size or 0
        if size == 0:
            raise ValidationError(
                _("The file is empty. Upload %(allowed)s.") % {"allowed": self.describe()},
                code="empty_file",
            )
        if size > self.max_size:
            raise ValidationError(
                _("The file is %(size)s, larger than allowed. Upload %(allowed)s.")
                % {"size": filesizeformat(size), "allowed": self.describe()},
                code="file_too_large",
            )
        head = _read_head(file)
        for kind in self.allowed:
            if kind.matches(head):
                return kind
        raise ValidationError(
            _("The file's content is not %(kinds)s, whatever its name. Upload %(allowed)s.")
            % {"kinds": self.kinds_text(), "allowed": self.describe()},
            code="file_type",
        )

    def kinds_text(self) -> str:
        """The allowed kinds as a list in words: "PDF, JPEG or PNG"."""
        labels = [kind.label for kind in self.allowed]
        if len(labels) == 1:
            return labels[0]
        return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}

    def describe(self) -> str:
        """What the user may upload, in the active language: "PDF, JPEG or PNG, at most 10 MB"."""
        return _("%(kinds)s, at most %(size)s MB") % {
            "kinds": self.kinds_text(),
            "size": f"{self.max_size / MB:g}",
        }

    @property
    def help_text(self) -> Any:
        """``describe()`` evaluated when shown, for a form field declared at import time."""
        return lazy(self.describe, str)()
