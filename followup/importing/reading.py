"""Reading the uploaded file: its encoding, its column separator and the values in a cell."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from followup.importing.errors import _refuse

#: Column separators, in the order a tie is decided: Excel uses ";" where "," is the decimal mark.
SEPARATORS = [";", ",", "\t"]
#: Several areas or answer codes in one cell: "Södertälje;Salem" or "bup, school".
VALUE_SEPARATOR = re.compile(r"[;,]")
#: Characters no text file has (tab, line feed and carriage return are fine).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Swedish letters written as UTF-8 and read as Windows-1252 ("Ã¤" for "ä").
UTF8_READ_AS_1252 = re.compile("Ã[¥¤¶…„–©]")


def _line_of(content: bytes, offset: int) -> int:
    return content[:offset].count(b"\n") + 1


def decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or Windows-1252, as Swedish Excel saves "CSV";
    anything else is refused, naming the line where it goes wrong."""
    if content.startswith(b"PK\x03\x04"):
        raise _refuse(
            1,
            _(
                "This is an Excel workbook, not a CSV file. In Excel, choose Save as and the type "
                "“CSV UTF-8 (kommaavgränsad)”."
            ),
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(
            1,
            _(
                "The file is saved as UTF-16 (“Unicode text”). In Excel, choose Save as and the "
                "type “CSV UTF-8 (kommaavgränsad)”."
            ),
        )
    if b"\x00" in content:
        raise _refuse(
            _line_of(content, content.index(b"\x00")),
            _("The file contains binary data and is not a CSV file. Save it as CSV UTF-8."),
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        unreadable = _refuse(
            _line_of(content, utf8_error.start),
            _(
                "The file is neither UTF-8 nor Windows-1252 (the text on this line cannot be "
                "read). Save it as “CSV UTF-8 (kommaavgränsad)”."
            ),
        )
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise unreadable from None
        if UTF8_READ_AS_1252.search(text):
            # UTF-8 with a broken byte: read as Windows-1252 every å, ä and ö would be garbled.
            raise unreadable from None
    control = CONTROL_CHARACTERS.search(text)
    if control:
        raise _refuse(
            text.count("\n", 0, control.start()) + 1,
            _("The line contains control characters that do not belong in a CSV file."),
        )
    return text


def detect_separator(text: str) -> str:
    """The column separator: the one of ``;``, ``,`` and tab used most in the header line."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {separator: header.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _separator_name(separator: str) -> str:
    return {";": _("semicolon (;)"), ",": _("comma (,)"), "\t": _("tab")}[separator]


def _values(cell: str) -> list[str]:
    return [value.strip() for value in VALUE_SEPARATOR.split(cell) if value.strip()]
