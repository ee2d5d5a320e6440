"""Swedish personal identity numbers: personnummer and samordningsnummer.

``stdnum.se.personnummer`` checks the Luhn digit and the birth date, but rejects samordningsnummer
(coordination numbers), whose day of birth is increased by 60. We add that case here and always
store the number as 12 digits (YYYYMMDDNNNN) so the same child is found however it was typed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import personnummer

COORDINATION_DAY_OFFSET = 60


class InvalidIdentityNumber(ValueError):
    """The text is not a valid personnummer or samordningsnummer."""


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # always 12 digits
    is_coordination_number: bool
    birth_date: datetime.date

    @property
    def formatted(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"


def parse(value: str, *, today: datetime.date | None = None) -> IdentityNumber:
    """Validate a personnummer or samordningsnummer given with 10 or 12 digits, with or without
    '-' or '+'; raise InvalidIdentityNumber otherwise."""
    try:
        compact = personnummer.compact(value or "")
    except Exception as exc:  # noqa: BLE001 - stdnum raises several types on garbage
        raise InvalidIdentityNumber(str(value)) from exc
    if len(compact) not in (11, 13) or compact[-5] not in "-+":
        raise InvalidIdentityNumber(value)
    date_part, serial = compact[:-5], compact[-4:]
    if not (date_part + serial).isdigit():
        raise InvalidIdentityNumber(value)
    day = int(date_part[-2:])
    coordination = day > COORDINATION_DAY_OFFSET
    if coordination:
        date_part = f"{date_part[:-2]}{day - COORDINATION_DAY_OFFSET:02d}"
    try:
        # stdnum resolves the century of 10-digit numbers ('+' = 100 years or older).
        birth = personnummer.get_birth_date(f"{date_part}{compact[-5]}{serial}")
    except StdnumError as exc:
        raise InvalidIdentityNumber(value) from exc
    if today is not None and birth > today:
        raise InvalidIdentityNumber(value)
    ten = compact[:-5][-6:] + serial
    try:
        luhn.validate(ten)
    except StdnumError as exc:
        raise InvalidIdentityNumber(value) from exc
    stored_day = birth.day + (COORDINATION_DAY_OFFSET if coordination else 0)
    digits = f"{birth:%Y%m}{stored_day:02d}{serial}"
    return IdentityNumber(digits=digits, is_coordination_number=coordination, birth_date=birth)


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except InvalidIdentityNumber:
        return False
    return True
