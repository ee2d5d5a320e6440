"""Scoped lookups for the follow-up (bus_portal.access pattern): 404 outside scope, 403 without write."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from agreements.models import LocalGroup
from bus_portal.access import get_for_user
from bus_portal.models import User
from bus_portal.roles import COUNTY_ROLES, STEERING_ROLES
from followup.models import Response, Survey, contact_group_ids, steering_group_ids


def get_response_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Response:
    """A response the user may see; only the group's contact person may change it."""
    return get_for_user(
        request,
        Response.objects.visible_to(request.user).select_related("survey", "group"),
        write=write,
        can_write=lambda response, user: (
            isinstance(user, User) and response.group_id in contact_group_ids(user)
        ),
        pk=pk,
    )


def get_contact_group_for_user(request: HttpRequest, pk: int) -> LocalGroup:
    """A local group for which the user is the survey contact person; 404 otherwise."""
    return get_for_user(
        request, LocalGroup.objects.filter(pk__in=contact_group_ids(request.user)), pk=pk
    )


def indicator_groups_visible_to(user: User | AnonymousUser) -> QuerySet[LocalGroup]:
    """The groups whose local indicators the user sees: county roles every group (the figures hold
    no personal data), steering-group members their own."""
    if not isinstance(user, User):  # an anonymous visitor
        return LocalGroup.objects.none()
    if user.has_role(*COUNTY_ROLES):
        return LocalGroup.objects.all()
    return LocalGroup.objects.filter(pk__in=steering_group_ids(user))


def get_indicator_group_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    write_roles: tuple[str, ...] = STEERING_ROLES,
) -> LocalGroup:
    """A group whose indicators the user sees (else 404); ``write`` requires one of
    ``write_roles`` in that group's steering group (else 403)."""
    return get_for_user(
        request,
        indicator_groups_visible_to(request.user),
        write=write,
        can_write=lambda group, user: (
            isinstance(user, User) and group.pk in steering_group_ids(user, *write_roles)
        ),
        pk=pk,
    )


def get_survey(year: int) -> Survey:
    """Surveys are county-wide: the view's role check is the scope, the year must exist."""
    try:
        return Survey.objects.get(year=year)
    except Survey.DoesNotExist as exc:
        raise Http404 from exc
