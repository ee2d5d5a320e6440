"""Extension points that let a later app feed an earlier one without importing backwards.

``agreements`` must not import ``sip``; yet escalated individforum cases belong on the local
steering group's next agenda. So ``agreements`` asks every provider in
``settings.BUS_AGENDA_PROVIDERS`` (``provider(local_group) -> list[AgendaSuggestion]``) when it
builds a meeting's agenda, and ``sip`` registers one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class AgendaSuggestion:
    """An item another app asks to put on a body's next agenda. No personal data in the text."""

    title: str
    detail: str = ""
    url: str = ""
    source: str = ""  # e.g. "sip.forumcase:12", so the same item is not added twice


def agenda_suggestions(local_group) -> list[AgendaSuggestion]:
    suggestions: list[AgendaSuggestion] = []
    for path in settings.BUS_AGENDA_PROVIDERS:
        suggestions.extend(import_string(path)(local_group))
    return suggestions
