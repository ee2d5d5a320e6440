"""Create forms carry a one-time token (bus_portal.submissions); tests posting one add it here."""

from __future__ import annotations

import uuid

from bus_portal.submissions import TOKEN_FIELD


def once(data: dict) -> dict:
    """The posted data with a fresh one-time token, as the page would have given it."""
    return {**data, TOKEN_FIELD: str(uuid.uuid4())}
