"""Create forms that create once, however often they are sent.

A create form carries a one-time token (``OneTimeTokenForm``, a hidden field made when the page is
shown and kept when a failed form is shown again). The view claims the token in the transaction
that creates the record (``ServiceFormMixin`` with ``once_per_submission = True``): the token is the
primary key of ``FormSubmission``, so of two sends of the same form only one can claim it. The
other waits for the first to commit (PostgreSQL holds the second insert on the key until then),
finds the row and is sent to what the first send created. A send that fails (a form or rule
error) rolls its claim back with everything else, so the corrected form can be sent again.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bus_portal.models import FormSubmission, User

TOKEN_FIELD = "submission_token"


class AlreadySubmitted(Exception):
    """The form was sent before; ``url`` is what that send created ("" if it is not this user's)."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def claim(token: uuid.UUID, user: User) -> None:
    """Claim the token for this send, inside the caller's transaction, or raise AlreadySubmitted."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=user)
        return
    except IntegrityError:
        pass
    # Another send claimed it and has committed: this transaction sees its row now.
    earlier = FormSubmission.objects.filter(token=token).first()
    if earlier is None or earlier.user_id != user.pk:
        raise AlreadySubmitted("")
    raise AlreadySubmitted(earlier.result_url)


def finish(token: uuid.UUID, url: str) -> None:
    """Note where the send led, for a repeated send to go there too (same transaction)."""
    FormSubmission.objects.filter(token=token).update(result_url=url[:500])


class OneTimeTokenForm(forms.Form):
    """Adds the hidden one-time token to a create form (a subclass may drop the field, e.g. when
    the same form edits an existing record).

    A send without a valid token (never from the portal's own page) gets a form error and a fresh
    token, so the form shown again can be sent.
    """

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD].initial = uuid.uuid4

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if TOKEN_FIELD not in self.fields:
            return cleaned
        try:
            cleaned[TOKEN_FIELD] = uuid.UUID(cleaned.get(TOKEN_FIELD) or "")
        except ValueError:
            # The page shown again gets a fresh token, so the corrected form can be sent.
            data: Any = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
            data[self.add_prefix(TOKEN_FIELD)] = str(uuid.uuid4())
            self.data = data
            raise forms.ValidationError(
                _("The form could not be sent as it was. Check the fields and save again."),
                code="token_missing",
            ) from None
        return cleaned

    @property
    def sent_token(self) -> uuid.UUID:
        return self.cleaned_data[TOKEN_FIELD]
