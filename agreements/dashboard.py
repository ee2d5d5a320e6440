"""Start-page panels: open assignments and minutes waiting for this user's bodies."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.access import member_body_ids
from agreements.models import Assignment, Body, Meeting, MinutesStatus, Term
from bus_portal.dashboard import Panel


def panels(request) -> list[Panel]:
    body_ids = member_body_ids(request.user)
    if not body_ids:
        return []
    result = []
    assignments = list(
        Assignment.objects.open()
        .filter(body_id__in=body_ids)
        .select_related("body__agreement__local_group", "meeting")
        .order_by("due_on", "id")[:10]
    )
    if assignments:
        result.append(
            Panel(
                title=_("Open assignments for your groups"),
                template="agreements/panels/assignments.html",
                context={"assignments": assignments, "today": timezone.localdate()},
                order=30,
            )
        )
    drafts = list(
        Meeting.objects.filter(body_id__in=body_ids)
        .exclude(minutes_status=MinutesStatus.PUBLISHED)
        .select_related("body__agreement__local_group")
        .order_by("held_on", "id")[:10]
    )
    if drafts:
        result.append(
            Panel(
                title=_("Minutes not yet published"),
                template="agreements/panels/minutes.html",
                context={"meetings": drafts},
                order=31,
            )
        )
    behind = _bodies_behind_this_term(body_ids)
    if behind:
        result.append(
            Panel(
                title=_("Meeting rules not yet met this term"),
                template="agreements/panels/rules.html",
                context={"rows": behind},
                order=32,
            )
        )
    return result


def _bodies_behind_this_term(body_ids) -> list[tuple]:
    """Bodies the user sits in that have not yet held this term's minimum number of meetings."""
    term = Term.of(timezone.localdate())
    bodies = (
        Body.objects.filter(pk__in=body_ids, min_meetings_per_term__gt=0)
        .select_related("agreement__local_group")
        .annotate(
            held=Count(
                "meetings",
                filter=Q(meetings__held_on__gte=term.start, meetings__held_on__lte=term.end),
            )
        )
        .order_by("agreement__title", "position", "id")
    )
    return [(body, body.held, term) for body in bodies if body.held < body.min_meetings_per_term]
