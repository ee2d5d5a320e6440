"""A report's edit form as a state (``bus_portal.concurrency``): what the form was opened with,
what is saved now, and what the user sent, under the same keys and in the same text form.

Keys are the form's field names; values are the texts the form's widgets take ("" for nothing,
"on" for a ticked box, a date as YYYY-MM-DD, a choice by its id, a multiple choice as a sorted
list of ids), so a state is also the form's initial data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.forms import BaseForm
from django.utils.translation import gettext as _

from bus_portal.concurrency import ABSENT, Change, State, sign_state, unsign_state
from deviations.models import REPORT_FIELDS, Deviation

MULTIPLE = ("counterpart_principals", "counterpart_services")
FIELDS = (*REPORT_FIELDS, *MULTIPLE)


#: The secretariat's review form (``ReviewForm``): its own state, signed with its own salt.
REVIEW_FIELDS = ("regional_action", "regional_action_url", "response")


def _salt(deviation: Deviation, form: str) -> str:
    return f"deviations.deviation-{form}-base:{deviation.pk}"


def sign(deviation: Deviation, state: State, *, form: str = "edit") -> str:
    return sign_state(state, salt=_salt(deviation, form))


def unsign(deviation: Deviation, text: str, *, form: str = "edit") -> State | None:
    return unsign_state(text, salt=_salt(deviation, form))


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


def _ids(values: Any) -> list[str]:
    return sorted(_text(v) for v in values)


def saved_state(deviation: Deviation) -> State:
    """The report as its edit form shows it when opened."""
    state: State = {}
    for name in REPORT_FIELDS:
        key = f"{name}_id"
        state[name] = _text(
            getattr(deviation, key) if hasattr(deviation, key) else getattr(deviation, name)
        )
    state["counterpart_principals"] = _ids(
        deviation.counterpart_principals.values_list("pk", flat=True)
    )
    state["counterpart_services"] = _ids(
        deviation.counterpart_services.values_list("service_type", flat=True)
    )
    return state


def review_state(deviation: Deviation) -> State:
    """The secretariat's review as its form shows it when opened."""
    return {name: _text(getattr(deviation, name)) for name in REVIEW_FIELDS}


def posted_review_state(form: BaseForm) -> State:
    return {name: _text(form.cleaned_data.get(name)) for name in REVIEW_FIELDS}


def posted_state(form: BaseForm) -> State:
    """What the user sent (validated), in the same form as ``saved_state``."""
    state: State = {name: _text(form.cleaned_data.get(name)) for name in REPORT_FIELDS}
    for name in MULTIPLE:
        state[name] = _ids(form.cleaned_data.get(name) or [])
    return state


class Describer:
    """Labels and texts for a state's keys, in the reader's language, for the conflict page."""

    def __init__(self, form: BaseForm):
        self.labels = {name: str(bound.label) for name, bound in form.fields.items()}
        self.choices: dict[str, dict[str, str]] = {}
        for name in ("reporter_unit", "area", "category", "regional_action", *MULTIPLE):
            if name not in form.fields:
                continue
            choices = getattr(form.fields[name], "choices", [])
            self.choices[name] = {str(value): str(label) for value, label in choices}

    def text(self, key: str, value: Any) -> str:
        if value is ABSENT:
            return ""
        if key in MULTIPLE:
            return ", ".join(self.choices[key].get(v, v) for v in value)
        if key in self.choices:
            return self.choices[key].get(value, value)
        if key == "is_principled":
            return _("Yes") if value else _("No")
        return value

    def rows(self, changes: list[Change]) -> list[dict[str, Any]]:
        return [
            {
                "label": self.labels.get(change.key, change.key),
                "base": self.text(change.key, change.base),
                "theirs": self.text(change.key, change.theirs),
                "yours": self.text(change.key, change.yours),
                "conflict": change.conflict,
            }
            for change in changes
        ]
