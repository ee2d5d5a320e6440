"""Who is told of a report, and who may act on it now: the recipients of its notifications.

``actors_of`` is ``Deviation.can_act`` as a query, checked against that rule for each person, so
a reminder ("take the next step") reaches only people who can take it. ``informed_of`` adds the
people told of a step without acting on it (BUSSAM's members of a report sent to BUSSAM, the
manager of a closed report). ``counterpart_contacts`` finds whom each counterpart principal is
asked through for its response at the local step.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from agreements.models import BodyMember, LocalGroup, Membership, Principal
from bus_portal.models import User
from bus_portal.roles import LOCAL_GROUP_ROLES, Role
from bus_portal.validity import valid_on_q
from deviations.counterparts import ContactSource
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


def counterpart_contacts(deviation: Deviation) -> dict[Principal, list[tuple[User, str]]]:
    """Whom each counterpart principal of the report is asked through for its response, with
    why (a ``ContactSource``): its BUS contact, or else the chief of its unit in the area.

    The portal's directory has no "BUS contact" per principal; the closest real thing is the
    local agreement's contact person: a member with the role "contact person" of a body under
    the agreement of the report's local group, linked to a portal user and to a unit of the
    principal. Where the agreement names none, the unit chiefs of the principal's units in the
    report's area are asked, those of the report's counterpart services first ("the chief of
    the named counterpart unit"). Neither the reporter nor anyone of the reporter's own unit
    (its chief is the nearest manager on the ladder) is asked. A principal may be the
    reporter's own: a school and the social services of one municipality are two sides.
    """
    principals = list(deviation.counterpart_principals.order_by("name"))
    if not principals or deviation.area_id is None:
        return {}
    groups = LocalGroup.objects.valid_on().filter(areas=deviation.area_id)
    members = (
        BodyMember.objects.valid_on()
        .filter(
            role=BodyMember.Role.CONTACT,
            user__is_active=True,
            unit__principal__in=principals,
            body__agreement__local_group__in=groups,
        )
        .exclude(user=deviation.reporter_id)
        .exclude(unit=deviation.reporter_unit_id)
        .select_related("user", "unit")
        .order_by("user_id")
    )
    found: dict[int, list[tuple[User, str]]] = {p.pk: [] for p in principals}
    for member in members:
        assert member.user is not None and member.unit is not None
        contacts = found[member.unit.principal_id]
        if all(user.pk != member.user.pk for user, _source in contacts):
            contacts.append((member.user, ContactSource.BUS_CONTACT))
    without = [pk for pk, contacts in found.items() if not contacts]
    if without:
        services = set(deviation.counterpart_services.values_list("service_type", flat=True))
        chiefs = (
            Membership.objects.valid_on()
            .filter(
                role=Role.UNIT_CHIEF,
                user__is_active=True,
                unit__principal__in=without,
                unit__area_id=deviation.area_id,
            )
            .exclude(user=deviation.reporter_id)
            .exclude(unit=deviation.reporter_unit_id)
            .select_related("user", "unit")
            .order_by("user_id", "id")
        )
        # principal -> chief -> is the chief's unit one of the report's counterpart services?
        named: dict[int, dict[User, bool]] = {}
        for membership in chiefs:
            of_principal = named.setdefault(membership.unit.principal_id, {})
            of_service = membership.unit.service_type in services
            of_principal[membership.user] = of_principal.get(membership.user, False) or of_service
        for principal_id, candidates in named.items():
            chosen = [u for u, of_service in candidates.items() if of_service] or list(candidates)
            found[principal_id] = [(user, ContactSource.UNIT_CHIEF) for user in chosen]
    return {p: found[p.pk] for p in principals}
