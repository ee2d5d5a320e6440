"""Domain errors, constants, the audit helper and the e-mails' language shared by the agreements
services."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import override

from agreements.audit import Purpose
from agreements.models import Agreement, Body
from bus_portal import audit
from bus_portal.errors import DomainError
from bus_portal.models import AuditAction, User


class AgreementsError(DomainError):
    """A rule of the agreements app refused the change; the message is shown to the user."""


class RevisionLockedError(AgreementsError):
    pass


class SigningError(AgreementsError):
    pass


class RoutingError(AgreementsError):
    pass


class MinutesError(AgreementsError):
    pass


@dataclass
class StaleEdit(AgreementsError):
    """Someone saved the record after this user opened its form (the view shows what changed)."""

    changed_by: str
    changed_at: datetime.datetime | None
    current_version: int = 0

    def __str__(self) -> str:
        return _("Someone else saved this while you were editing it.")


def full_clean(obj: Model) -> None:
    """``obj.full_clean()``, its refusal as a domain error (shown on the form, never a 500)."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise AgreementsError(" ".join(error.messages)) from None


def check_version(locked: Model, expected_version: int | None) -> None:
    """Refuse a save made from a form opened before the record's last save (``StaleEdit``).

    ``locked`` is the row as locked for the save; ``expected_version`` the ``lock_version`` the
    form was loaded with (a form without one counts as loaded before any save).
    """
    current = getattr(locked, "lock_version")  # noqa: B009 - every locked model has one
    if current == (expected_version or 0):
        return
    last = audit.events_for(locked).filter(action=AuditAction.CHANGE).order_by("-at", "-id").first()
    raise StaleEdit(
        changed_by=str(last.actor) if last and last.actor else "",
        changed_at=last.at if last else None,
        current_version=current,
    )


# The seeds' standard text sections, in order (seed 001; Norrtälje's and Nynäshamn's agree).
STANDARD_SECTIONS = [
    ("purpose", "Syfte"),
    ("target_group", "Målgrupp"),
    ("organisation", "Samverkansorganisation"),
    ("follow_up", "Uppföljning"),
]


# The standard shape of a local group's bodies (seed 001): name, kind and minimum meetings per
# term, each body reporting to the one before it.
STANDARD_BODIES = [
    ("Lokal styrgrupp", Body.Kind.STEERING, 1),
    ("Arbetsgrupp", Body.Kind.WORKING, 1),
    ("BUS individforum", Body.Kind.INDIVIDFORUM, 0),
]


class Template:
    STANDARD = "standard"
    EMPTY = "empty"


def _audit(
    user: User,
    action: str,
    obj: Model,
    purpose: Purpose,
    request: HttpRequest | None = None,
    changes: dict[str, list[str]] | None = None,
    agreement: Agreement | int | None = None,
) -> None:
    """``audit.record`` with one of agreements' purpose codes, in the caller's transaction.

    A row about a record kept with an agreement (a party, an attachment, a plan item …) names the
    agreement as its subject, so the agreement's page lists its corrections in one query.
    """
    audit.record(
        user=user,
        action=action,
        obj=obj,
        purpose=purpose,
        changes=changes,
        request=request,
        subject=agreement_subject(agreement) if agreement is not None else "",
    )


def agreement_subject(agreement: Agreement | int) -> str:
    """The audit subject grouping the rows about one agreement's records."""
    pk = agreement if isinstance(agreement, int) else agreement.pk
    return f"agreements.agreement:{pk}"


P = ParamSpec("P")
R = TypeVar("R")


def in_site_language(function: Callable[P, R]) -> Callable[P, R]:
    """E-mails are written in the portal's language, whoever (or whichever job) sends them."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper
