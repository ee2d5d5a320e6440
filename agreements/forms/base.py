"""What the agreements forms share: date inputs, lines fields, one-time tokens and edit locks."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bus_portal.submissions import TOKEN_FIELD

#: The hidden fields of an edit form guarded by optimistic locking (``bus_portal.concurrency``).
LOCK_FIELDS = ("lock_version", "base")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def bumped_total(value, *, limit: int = 50) -> int:
    """One more formset row for the no-JavaScript "add row" button; tolerant of tampered input."""
    try:
        total = int(value)
    except (TypeError, ValueError, OverflowError):
        total = 0
    return min(max(total, 0) + 1, limit)


def check_period(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """A period (``valid_from``–``valid_to``, either open) must not end before it starts."""
    start, end = data.get("valid_from"), data.get("valid_to")
    if start and end and end < start:
        form.add_error("valid_to", _("The end date must come after the start date."))


def check_dates(
    form: forms.BaseForm,
    data: dict[str, Any],
    checks: dict[str, Callable[[datetime.date], str]],
) -> None:
    """Each date field in ``checks`` inside its window (``agreements.plausibility``)."""
    for name, check in checks.items():
        value = data.get(name)
        if isinstance(value, datetime.date):
            message = check(value)
            if message:
                form.add_error(name, message)


def date_validator(check: Callable[[datetime.date], str]) -> Callable[[Any], None]:
    """A field validator from a plausibility check."""

    def validate(value: Any) -> None:
        if isinstance(value, datetime.date):
            message = check(value)
            if message:
                raise ValidationError(message, code="implausible_date")

    return validate


class LinesField(forms.CharField):
    """A textarea with one entry per line; cleans to the non-empty lines, stripped."""

    def __init__(self, *, rows: int, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20_000)
        super().__init__(required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class LockedForm(forms.Form):
    """An edit form's version and base (the state it was loaded with, signed), hidden.

    The view fills them (``agreements.views.LockedEditMixin``); a save against a newer version
    is refused by the service and answered with what the other person changed.
    """

    lock_version = forms.IntegerField(
        label=_("Version"),
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2_147_483_647,
    )
    base = forms.CharField(
        label=_("Version"), widget=forms.HiddenInput, required=False, max_length=500_000
    )


def drop_token_or_lock(form: forms.BaseForm, *, editing: bool) -> None:
    """A form that both creates and edits: a create carries the one-time token, an edit the
    lock fields (an edit creates nothing; a create has nothing to lock)."""
    names = [TOKEN_FIELD] if editing else list(LOCK_FIELDS)
    for name in names:
        form.fields.pop(name, None)


def service_values(form: forms.BaseForm) -> dict[str, Any]:
    """The cleaned data a service takes: without the token and the lock fields."""
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name != TOKEN_FIELD and name not in LOCK_FIELDS
    }


def expected_version(form: forms.BaseForm) -> int:
    return form.cleaned_data.get("lock_version") or 0


class ReasonForm(forms.Form):
    """Why a record shown to others is withdrawn (kept in its trail)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why.")},
    )


class ConfirmForm(forms.Form):
    """A confirmation step with nothing to fill in (removing a record entered by mistake)."""
