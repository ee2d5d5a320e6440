"""An agreement's trail: who changed or corrected its records, when and what, for its page.

The audit rows about an agreement's records carry the agreement as their subject
(``services.agreement_subject``), so one indexed query finds them. Their changes are stored by
field code; here each code becomes the field's name in the reader's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.services import agreement_subject
from bus_portal.models import AuditEvent

# Codes that are not fields of the row's model.
_EXTRA_LABELS = {
    "fields": lambda: _("fields"),
    "reason": lambda: _("reason"),
    "sections": lambda: _("sections"),
    "signatories": lambda: _("signatories"),
    "reviewed_on": lambda: _("reviewed on"),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class TrailRow:
    at: datetime.datetime
    actor: str
    action: str
    purpose: str
    record: str
    changes: list[Change] = field(default_factory=list)


def _label(model: type | None, code: str) -> str:
    if code in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[code]())
    if model is not None:
        try:
            return str(model._meta.get_field(code).verbose_name)  # type: ignore[attr-defined]
        except FieldDoesNotExist:
            pass
    return code


def _changes(model: type | None, changes: dict) -> list[Change]:
    rows = []
    for code, value in changes.items():
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
            rows.append(Change(_label(model, code), value[0], value[1]))
        elif isinstance(value, list):  # {"fields": ["minutes", "place"]}
            rows.append(Change(_label(model, code), "", ", ".join(_label(model, v) for v in value)))
    return rows


def agreement_trail(agreement: Agreement, limit: int = 50) -> list[TrailRow]:
    """The latest changes and corrections of the agreement's records, newest first."""
    events = (
        AuditEvent.objects.filter(subject=agreement_subject(agreement))
        .exclude(action__in=["view", "export", "print", "denied"])
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    rows = []
    for event in events:
        model = ContentType.objects.get_for_id(event.content_type_id).model_class()
        rows.append(
            TrailRow(
                at=event.at,
                actor=str(event.actor) if event.actor else "–",
                action=event.get_action_display(),
                purpose=event.purpose_label,
                record=event.object_repr,
                changes=_changes(model, event.changes or {}),
            )
        )
    return rows
