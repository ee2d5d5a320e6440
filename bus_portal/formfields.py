"""Form fields the portal's forms share."""

from __future__ import annotations

from typing import Any

from django import forms

#: The ids a database integer column can hold (SQLite and PostgreSQL bigint alike).
_ID_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing an id no row can have before it reaches the database.

    Django checks the chosen ids with one ``pk__in`` query; SQLite cannot compare an integer
    beyond 64 bits and raises OverflowError (a 500) where the user should read "not one of the
    available choices".
    """

    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else []:
            text = str(item).strip()
            try:
                number = int(text)
            except ValueError:  # not a number ("²", "abc"): Django's check refuses it
                continue
            if number not in _ID_RANGE:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return super().clean(value)
