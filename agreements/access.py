"""Who may do what with agreements, bodies and meetings. Other apps may call these helpers.

Reading: everyone logged in reads agreements and published minutes; draft and checked minutes
only the body's members. Writing: a body's members edit its meetings; the local group's
steering members edit the agreement, its bodies and members; admin may do everything.
"""

from __future__ import annotations

from django.db.models import Exists, IntegerField, OuterRef, Q, Value
from django.http import HttpRequest
from django.utils import timezone

from agreements.models import Agreement, Body, BodyMember, LocalGroup, Meeting, Membership
from bus_portal.access import get_for_user
from bus_portal.roles import Role

STEERING_ROLES = (Role.STEERING_CHAIR, Role.STEERING_MEMBER)
STEERING_BODY_ROLES = (BodyMember.Role.CHAIR, BodyMember.Role.MEMBER, BodyMember.Role.CONVENOR)


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.has_role(Role.ADMIN)
    )


def active_q(prefix: str = "") -> Q:
    """Rows valid today (valid_from and valid_to, either open-ended), optionally across a relation."""
    today = timezone.localdate()
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today})
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today}))


def _body_memberships(user) -> list[tuple[int, str, str, int | None]]:
    """The user's current body memberships as (body, role, body kind, local group).

    One query per request (cached on the user object) answers both ``steering_group_ids`` and
    ``member_body_ids``, which most agreement pages need together.
    """
    cached = getattr(user, "_agreements_body_memberships", None)
    if cached is None:
        cached = list(
            BodyMember.objects.filter(active_q(), user=user).values_list(
                "body_id", "role", "body__kind", "body__agreement__local_group_id"
            )
        )
        user._agreements_body_memberships = cached
    return cached


def steering_group_ids(user) -> frozenset[int]:
    """Local groups where the user sits in the steering group (by role or by body membership)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    by_role = {
        m.local_group_id
        for m in user.active_memberships
        if m.role in STEERING_ROLES and m.local_group_id
    }
    by_body = {
        group_id
        for _body_id, role, kind, group_id in _body_memberships(user)
        if role in STEERING_BODY_ROLES and kind in Body.STEERING_KINDS and group_id is not None
    }
    return frozenset(by_role | by_body)


def is_steering_member(user, local_group: LocalGroup | int) -> bool:
    """Is this user a steering member (chair or member) of local group G?"""
    group_id = local_group if isinstance(local_group, int) else local_group.pk
    return group_id in steering_group_ids(user)


def member_body_ids(user) -> frozenset[int]:
    """Bodies where the user is a current member (any role)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(body_id for body_id, *_rest in _body_memberships(user))


def is_member_expression(user, body_ref: str = "pk") -> Exists | Value:
    """Whether the user is a current member of the body, in SQL: annotate bodies (or meetings)."""
    if not getattr(user, "is_authenticated", False):
        return Value(False)
    return Exists(BodyMember.objects.filter(active_q(), user=user.pk, body=OuterRef(body_ref)))


def is_body_member(user, body: Body | int) -> bool:
    body_id = body if isinstance(body, int) else body.pk
    return body_id in member_body_ids(user)


def can_edit_agreement(agreement: Agreement, user) -> bool:
    """Steering members of the group edit its agreement; the county agreement is the secretariat's."""
    if is_admin(user):
        return True
    if agreement.is_county:
        return user.has_role(Role.SECRETARIAT)
    return is_steering_member(user, agreement.local_group_id)


def can_edit_body(body: Body, user) -> bool:
    return can_edit_agreement(body.agreement, user)


def can_edit_meetings(body: Body, user) -> bool:
    """Members of a body log and edit its meetings."""
    return is_admin(user) or is_body_member(user, body)


def can_edit_meeting(meeting: Meeting, user) -> bool:
    if getattr(meeting, "viewer_id", None) == user.pk:
        # Fetched by get_meeting_for_user for this user: membership came with the row.
        return is_admin(user) or meeting.viewer_is_member
    return can_edit_meetings(meeting.body, user)


def users_steering_groups(user) -> list[LocalGroup]:
    return list(LocalGroup.objects.filter(pk__in=steering_group_ids(user)).order_by("name"))


def steering_memberships(local_group: LocalGroup):
    """Membership rows that make someone a steering member of the group (for other apps)."""
    return Membership.objects.active().filter(local_group=local_group, role__in=STEERING_ROLES)


# Scoped lookups: outside the scope → 404, visible without the write right → 403.


def get_agreement_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Agreement:
    return get_for_user(
        request,
        Agreement.objects.visible_to(request.user).with_details(),
        write=write,
        can_write=can_edit_agreement,
        pk=pk,
    )


def get_body_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Body:
    return get_for_user(
        request,
        Body.objects.visible_to(request.user).select_related("agreement__local_group", "parent"),
        write=write,
        can_write=can_edit_body,
        pk=pk,
    )


def get_body_for_meetings(request: HttpRequest, pk: int) -> Body:
    """A body whose meetings the user is about to log: members only (403 for other readers)."""
    return get_for_user(
        request,
        Body.objects.visible_to(request.user).select_related("agreement__local_group"),
        write=True,
        can_write=can_edit_meetings,
        pk=pk,
    )


def get_meeting_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Meeting:
    user = request.user
    meetings = Meeting.objects.visible_to(user)
    if getattr(user, "is_authenticated", False):
        # Whether the user may edit comes with the row (see can_edit_meeting): no second query.
        meetings = meetings.annotate(
            viewer_id=Value(user.pk, output_field=IntegerField()),
            viewer_is_member=is_member_expression(user, "body"),
        )
    return get_for_user(
        request,
        meetings.select_related(
            "body__agreement__local_group",
            "host_principal",
            "chair__unit__principal",
            "convenor__unit__principal",
            "published_by",
        ),
        write=write,
        can_write=can_edit_meeting,
        pk=pk,
    )
