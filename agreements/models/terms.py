"""Terms (VT January–June, HT July–December): the period meeting rules are counted in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, order=True)
class Term:
    year: int
    half: int  # 1 = VT (spring), 2 = HT (autumn)

    @classmethod
    def of(cls, date: datetime.date) -> Term:
        return cls(date.year, 1 if date.month <= 6 else 2)

    @classmethod
    def parse(cls, code: str) -> Term | None:
        """'VT2025' or 'HT2024'; None for anything else."""
        code = (code or "").strip().upper()
        if len(code) != 6 or code[:2] not in {"VT", "HT"} or not code[2:].isdigit():
            return None
        return cls(int(code[2:]), 1 if code[:2] == "VT" else 2)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    @property
    def code(self) -> str:
        return f"{'VT' if self.half == 1 else 'HT'}{self.year}"

    @property
    def label(self) -> str:
        kind = _("Spring term") if self.half == 1 else _("Autumn term")
        return f"{kind} {self.year}"

    def previous(self) -> Term:
        return Term(self.year - 1, 2) if self.half == 1 else Term(self.year, 1)

    def next(self) -> Term:
        return Term(self.year, 2) if self.half == 1 else Term(self.year + 1, 1)

    def __contains__(self, date: datetime.date) -> bool:
        return self.start <= date <= self.end

    def __str__(self) -> str:
        return self.code
