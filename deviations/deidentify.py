"""De-identification of free text: deviation reports never hold a child's personal data.

* Identity numbers (personnummer and samordningsnummer) are *refused*, however they are written.
  The text is first normalised (``normalise``): Unicode compatibility forms (NFKC: full-width and
  other digit forms, the no-break and thin spaces), every dash and minus sign, every kind of
  white space (a line break typed with Enter arrives as CR LF), invisible format characters and
  combining marks. On that text a candidate is a date of 6 or 8 digits, grouped or not (``14 03
  05``, ``14.03.05``, ``2012-03-15``; the same separator between the groups), then a sign or
  white space, then 4 serial digits (possibly split once: ``23 82``), never part of a longer run
  of digits. Each candidate is checked with the real date rules and checksum, so numbers that
  fail it (order numbers, phone numbers …) are allowed. Positions are reported in the text as
  written, so a refusal can say where the number is without repeating it.
* Likely first names and dates of birth only *warn*: the reporter decides, and confirms that no
  child can be identified.

python-stdnum's ``se.personnummer`` validates personnummer (including the ``+`` of people aged
100 and more) but rejects samordningsnummer, whose day is the birth day plus 60, because it reads
the date literally. We check those ourselves with stdnum's Luhn.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stdnum import luhn
from stdnum.se import personnummer

# --- normalisation ---------------------------------------------------------------------------
# Minus signs and dashes that are not "dash punctuation" (category Pd) in Unicode.
_MINUS_SIGNS = frozenset("\u2212\u02d7\u2796\u2043\u00af")
_DOTS = frozenset(".\u00b7\u2219\u22c5")
_SLASHES = frozenset("/\u2044\u2215\u29f8")


def _normal_char(char: str) -> str:
    """One character of the text, as the identity-number search reads it ("" drops it)."""
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category == "Pd" or char in _MINUS_SIGNS:
        return "-"
    if category in ("Cf", "Mn", "Me"):
        # Zero-width spaces, soft hyphens, joiners, combining marks (a struck-through digit).
        return ""
    if char in _DOTS:
        return "."
    if char in _SLASHES:
        return "/"
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)  # Arabic-Indic, Devanagari … digits
    return char


@dataclass(frozen=True)
class Normalised:
    """The normalised text and, for each of its characters, its index in the original text."""

    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for the normalised ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    """NFKC, then one class per character: white space, dashes, dots, slashes, digits.

    Characters are normalised one at a time, so every normalised character knows where it came
    from (NFKC may turn one character into several: "½" into "1⁄2").
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text or ""):
        if char.isascii() and not char.isspace():
            chars.append(char)
            origin.append(index)
            continue
        for part in unicodedata.normalize("NFKC", char):
            normal = _normal_char(part)
            for piece in normal:
                chars.append(piece)
                origin.append(index)
    return Normalised("".join(chars), origin)


# --- identity numbers ------------------------------------------------------------------------
# Between the groups of a date: nothing, or the same one separator (with white space around).
_SEP = r"(?P<sep> {0,3}[.\-/] {0,3}| {1,3}|)"
_SAME = r"(?P=sep)"
# Between the date and the serial: white space (a line break), a sign, or both.
_MIDDLE = r"(?P<middle>[ ]{0,4}[-+/.]?[ ]{0,4})"
# The serial: four digits, possibly split once ("23 82").
_SERIAL = r"(?P<serial>\d{4}|\d[ ]{1,2}\d{3}|\d{2}[ ]{1,2}\d{2}|\d{3}[ ]{1,2}\d)"
# Not followed by more digits, nor by the rest of a date or a range ("2026-03-10–2026-04-10").
_END = r"(?!\d)(?![.\-/]\d)"
_DATE8 = re.compile(
    r"(?P<y1>\d{2})(?P<century> ?)(?P<y2>\d{2})"
    + _SEP
    + r"(?P<m>\d{2})"
    + _SAME
    + r"(?P<d>\d{2})"
    + _MIDDLE
    + _SERIAL
    + _END
)
_DATE6 = re.compile(
    r"(?P<y2>\d{2})" + _SEP + r"(?P<m>\d{2})" + _SAME + r"(?P<d>\d{2})" + _MIDDLE + _SERIAL + _END
)
_STARTS = re.compile(r"(?<!\d)\d")

KINDS = ("personnummer", "samordningsnummer")


@dataclass(frozen=True)
class IdentityNumber:
    kind: str  # "personnummer" or "samordningsnummer"
    start: int  # in the text as written
    end: int
    line: int  # 1-based, in the text as written
    column: int  # 1-based character in that line


def _valid_date(year: int | None, month: int, day: int) -> bool:
    years = [year] if year is not None else [2000, 1996]  # 1996/2000: leap years for 29 Feb
    for y in years:
        try:
            datetime.date(y, month, day)
        except ValueError:
            continue
        return True
    return False


def classify(date_digits: str, serial: str, sign: str = "-") -> str | None:
    """'personnummer', 'samordningsnummer' or None for one candidate (checksum and date)."""
    ten = date_digits[-6:] + serial
    if not luhn.is_valid(ten):
        return None
    year = int(date_digits[:4]) if len(date_digits) == 8 else None
    if year is not None and not 1800 <= year <= 2099:
        return None
    month, day = int(date_digits[-4:-2]), int(date_digits[-2:])
    if personnummer.is_valid(f"{date_digits}{'+' if sign == '+' else '-'}{serial}"):
        return "personnummer"
    if day > 60 and _valid_date(year, month, day - 60):
        return "samordningsnummer"
    if day <= 31 and _valid_date(year, month, day):
        # stdnum rejects a 10-digit number whose date lies in the future for this century;
        # the number is still a well-formed identity number, so it is refused too.
        return "personnummer"
    return None


def _candidate(normal: str, position: int) -> tuple[re.Match[str], str] | None:
    """The identity number starting at ``position`` of the normalised text, with its kind."""
    for pattern in (_DATE8, _DATE6):
        match = pattern.match(normal, position)
        if match is None:
            continue
        groups = match.groupdict()
        date = (groups.get("y1") or "") + groups["y2"] + groups["m"] + groups["d"]
        serial = groups["serial"].replace(" ", "")
        kind = classify(date, serial, "+" if "+" in groups["middle"] else "-")
        if kind:
            return match, kind
    return None


def find_identity_numbers(text: str) -> list[IdentityNumber]:
    """Every personnummer or samordningsnummer in the text that passes the checksum, however
    it is written; positions are in ``text`` as given."""
    if not text:
        return []
    normalised = normalise(text)
    normal = normalised.text
    found = []
    position = 0
    for start in _STARTS.finditer(normal):
        if start.start() < position:
            continue
        hit = _candidate(normal, start.start())
        if hit is None:
            continue
        match, kind = hit
        begin, end = normalised.span(match.start(), match.end())
        line = text.count("\n", 0, begin) + 1
        column = begin - (text.rfind("\n", 0, begin) + 1) + 1
        found.append(IdentityNumber(kind=kind, start=begin, end=end, line=line, column=column))
        position = match.end()
    return found


def replace_identity_numbers(text: str, replacement: str) -> str:
    """The text with every identity number replaced by ``replacement``."""
    hits = find_identity_numbers(text)
    for hit in reversed(hits):
        text = text[: hit.start] + replacement + text[hit.end :]
    return text


def excerpt(
    text: str,
    hit: IdentityNumber,
    hits: list[IdentityNumber],
    placeholders: dict[str, str],
    *,
    width: int = 24,
) -> str:
    """A few words around ``hit`` on one line, each identity number of ``hits`` in it replaced
    by the placeholder for its kind: where the number is, without repeating it."""
    begin = max(0, hit.start - width)
    end = min(len(text), hit.end + width)
    # Whole words at the edges (within reason).
    while begin > 0 and not text[begin - 1].isspace() and hit.start - begin < width + 12:
        begin -= 1
    while end < len(text) and not text[end].isspace() and end - hit.end < width + 12:
        end += 1
    # A number the window cuts through is taken in whole, so none of its digits shows.
    for other in hits:
        if other.start < begin < other.end:
            begin = other.start
        if other.start < end < other.end:
            end = other.end
    parts = []
    cursor = begin
    for other in sorted(hits, key=lambda h: h.start):
        if other.end <= begin or other.start >= end:
            continue
        parts.append(text[cursor : other.start])
        parts.append(placeholders.get(other.kind, "[…]"))
        cursor = other.end
    parts.append(text[cursor:end])
    shown = " ".join("".join(parts).split())
    return ("…" if begin > 0 else "") + shown + ("…" if end < len(text) else "")


# --- names and dates of birth (warnings) --------------------------------------------------------
_WORD = re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?\b")
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_DATE = (
    r"(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{6}|\d{1,2}/\d{1,2}(?:[ -]\d{2,4})?|\d{1,2} (?:"
    + _MONTHS
    + r")(?: \d{4})?|(?:19|20)\d{2})"
)
_BIRTH = re.compile(
    r"\b(?:född|född den|föddes|födelsedatum|födelseår|f\.|born)\s*(?:den |år |:)?\s*" + _DATE,
    re.IGNORECASE,
)
_BARE_DATE = re.compile(r"(?<![\d-])((?:19|20)\d{2})(\d{2})(\d{2})(?![\d-])")


@cache
def first_names() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "first_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def likely_names(text: str) -> list[str]:
    """Capitalised words that are common Swedish first names, in order, without repeats."""
    names = first_names()
    seen: list[str] = []
    for match in _WORD.finditer(text or ""):
        word = match.group(0)
        if any(part.casefold() in names for part in word.split("-")) and word not in seen:
            seen.append(word)
    return seen


def likely_birth_dates(text: str) -> list[str]:
    """Phrases that look like a date of birth ("född 2014-03-05", a bare 20140305)."""
    normal = normalise(text).text
    hits = [m.group(0) for m in _BIRTH.finditer(normal)]
    for m in _BARE_DATE.finditer(normal):
        if (
            _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            and m.group(0) not in hits
        ):
            hits.append(m.group(0))
    return hits
