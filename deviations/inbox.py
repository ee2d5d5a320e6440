"""The deviation items of the user's "Att göra" list (``bus_portal.inbox``).

Read from the state, so an item is gone when it is done: the reports at a step this user may
take (the ladder's rule, ``Deviation.objects.waiting_for``), the reports returned to them with a
question, their drafts not yet sent, and the responses their principal is asked for. Two queries
whatever the number of reports. Items name the report by its number, category and area only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.inbox import InboxItem
from deviations.counterparts import ResponseRequest
from deviations.models import Deviation, Status

# A step, a question or a response is expected within the reminders' time (then reminded).
EXPECTED_WITHIN_DAYS = 14


def _due(since: datetime.datetime) -> datetime.date:
    return timezone.localdate(since) + datetime.timedelta(days=EXPECTED_WITHIN_DAYS)


def _detail(deviation: Deviation) -> str:
    parts = [deviation.reference]
    parts += [x.name for x in (deviation.category, deviation.area) if x is not None]
    return " · ".join(parts)


def items(user) -> Iterator[InboxItem]:
    kind = _("Deviation")
    waiting = (
        Deviation.objects.waiting_for(user)
        .select_related("category", "area")
        .order_by("status_changed_at", "id")
    )
    for deviation in waiting:
        detail_url = reverse("deviations:detail", kwargs={"pk": deviation.pk})
        if deviation.status == Status.DRAFT:
            yield InboxItem(
                kind=kind,
                title=_("Finish and send your draft deviation report"),
                url=reverse("deviations:edit", kwargs={"pk": deviation.pk}),
                detail=_detail(deviation),
            )
        elif deviation.status == Status.RETURNED:
            yield InboxItem(
                kind=kind,
                title=_("Answer the question on your deviation report"),
                url=detail_url + "#question",
                due=_due(deviation.status_changed_at),
                detail=_detail(deviation),
            )
        else:
            yield InboxItem(
                kind=kind,
                title=_("Take the next step on a deviation report"),
                url=detail_url,
                due=_due(deviation.status_changed_at),
                detail=f"{_detail(deviation)} · {deviation.get_status_display()}",
            )
    requests = (
        ResponseRequest.objects.open()
        .filter(contact=user.pk)
        .select_related("deviation__category", "deviation__area", "principal")
        .order_by("requested_at", "id")
    )
    seen: set[tuple[int, int]] = set()
    for request in requests:
        if (request.deviation_id, request.principal_id) in seen:
            continue
        seen.add((request.deviation_id, request.principal_id))
        yield InboxItem(
            kind=kind,
            title=_("Write %(principal)s's response to a deviation report")
            % {"principal": request.principal.name},
            url=reverse("deviations:detail", kwargs={"pk": request.deviation_id}) + "#respond",
            due=_due(request.requested_at),
            detail=_detail(request.deviation),
        )
