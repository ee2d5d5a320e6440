"""Writes every sign-in step to ``SignInEvent``: password, code, recovery code, eID, lockouts."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out

from bus_portal.auth import sign_in_attempted
from bus_portal.models import User
from eid.models import SignInEvent


def _ip(request: Any) -> str | None:
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def record_sign_in(
    sender: Any,
    *,
    request: Any,
    method: str,
    succeeded: bool,
    user: User | None = None,
    username: str = "",
    reason: str = "",
    **kwargs: Any,
) -> None:
    SignInEvent.objects.create(
        user=user if isinstance(user, User) and user.pk else None,
        username=(username or (user.get_username() if user else ""))[:150],
        method=method[:40],
        succeeded=succeeded,
        reason=reason[:40],
        ip_address=_ip(request),
    )


def record_lockout(sender: Any, *, request: Any = None, username: str = "", **kwargs: Any) -> None:
    SignInEvent.objects.create(
        username=(username or "")[:150],
        method="lockout",
        succeeded=False,
        reason="locked",
        ip_address=_ip(request),
    )


def connect() -> None:
    sign_in_attempted.connect(record_sign_in, dispatch_uid="eid.record_sign_in")
    user_locked_out.connect(record_lockout, dispatch_uid="eid.record_lockout")
