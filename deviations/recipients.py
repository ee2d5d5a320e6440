"""Who is told of a report, and who may act on it now: the recipients of its notifications.

``actors_of`` is ``Deviation.can_act`` as a query, checked against that rule for each person, so
a reminder ("take the next step") reaches only people who can take it. ``informed_of`` adds the
people told of a step without acting on it (BUSSAM's members of a report sent to BUSSAM, the
manager of a closed report).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from agreements.models import LocalGroup
from bus_portal.models import User
from bus_portal.roles import LOCAL_GROUP_ROLES, Role
from bus_portal.validity import valid_on_q
from deviations.models import MANAGER_ROLES, Deviation, Status


def _users_with(q: Q) -> QuerySet[User]:
    """Active users with a membership matching ``q`` that is valid today (one filter: one join)."""
    active = valid_on_q(prefix="memberships__")
    return User.objects.filter(q & active, is_active=True).distinct().order_by("id")


def managers_of(deviation: Deviation) -> QuerySet[User]:
    return _users_with(
        Q(memberships__unit_id=deviation.reporter_unit_id, memberships__role__in=MANAGER_ROLES)
    )


def local_group_of(deviation: Deviation) -> QuerySet[User]:
    groups = LocalGroup.objects.valid_on().filter(areas=deviation.area_id)
    return _users_with(
        Q(memberships__local_group__in=groups, memberships__role__in=LOCAL_GROUP_ROLES)
    )


def county_users(*roles: str) -> QuerySet[User]:
    return _users_with(Q(memberships__role__in=roles))


def actors_of(deviation: Deviation) -> list[User]:
    """Who may take the next step now: the people ``Deviation.can_act`` allows, and only they
    (each candidate is checked by that same rule)."""
    status = deviation.status
    candidates: list[User] | QuerySet[User]
    if status in (Status.DRAFT, Status.RETURNED):
        candidates = [deviation.reporter] if deviation.reporter.is_active else []
    elif status == Status.WITH_MANAGER:
        candidates = managers_of(deviation)
    elif status == Status.WITH_LOCAL_GROUP:
        candidates = local_group_of(deviation)
    elif status == Status.WITH_BUSSAM:
        candidates = county_users(Role.SECRETARIAT)
    else:
        candidates = []
    return [user for user in candidates if deviation.can_act(user)]


def informed_of(deviation: Deviation) -> list[User]:
    """Who is told of the step just taken besides the reporter and those who act next: BUSSAM
    of a report sent to it (the secretariat acts on it), the manager of a closed report."""
    if deviation.status == Status.WITH_BUSSAM:
        return list(county_users(Role.BUSSAM))
    if deviation.is_closed:
        return list(managers_of(deviation))
    return []
