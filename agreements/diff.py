"""Side-by-side comparison of two revisions, section by section (matched by section key)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class SectionDiff:
    key: str
    heading: str
    old_html: SafeString
    new_html: SafeString
    changed: bool
    added: bool = False
    removed: bool = False


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Old text with deletions marked <del>, new text with insertions marked <ins> (escaped)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - parts escaped above


def compare_revisions(old_sections, new_sections) -> list[SectionDiff]:
    old_by_key = {s.key: s for s in old_sections}
    new_by_key = {s.key: s for s in new_sections}
    keys = [s.key for s in new_sections] + [s.key for s in old_sections if s.key not in new_by_key]
    rows = []
    for key in keys:
        old, new = old_by_key.get(key), new_by_key.get(key)
        old_html, new_html = word_diff(old.text if old else "", new.text if new else "")
        rows.append(
            SectionDiff(
                key=key,
                heading=(new or old).heading,
                old_html=old_html,
                new_html=new_html,
                changed=(old.text if old else None) != (new.text if new else None)
                or (old.heading if old else None) != (new.heading if new else None),
                added=old is None,
                removed=new is None,
            )
        )
    return rows
