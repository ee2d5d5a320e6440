"""De-identification of free text: deviation reports never hold a child's personal data.

* Identity numbers (personnummer and samordningsnummer) are *refused*: every common written form
  (10 or 12 digits, with or without ``-``/``+``, or a space) is found and checked with the real
  checksum. Numbers that fail the checksum are allowed (order numbers, phone numbers ...).
* Likely first names and dates of birth only *warn*: the reporter decides, and confirms that no
  child can be identified.

python-stdnum's ``se.personnummer`` validates personnummer (including the ``+`` of people aged
100 and more) but rejects samordningsnummer, whose day is the birth day plus 60, because it reads
the date literally. We check those ourselves with stdnum's Luhn.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stdnum import luhn
from stdnum.se import personnummer

# 6 or 8 date digits, an optional separator (dash, plus, or a space, possibly around the sign),
# and 4 serial digits; never part of a longer digit run.
_CANDIDATE = re.compile(r"(?<![\d])(\d{8}|\d{6})(?:\s?[-+]\s?|\s)?(\d{4})(?![\d])")
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


@dataclass(frozen=True)
class IdentityNumber:
    kind: str  # "personnummer" or "samordningsnummer"
    start: int
    end: int


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


def find_identity_numbers(text: str) -> list[IdentityNumber]:
    """Every personnummer or samordningsnummer in the text that passes the checksum."""
    found = []
    for match in _CANDIDATE.finditer(text or ""):
        separator = match.group(0)[len(match.group(1)) : -4]
        kind = classify(match.group(1), match.group(2), "+" if "+" in separator else "-")
        if kind:
            found.append(IdentityNumber(kind=kind, start=match.start(), end=match.end()))
    return found


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
    hits = [m.group(0) for m in _BIRTH.finditer(text or "")]
    for m in _BARE_DATE.finditer(text or ""):
        if (
            _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            and m.group(0) not in hits
        ):
            hits.append(m.group(0))
    return hits
