"""What sip offers the steering group's agenda (registered in sip/apps.py)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from bus_portal.registry import AgendaSuggestion
from sip.models import ForumCase


def escalated_cases_for_agenda(local_group: LocalGroup) -> list[AgendaSuggestion]:
    """Forum cases escalated to this group's steering group and not yet closed.

    No personal data: the case number, the escalation date and, as the question in general
    terms, the kinds of service involved. The free-text question is never copied, because it
    may name the child.
    """
    cases = (
        ForumCase.objects.filter(local_group=local_group, status=ForumCase.Status.ESCALATED)
        .select_related("raising_unit")
        .prefetch_related("invited_units")
        .order_by("escalated_on", "id")
    )
    suggestions = []
    for case in cases:
        services = {case.raising_unit.get_service_type_display()}
        services.update(u.get_service_type_display() for u in case.invited_units.all())
        suggestions.append(
            AgendaSuggestion(
                title=_("Escalated individforum case %(number)s") % {"number": case.number},
                detail=_(
                    "Escalated on %(date)s; need noticed on %(noticed)s. "
                    "Question of collaboration between: %(services)s."
                )
                % {
                    "date": date_format(case.escalated_on, "Y-m-d"),
                    "noticed": date_format(case.need_noticed_on, "Y-m-d"),
                    "services": ", ".join(sorted(str(s) for s in services)),
                },
                source=f"sip.forumcase:{case.pk}",
            )
        )
    return suggestions
