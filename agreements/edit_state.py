"""Edit forms of agreements as states (``bus_portal.concurrency``), as ``sip/edit_state.py`` does
for a plan: what a form was loaded with (its base, signed into the form), what is saved now, and
what the user sent, under the form's own field names and in the texts its widgets take.

Values are texts: "" for nothing, dates as YYYY-MM-DD, a choice by its id, several choices as
their ids joined by commas, lines joined by newlines. A state is therefore also the form's initial
data. A revision's text sections are rows, one key per section ("sections:<id>", "sections:new1"
for one the user added) holding its key, heading and text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from agreements.models import Meeting, Revision
from bus_portal.concurrency import ABSENT, Change, State, sign_state, unsign_state

SECTION_FIELDS = ["key", "heading", "text"]


def _salt(obj: models.Model) -> str:
    return f"agreements.edit-base:{obj._meta.label_lower}:{obj.pk}"


def sign(obj: models.Model, state: State) -> str:
    return sign_state(state, salt=_salt(obj))


def unsign(obj: models.Model, text: str) -> State | None:
    return unsign_state(text or "", salt=_salt(obj))


def text(value: Any) -> str:
    """A value as the form's widget takes it."""
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ids(value)
    return str(value)


def ids(values: Iterable[Any]) -> str:
    """Several choices as their ids, sorted, joined by commas."""
    return ",".join(sorted(text(v) for v in values))


def _attribute(obj: models.Model, name: str) -> Any:
    """A field's value; a foreign key's as its id, without loading the row."""
    key = f"{name}_id"
    return getattr(obj, key) if hasattr(obj, key) else getattr(obj, name)


def object_state(obj: models.Model, names: Iterable[str]) -> State:
    """A record as its edit form shows it when opened (the fields ``names``)."""
    return {name: text(_attribute(obj, name)) for name in names}


def form_state(form: forms.BaseForm, names: Iterable[str]) -> State:
    """What the user sent (validated), in the same texts as ``object_state``."""
    return {name: text(form.cleaned_data.get(name)) for name in names}


def initial(state: State) -> dict[str, Any]:
    """A form's initial data from a state (several choices back to a list of ids)."""
    return {name: value for name, value in state.items() if ":" not in name}


# Meetings ------------------------------------------------------------------------------------

MEETING_FIELDS = [
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "host_principal",
    "chair",
    "convenor",
    "attendees",
    "guests",
    "agenda",
    "minutes",
    "decisions",
    "focus_areas",
]
MULTIPLE_FIELDS = {"attendees"}


def meeting_state(meeting: Meeting) -> State:
    """The meeting as its edit form shows it: its fields, members present (ids), guests, the
    agenda typed in (not the items carried in), minutes, decisions and focus areas."""
    attendees = list(meeting.attendees.all())
    decisions = list(meeting.decisions.order_by("position", "id"))
    state = object_state(
        meeting, ["held_on", "starts_at", "ends_at", "place", "host_principal", "chair", "convenor"]
    )
    state.update(
        attendees=ids(a.member_id for a in attendees if a.member_id),
        guests="\n".join(
            f"{a.guest_name}, {a.guest_organisation}" if a.guest_organisation else a.guest_name
            for a in attendees
            if not a.member_id
        ),
        agenda="\n".join(
            a.title for a in meeting.agenda_items.filter(source="").order_by("position", "id")
        ),
        minutes=meeting.minutes,
        decisions="\n".join(d.text for d in decisions if not d.is_focus_area),
        focus_areas="\n".join(d.text for d in decisions if d.is_focus_area),
    )
    return state


def posted_meeting_state(form: forms.BaseForm) -> State:
    data = form.cleaned_data
    state = form_state(
        form, ["held_on", "starts_at", "ends_at", "place", "host_principal", "chair", "convenor"]
    )
    state.update(
        attendees=ids(data.get("attendees") or []),
        guests="\n".join(
            f"{name}, {org}" if org else name for name, org in data.get("guests") or []
        ),
        agenda="\n".join(data.get("agenda") or []),
        minutes=data.get("minutes", ""),
        decisions="\n".join(data.get("decisions") or []),
        focus_areas="\n".join(data.get("focus_areas") or []),
    )
    return state


def meeting_initial(state: State) -> dict[str, Any]:
    values = initial(state)
    for name in MULTIPLE_FIELDS:
        values[name] = [part for part in values.get(name, "").split(",") if part]
    return values


# Revisions -----------------------------------------------------------------------------------

REVISION_FIELDS = [
    "title",
    "adopted_on",
    "decision_body",
    "decision_date",
    "diary_number",
    "valid_from",
    "valid_to",
    "review_date",
    "originals_count",
    "change_summary",
]


def revision_state(revision: Revision) -> State:
    """The revision's terms and its text sections, one row per section."""
    state = object_state(revision, REVISION_FIELDS)
    for section in revision.ordered_sections():
        state[f"sections:{section.pk}"] = {name: getattr(section, name) for name in SECTION_FIELDS}
    return state


def posted_revision_state(form: forms.BaseForm, sections: list[dict[str, Any]]) -> State:
    """The posted terms and the sections kept (``BaseSectionFormSet.sections()``)."""
    state = form_state(form, REVISION_FIELDS)
    for number, row in enumerate(sections, start=1):
        if row.get("delete"):
            continue
        key = f"sections:{row['id']}" if row.get("id") else f"sections:new{number}"
        state[key] = {name: row.get(name, "") for name in SECTION_FIELDS}
    return state


def revision_initial(state: State, saved: State) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Initial data for the revision form and its sections from a state.

    A section keeps its id only while the saved revision has it: one the other person removed
    and the user changed comes back as a new section.
    """
    rows = []
    for key, values in state.items():
        prefix, _sep, row_id = key.partition(":")
        if prefix == "sections":
            kept = row_id.isdigit() and key in saved
            rows.append({"id": int(row_id) if kept else None, **values})
    return initial(state), rows


# The conflict page ---------------------------------------------------------------------------


class Describer:
    """Labels and texts of a state's keys, in the reader's language, for the conflict page."""

    def __init__(self, form: forms.BaseForm):
        self.form = form
        self.labels = {name: str(field.label) for name, field in form.fields.items()}
        self._choices: dict[str, dict[str, str]] = {}

    def choices(self, name: str) -> dict[str, str]:
        if name not in self._choices:
            field = self.form.fields.get(name)
            found: dict[str, str] = {}
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                found = {str(value): str(label) for value, label in field.choices if value != ""}
            self._choices[name] = found
        return self._choices[name]

    def label(self, change: Change) -> str:
        if change.key.startswith("sections:"):
            return _("Section")
        return self.labels.get(change.key, change.key)

    def text(self, key: str, value: Any) -> str:
        if value is ABSENT:
            return _("(no such row)")
        if key.startswith("sections:"):
            return f"{value.get('heading', '')} ({value.get('key', '')}): {value.get('text', '')}"
        known = self.choices(key)
        if known and value:
            return ", ".join(known.get(part, part) for part in str(value).split(","))
        return str(value)

    def rows(self, changes: list[Change]) -> list[dict[str, Any]]:
        return [
            {
                "label": self.label(change),
                "base": self.text(change.key, change.base),
                "theirs": self.text(change.key, change.theirs),
                "yours": self.text(change.key, change.yours),
                "conflict": change.conflict,
            }
            for change in changes
        ]
