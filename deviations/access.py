"""Scoped lookups for deviation reports (404 outside the user's scope, 403 without the right)."""

from __future__ import annotations

from django.http import HttpRequest

from bus_portal.access import get_for_user
from deviations.models import Deviation


def get_deviation_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Deviation:
    """A report the user may see; with ``write``, one where they may take the next step."""
    queryset = Deviation.objects.visible_to(request.user).select_related(
        "reporter", "reporter_unit__principal", "area", "category", "assigned_to"
    )
    return get_for_user(request, queryset, write=write, can_write=Deviation.can_act, pk=pk)
