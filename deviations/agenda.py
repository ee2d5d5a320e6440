"""Suggest reports waiting at the local BUS group for the steering group's next agenda."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.registry import AgendaSuggestion
from deviations.models import Deviation, Status


def agenda_suggestions(local_group) -> list[AgendaSuggestion]:
    waiting = (
        Deviation.objects.filter(status=Status.WITH_LOCAL_GROUP, area__local_groups=local_group)
        .select_related("category")
        .distinct()
        .order_by("status_changed_at", "id")
    )
    return [
        AgendaSuggestion(
            title=_("Deviation %(ref)s: %(category)s")
            % {"ref": d.reference, "category": d.category.name if d.category else "–"},
            detail=_("Waiting at the local BUS group since %(date)s.")
            % {"date": d.status_changed_at.date().isoformat()},
            url=reverse("deviations:detail", kwargs={"pk": d.pk}),
            source=f"deviations.deviation:{d.pk}",
        )
        for d in waiting
    ]
