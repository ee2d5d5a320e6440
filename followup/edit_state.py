"""The follow-up's edit forms as states (``bus_portal.concurrency``): what a form was loaded with,
what is saved now and what the user sent, under the form's field names and in one text form.

Three forms are edited by two people at times: a local group's answer (``ResponseForm``), the
secretariat's commentary (``CommentaryForm``) and a survey's settings (``SurveyEditForm``). Each
carries the record's version and, signed, the state it was loaded with (``VersionedForm``); a save
against a newer version is refused (``services.StaleEdit``) and the view shows the three-way merge.

Values are what the form's fields take as initial data: "" for nothing, dates as YYYY-MM-DD, a
choice by its code, several choices (or rows by id) as a list in the field's own order.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import models

from bus_portal.concurrency import ABSENT, Change, State, sign_state, three_way, unsign_state


def sign(salt: str, state: State) -> str:
    return sign_state(state, salt=f"followup.edit-base:{salt}")


def unsign(salt: str, text: str) -> State | None:
    return unsign_state(text, salt=f"followup.edit-base:{salt}")


def _pk(value: Any) -> str:
    return str(value.pk if isinstance(value, models.Model) else value)


def value_for(field: forms.Field, value: Any) -> Any:
    """A field's value (initial or cleaned) as it is kept in a state."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        keys = {_pk(item) for item in value or []}
        return sorted(keys, key=lambda key: (len(key), key))
    if isinstance(field, forms.MultipleChoiceField):
        chosen = {str(item) for item in value or []}
        return [str(code) for code, _label in field.choices if str(code) in chosen]
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def state_of(form: forms.BaseForm, values: dict[str, Any], names: list[str]) -> State:
    """The state of ``names`` (fields of ``form``) from ``values`` (initial or cleaned data)."""
    return {name: value_for(form.fields[name], values.get(name)) for name in names}


class VersionedForm(forms.Form):
    """Adds the version and the signed base an edit form carries (both hidden)."""

    lock_version = forms.CharField(widget=forms.HiddenInput, required=False)
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def state_fields(self) -> list[str]:
        """The fields that make up the edit's state (not the version or the base)."""
        return [name for name in self.fields if name not in {"lock_version", "base"}]

    def clean_lock_version(self) -> int:
        # Anything but the number the page was given counts as a version never saved: the save is
        # refused as stale and every difference shown, never a server error.
        text = self.cleaned_data.get("lock_version") or ""
        return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0


class Describer:
    """Labels and texts for a state's keys, in the reader's language, for the page shown on 409."""

    def __init__(self, form: forms.BaseForm):
        self.form = form
        self._names: dict[str, dict[str, str]] = {}

    def _choices(self, name: str) -> dict[str, str]:
        if name not in self._names:
            field = self.form.fields.get(name)
            names: dict[str, str] = {}
            if isinstance(field, forms.ModelChoiceField):
                names = {str(obj.pk): str(obj) for obj in field.queryset}
            elif isinstance(field, forms.ChoiceField):
                names = {str(code): str(label) for code, label in field.choices}
            self._names[name] = names
        return self._names[name]

    def label(self, key: str) -> str:
        field = self.form.fields.get(key)
        return str(field.label) if field is not None and field.label else key

    def text(self, key: str, value: Any) -> str:
        if value is ABSENT:
            return ""
        names = self._choices(key)
        if isinstance(value, list):
            return ", ".join(names.get(str(item), str(item)) for item in value)
        if names:
            return names.get(str(value), str(value))
        return str(value)

    def rows(self, changes: list[Change]) -> list[dict[str, Any]]:
        return [
            {
                "label": self.label(change.key),
                "base": self.text(change.key, change.base),
                "theirs": self.text(change.key, change.theirs),
                "yours": self.text(change.key, change.yours),
                "conflict": change.conflict,
            }
            for change in changes
        ]


class VersionedEditMixin:
    """For an edit view (before ``ServiceFormMixin``) whose form is a ``VersionedForm``: the form
    is loaded with the saved values, the version and the signed base; a ``StaleEdit`` from the
    service is answered with 409, what the other person changed, and the form again holding their
    version with the user's changes on top (as ``sip.views.PlanEditView`` does).

    The view says what is saved now: ``saved_values()`` (initial data by field name, read afresh)
    and ``saved_version()``; and names its records for the signature: ``edit_salt()``.
    """

    def edit_salt(self) -> str:
        raise NotImplementedError

    def saved_values(self) -> dict[str, Any]:
        raise NotImplementedError

    def saved_version(self) -> int:
        raise NotImplementedError

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        # Bound or not, the form knows what is saved: a disabled field takes it as its value.
        self.load(form, self.saved_state(form), self.saved_version())
        return form

    def saved_state(self, form: VersionedForm) -> State:
        return state_of(form, self.saved_values(), form.state_fields())

    def load(
        self, form: VersionedForm, state: State, version: int, saved: State | None = None
    ) -> None:
        form.initial.update(state)
        form.initial["lock_version"] = str(version)
        form.initial["base"] = sign(self.edit_salt(), state if saved is None else saved)

    def refused(self, form: Any, error: Any) -> Any:
        from followup.services import StaleEdit

        if not isinstance(error, StaleEdit):
            return super().refused(form, error)  # type: ignore[misc]
        # Nothing of theirs is replaced: the page shows what they changed, and the form again
        # with their version and this user's changes on top, to check and save.
        kwargs = {
            key: value
            for key, value in self.get_form_kwargs().items()  # type: ignore[attr-defined]
            if key not in {"data", "files"}
        }
        merged_form = self.get_form_class()(**kwargs)  # type: ignore[attr-defined]
        theirs = self.saved_state(merged_form)
        yours = state_of(form, form.cleaned_data, form.state_fields())
        merge = three_way(
            unsign(self.edit_salt(), form.cleaned_data.get("base", "")), theirs, yours
        )
        self.load(merged_form, merge.state, self.saved_version(), saved=theirs)
        describe = Describer(merged_form)
        context = self.get_context_data(  # type: ignore[attr-defined]
            form=merged_form,
            stale=error,
            their_changes=describe.rows(merge.theirs),
            your_changes=describe.rows(merge.yours),
            conflicts=len(merge.conflicts),
        )
        response = self.render_to_response(context)  # type: ignore[attr-defined]
        response.status_code = 409
        return response
