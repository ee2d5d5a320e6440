"""Scoped lookups for the follow-up (bus_portal.access pattern): 404 outside scope, 403 without write."""

from __future__ import annotations

from django.http import Http404

from agreements.models import LocalGroup
from bus_portal.access import get_for_user
from followup.models import Response, Survey, contact_group_ids


def get_response_for_user(request, pk: int, *, write: bool = False) -> Response:
    """A response the user may see; only the group's contact person may change it."""
    return get_for_user(
        request,
        Response.objects.visible_to(request.user).select_related("survey", "group"),
        write=write,
        can_write=lambda response, user: response.group_id in contact_group_ids(user),
        pk=pk,
    )


def get_contact_group_for_user(request, pk: int) -> LocalGroup:
    """A local group for which the user is the survey contact person; 404 otherwise."""
    return get_for_user(
        request, LocalGroup.objects.filter(pk__in=contact_group_ids(request.user)), pk=pk
    )


def get_survey(year: int) -> Survey:
    """Surveys are county-wide: the view's role check is the scope, the year must exist."""
    try:
        return Survey.objects.get(year=year)
    except Survey.DoesNotExist as exc:
        raise Http404 from exc
