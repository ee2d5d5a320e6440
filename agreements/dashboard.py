"""Start-page panels: open assignments and minutes waiting for this user's bodies."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Assignment, Body, BodyMember, Meeting, MinutesStatus, Term
from agreements.overview import term_meeting_count
from bus_portal.registry import Panel, panels_with_rows


def panels(request) -> list[Panel]:
    """Three queries for a body member (one for anyone else), however many meetings there are."""
    if not request.user.is_authenticated:
        return []
    today = timezone.localdate()
    term = Term.of(today)
    # The user's bodies with this term's meeting count: which bodies to look in, and which are behind.
    bodies = list(
        Body.objects.filter(
            pk__in=BodyMember.objects.valid_on().filter(user=request.user.pk).values("body_id")
        )
        .select_related("agreement__local_group")
        .annotate(held=term_meeting_count(term))
        .order_by("agreement__title", "position", "id")
    )
    if not bodies:
        return []
    body_ids = [body.pk for body in bodies]
    assignments = list(
        Assignment.objects.open()
        .filter(body_id__in=body_ids)
        .select_related("body__agreement__local_group", "meeting")
        .order_by("due_on", "id")[:10]
    )
    drafts = list(
        Meeting.objects.counted()
        # A coming meeting has no minutes yet: it is in the "Att göra" list by its notice.
        .filter(body_id__in=body_ids, held_on__lte=today)
        .exclude(minutes_status=MinutesStatus.PUBLISHED)
        .select_related("body__agreement__local_group")
        .order_by("held_on", "id")[:10]
    )
    # Bodies the user sits in that have not yet held this term's minimum number of meetings.
    behind = [
        (body, body.held, term)
        for body in bodies
        if body.min_meetings_per_term > 0 and body.held < body.min_meetings_per_term
    ]
    return panels_with_rows(
        "agreements/panels",
        [
            (_("Open assignments for your groups"), "assignments", assignments, 30),
            (_("Minutes not yet published"), "minutes", drafts, 31),
            (_("Meeting rules not yet met this term"), "rules", behind, 32),
        ],
        today=today,
    )
