"""Scoped lookups for deviation reports (404 outside the user's scope, 403 without the right)."""

from __future__ import annotations

from django.http import HttpRequest

from bus_portal.access import get_for_user
from bus_portal.models import User
from bus_portal.roles import Role
from deviations.counterparts import CounterpartResponse
from deviations.models import Deviation

RELATED = ("reporter", "reporter_unit__principal", "area", "category", "assigned_to")


def get_deviation_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Deviation:
    """A report the user may see; with ``write``, one where they may take the next step."""
    queryset = Deviation.objects.visible_to(request.user).select_related(*RELATED)
    return get_for_user(request, queryset, write=write, can_write=Deviation.can_act, pk=pk)


def get_deviation_for_redaction(request: HttpRequest, pk: int) -> Deviation:
    """A report whose texts the user may redact: one they handle at its current step (404
    outside what they see, 403 when they see it without acting), or any report for the
    secretariat, which removes what the nightly check finds wherever it is."""
    user = request.user
    queryset = (
        Deviation.objects.all()
        if isinstance(user, User) and user.has_role(Role.SECRETARIAT)
        else Deviation.objects.visible_to(user)
    )
    return get_for_user(
        request,
        queryset.select_related(*RELATED),
        write=True,
        can_write=Deviation.can_redact,
        pk=pk,
    )


def get_response_for_user(request: HttpRequest, pk: int, response_pk: int) -> CounterpartResponse:
    """A counterpart's response to a report the user sees (else 404) that the user may correct:
    its author, while the report is open (else 403)."""
    queryset = CounterpartResponse.objects.filter(
        deviation__in=Deviation.objects.visible_to(request.user).values("pk")
    ).select_related("deviation", "principal", "author")
    return get_for_user(
        request,
        queryset,
        write=True,
        can_write=CounterpartResponse.can_edit,
        pk=response_pk,
        deviation_id=pk,
    )
