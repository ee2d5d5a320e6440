"""Two people editing one record: what the other changed, and one's own changes on top of it.

An edit form carries the record's version number (refused when it is no longer current) and,
signed, the values it was loaded with: its *base*. When a save is refused because someone else
saved in between, ``three_way`` compares the base with the saved values (*theirs*) and with the
user's input (*yours*): it lists what the other person changed, field by field, and gives the
values for the form shown again — theirs, with the user's own changes on top. Where both changed
the same field, the form holds the user's value and the page shows theirs beside it, so the next
save never replaces the other person's work unseen.

A state is a flat dict of JSON values by key (a field name, or a row such as "measures:12").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core import signing

State = dict[str, Any]


class _Absent:
    """A key missing from a state: a row that was added or removed."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


def sign_state(state: State, *, salt: str) -> str:
    """The state as a tamper-proof text for a hidden form field."""
    return signing.dumps(state, salt=salt, compress=True)


def unsign_state(text: str, *, salt: str) -> State | None:
    """The state signed into ``text``, or None for a missing, altered or foreign one."""
    try:
        state = signing.loads(text or "", salt=salt)
    except signing.BadSignature:
        return None
    return state if isinstance(state, dict) else None


@dataclass(frozen=True)
class Change:
    """One key's values: in the base, saved by the other person, and in the user's input."""

    key: str
    base: Any
    theirs: Any
    yours: Any

    @property
    def conflict(self) -> bool:
        """Both changed the key, differently."""
        return self.theirs != self.base and self.yours != self.base and self.yours != self.theirs


@dataclass
class Merge:
    #: Theirs with the user's changes on top (a conflict takes the user's value).
    state: State
    #: What the other person changed since the base (all of it, when the base is unknown).
    theirs: list[Change] = field(default_factory=list)
    #: What the user changed since the base (what the merged state puts on top of theirs).
    yours: list[Change] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Change]:
        return [change for change in self.theirs if change.conflict]


def three_way(base: State | None, theirs: State, yours: State) -> Merge:
    """Merge the user's input into the saved state, relative to the state the form was loaded with.

    Without a base (a form from before the base was carried, or an altered one), every key where
    the input differs from the saved state counts as changed by both, so each is shown.
    """
    known = base is not None
    base = base if base is not None else {}
    merge = Merge(state={})
    keys = list(theirs) + [key for key in yours if key not in theirs]
    for key in keys:
        saved, mine = theirs.get(key, ABSENT), yours.get(key, ABSENT)
        before = base.get(key, ABSENT) if known else ABSENT
        if not known and saved == mine:
            merge.state[key] = saved
            continue
        change = Change(key=key, base=before, theirs=saved, yours=mine)
        they_changed, you_changed = saved != before, mine != before
        if they_changed:
            merge.theirs.append(change)
        if you_changed:
            merge.yours.append(change)
        value = mine if you_changed else saved
        if value is not ABSENT:
            merge.state[key] = value
    return merge
