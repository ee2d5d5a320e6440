"""The one base class for domain errors raised by services.

A service refuses what the rules forbid by raising a subclass of ``DomainError`` with a translated
message that says what to do instead; ``bus_portal.views_generic.ServiceFormMixin`` shows it on the
form, so no view catches app-specific errors by name.
"""


class DomainError(Exception):
    """A rule of the domain refused the action; ``str(exc)`` is the message for the user."""
