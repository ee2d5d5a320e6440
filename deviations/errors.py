"""The domain errors of deviation reports, and the services' own identity-number check.

Shared by ``deviations.services``, ``deviations.counterpart_services`` and
``deviations.redaction`` (``deviations.services`` re-exports the names).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bus_portal.errors import DomainError
from deviations import deidentify


class DeviationError(DomainError):
    """A domain rule refused the change; the message is shown to the user."""


class StepNotAllowed(DeviationError):
    pass


class NotAllowedToAct(DeviationError):
    pass


def refuse_identity_numbers(**texts: str) -> None:
    """The services' own check behind the forms': no path stores an identity number."""
    for text in texts.values():
        if text and deidentify.find_identity_numbers(text):
            raise DeviationError(
                _(
                    "The text contains an identity number (personnummer or samordningsnummer). "
                    "Remove it and describe the child in general terms. Nothing has been saved."
                )
            )
