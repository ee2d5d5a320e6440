"""Domain errors and the audit helper shared by the agreements services."""

from __future__ import annotations

from bus_portal import audit
from bus_portal.errors import DomainError


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


class Template:
    STANDARD = "standard"
    EMPTY = "empty"


def _audit(user, action, obj, purpose, request=None, changes=None):
    audit.record(
        user=user, action=action, obj=obj, purpose=purpose, changes=changes, request=request
    )
