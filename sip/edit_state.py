"""A plan's edit form as a state (``bus_portal.concurrency``): what the form was loaded with,
what is saved now, and what the user sent, under the same keys and in the same text form.

Keys are the form's field names (the child's fields included) and one key per row,
"participants:<id>" or "measures:<id>" ("…:new<n>" for a row the user added), whose value holds
the row's fields. Values are the texts the form's widgets take ("" for nothing, "on" for a ticked
box, dates as YYYY-MM-DD, a choice by its id), so a state is also the form's initial data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.forms import BaseForm
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.concurrency import ABSENT, Change, State, sign_state, unsign_state
from sip.forms import CHILD_FIELDS, PLAN_FIELDS, ChildFieldsMixin
from sip.models import Plan, SipMeeting

ROW_FIELDS = {
    "participants": ["kind", "unit", "name", "role"],
    "measures": [
        "description",
        "principal",
        "unit",
        "other_actor",
        "responsible",
        "responsible_user",
        "starts_on",
        "ends_on",
    ],
}


def _salt(plan: Plan) -> str:
    return f"sip.plan-edit-base:{plan.pk}"


def sign(plan: Plan, state: State) -> str:
    return sign_state(state, salt=_salt(plan))


def unsign(plan: Plan, text: str) -> State | None:
    return unsign_state(text, salt=_salt(plan))


def _text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def _attribute(obj: models.Model, name: str) -> Any:
    """A field's value; a foreign key's as its id, without loading the row."""
    key = f"{name}_id"
    return getattr(obj, key) if hasattr(obj, key) else getattr(obj, name)


def saved_state(plan: Plan) -> State:
    """The plan as its edit form shows it when opened."""
    child = ChildFieldsMixin.initial_from_child(plan.child)
    state: State = {name: _text(child.get(name)) for name in CHILD_FIELDS}
    state["personal_number"] = plan.child.personal_number
    for name in PLAN_FIELDS:
        state[name] = _text(_attribute(plan, name))
    for prefix, rows in (
        ("participants", plan.participants.all()),
        ("measures", plan.measures.all()),
    ):
        for row in rows:
            state[f"{prefix}:{row.pk}"] = {
                name: _text(_attribute(row, name)) for name in ROW_FIELDS[prefix]
            }
    return state


def posted_state(form: BaseForm, participants: Any, measures: Any) -> State:
    """What the user sent (validated), in the same form as ``saved_state``."""
    state: State = {name: _text(form.cleaned_data.get(name)) for name in CHILD_FIELDS}
    state.update({name: _text(form.cleaned_data.get(name)) for name in PLAN_FIELDS})
    for prefix, formset in (("participants", participants), ("measures", measures)):
        for number, row in enumerate(formset.rows(), start=1):
            key = f"{prefix}:{row['id']}" if row.get("id") else f"{prefix}:new{number}"
            state[key] = {name: _text(row.get(name)) for name in ROW_FIELDS[prefix]}
    return state


def form_initial(state: State, saved: State) -> tuple[dict, list[dict], list[dict]]:
    """Initial data for the plan form and its two formsets from a state.

    A row keeps its id only while the saved plan has it: a row the other person removed and the
    user changed comes back as a new row.
    """
    initial = {name: value for name, value in state.items() if ":" not in name}
    number = initial.get("personal_number", "")
    if len(number) == 12:
        initial["personal_number"] = f"{number[:8]}-{number[8:]}"
    rows: dict[str, list[dict]] = {"participants": [], "measures": []}
    for key, values in state.items():
        prefix, _sep, row_id = key.partition(":")
        if prefix in rows:
            kept = row_id.isdigit() and key in saved
            rows[prefix].append({"id": int(row_id) if kept else None, **values})
    return initial, rows["participants"], rows["measures"]


class Describer:
    """Labels and texts for a state's keys, in the reader's language, for the conflict page."""

    def __init__(
        self,
        form: BaseForm,
        units: dict[str, str],
        principals: dict[str, str],
        users: dict[str, str] | None = None,
    ):
        self.labels = {name: str(bound.label) for name, bound in form.fields.items()}
        self.units, self.principals, self.users = units, principals, users or {}

    def label(self, change: Change) -> str:
        prefix, _sep, _id = change.key.partition(":")
        if prefix == "participants":
            return _("Participant")
        if prefix == "measures":
            return _("Measure")
        return self.labels.get(change.key, change.key)

    def text(self, key: str, value: Any) -> str:
        if value is ABSENT:
            return _("(no such row)")
        prefix = key.partition(":")[0]
        if prefix == "participants":
            where = self.units.get(value.get("unit", ""), "")
            details = ", ".join(part for part in (value.get("role", ""), where) if part)
            return f"{value.get('name', '')} ({details})" if details else value.get("name", "")
        if prefix == "measures":
            provider = self.units.get(value.get("unit", ""), "") or self.principals.get(
                value.get("principal", ""), value.get("other_actor", "")
            )
            period = f"{value.get('starts_on', '')}–{value.get('ends_on', '')}"
            parts = [value.get("description", ""), provider, value.get("responsible", "")]
            person = self.users.get(value.get("responsible_user", ""), "")
            if person:
                parts.append(_("in the portal: %(name)s") % {"name": person})
            return " | ".join([*parts, period]) if period != "–" else " | ".join(parts)
        if key == "overall_principal":
            return self.principals.get(value, value)
        if key == "protected_identity" or key == "no_measures_by_others":
            return _("Yes") if value else _("No")
        if key == "personal_number" and len(value) == 12:
            return f"{value[:8]}-{value[8:]}"
        return value

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


# A SIP meeting's edit form ------------------------------------------------------------------

#: The meeting's own fields on its edit form, and the one key for who is invited (read-only on
#: the form, which only invites more: the other person's new invitations show as their change).
MEETING_FIELDS = ["date", "starts", "ends", "place", "video_link"]


def _meeting_salt(meeting: SipMeeting) -> str:
    return f"sip.meeting-edit-base:{meeting.pk}"


def sign_meeting(meeting: SipMeeting, state: State) -> str:
    return sign_state(state, salt=_meeting_salt(meeting))


def unsign_meeting(meeting: SipMeeting, text: str) -> State | None:
    return unsign_state(text, salt=_meeting_salt(meeting))


def meeting_state(meeting: SipMeeting) -> State:
    """The meeting as its edit form shows it when opened."""
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    invited = sorted(
        i.invitee for i in meeting.invitations.select_related("user", "unit__principal")
    )
    return {
        "date": start.date().isoformat(),
        "starts": f"{start:%H:%M}",
        "ends": f"{end:%H:%M}",
        "place": meeting.place,
        "video_link": meeting.video_link,
        "invited": "\n".join(invited),
    }


def posted_meeting_state(form: BaseForm, base: State | None, saved: State) -> State:
    """What the user sent, in the same form as ``meeting_state``; who is invited is what the
    form was opened with (the form cannot remove anyone)."""
    data = form.cleaned_data
    state: State = {name: _text(data.get(name)) for name in ("date", "place", "video_link")}
    for name in ("starts", "ends"):
        value = data.get(name)
        state[name] = f"{value:%H:%M}" if isinstance(value, datetime.time) else ""
    state["invited"] = (base or saved).get("invited", "")
    return state


def describe_meeting(form: BaseForm, changes: list[Change]) -> list[dict[str, Any]]:
    """The conflict page's rows for a meeting's changes."""
    labels = {name: str(field.label) for name, field in form.fields.items()}
    labels["invited"] = _("Invited")
    return [
        {
            "label": labels.get(change.key, change.key),
            "base": "" if change.base is ABSENT else change.base,
            "theirs": "" if change.theirs is ABSENT else change.theirs,
            "yours": "" if change.yours is ABSENT else change.yours,
            "conflict": change.conflict,
        }
        for change in changes
    ]
