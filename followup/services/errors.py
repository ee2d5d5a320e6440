"""The follow-up's domain errors, and the refusal of a save from a form that someone else's save
has overtaken."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext as _

from bus_portal.audit import events_for
from bus_portal.errors import DomainError
from bus_portal.models import AuditAction


class FollowupError(DomainError):
    """A follow-up action that the rules do not allow; the view shows the message."""


class SurveyStateError(FollowupError):
    pass


class ResponseConflictError(FollowupError):
    pass


class StaleEdit(FollowupError):
    """Someone saved after this user opened the form (the view shows what they changed)."""

    def __init__(self, *, changed_by: str = "", changed_at: datetime.datetime | None = None):
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(_("Someone else saved this while you were editing it."))


class IndicatorLockedError(FollowupError):
    pass


def _refuse_stale(obj: models.Model, *, saved: int, expected: int, purpose: str = "") -> None:
    """Refuse a save from a form opened at version ``expected`` when ``saved`` is newer, naming
    the last person who changed ``obj`` (from the audit log)."""
    if saved == expected:
        return
    events = events_for(obj).filter(action=AuditAction.CHANGE)
    if purpose:
        events = events.filter(purpose=purpose)
    last = events.order_by("-at", "-id").first()
    raise StaleEdit(
        changed_by=str(last.actor) if last and last.actor else "",
        changed_at=last.at if last else None,
    )
