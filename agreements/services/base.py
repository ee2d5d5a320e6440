"""Domain errors, constants and the audit helper shared by the agreements services."""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest

from agreements.audit import Purpose
from agreements.models import Body
from bus_portal import audit
from bus_portal.errors import DomainError
from bus_portal.models import User


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
) -> None:
    """``audit.record`` with one of agreements' purpose codes, in the caller's transaction."""
    audit.record(
        user=user, action=action, obj=obj, purpose=purpose, changes=changes, request=request
    )
