"""The permission matrix's vocabulary. Each app lists its URLs in ``tests/<app>/routes.py``.

A ``Route`` says who may use a URL; everyone else gets 403, except the users in ``hidden``,
who belong to another organisation and get 404. Logged-out visitors are sent to the login page
unless the route is ``public``. ``tests/test_permission_matrix.py`` fails for any named URL that
no routes module lists, so the matrix grows with every URL an app adds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_USERS = frozenset(
    {"officer", "officer2", "outsider", "chief", "chair", "secretariat", "bussam", "admin"}
)


def users(*names: str) -> frozenset[str]:
    unknown = set(names) - ALL_USERS
    if unknown:
        raise ValueError(f"Unknown demo users: {unknown}")
    return frozenset(names)


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset[str] = ALL_USERS
    hidden: frozenset[str] = frozenset()
    kwargs: Callable[[], dict] = dict
    method: str = "get"
    data: Callable[[], dict] = dict
    public: bool = False
    # Expected status for allowed users when it is not 200 for a page and 302 for an action.
    ok_status: tuple[int, ...] = field(default=())

    def __str__(self) -> str:
        return self.name
