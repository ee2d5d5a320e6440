"""The ladder of a deviation report, as the BUS agreement describes it: its statuses, the steps
between them and who acts at each. ``deviations.models`` re-exports these names; the guards that
use them (``Deviation.next_steps``, ``missing_for_move_to``, ``can_act``) are on the model.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from bus_portal.roles import LOCAL_GROUP_ROLES, Role

# The deviations-specific compositions of the shared role groups (bus_portal.roles).
# The nearest manager: acts on a report from their unit.
MANAGER_ROLES = (Role.UNIT_CHIEF,)
# Speak for a unit or a local group on the ladder, and as a counterpart's representative.
REPRESENTATIVE_ROLES = (*MANAGER_ROLES, *LOCAL_GROUP_ROLES)
# May write a report.
REPORTER_ROLES = (Role.CASE_OFFICER, *MANAGER_ROLES, *LOCAL_GROUP_ROLES)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    WITH_MANAGER = "with_manager", _("With the nearest manager")
    RESOLVED_LOCALLY = "resolved_locally", _("Resolved by the manager (closed)")
    WITH_LOCAL_GROUP = "with_local_group", _("With the local BUS group / BUS individforum")
    RESOLVED_IN_GROUP = "resolved_in_group", _("Resolved in the local BUS group (closed)")
    WITH_BUSSAM = "with_bussam", _("Reported to BUSSAM, copy to the secretariat")
    CLOSED = "closed", _("Closed by the secretariat with a response")
    RETURNED = "returned", _("Returned to the reporter with a question")


# The ladder (the BUS agreement's): the only steps that exist. Anything else is refused by
# ``can_move_to``. The nearest manager or the local group judges a report principled and sends
# it on to BUSSAM; any open step can return it to the reporter with a question, and the
# reporter sends it back to that same step (``Deviation.returned_from``). Closing at any level
# needs an outcome, which the reporter receives.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.WITH_MANAGER,),
    Status.WITH_MANAGER: (
        Status.RESOLVED_LOCALLY,
        Status.WITH_LOCAL_GROUP,
        Status.WITH_BUSSAM,
        Status.RETURNED,
    ),
    Status.WITH_LOCAL_GROUP: (Status.RESOLVED_IN_GROUP, Status.WITH_BUSSAM, Status.RETURNED),
    Status.WITH_BUSSAM: (Status.CLOSED, Status.RETURNED),
    # From RETURNED only back to the step that returned it: see ``Deviation.next_steps``.
    Status.RETURNED: (),
}
OPEN_STATUSES = (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM)
CLOSED_STATUSES = (Status.RESOLVED_LOCALLY, Status.RESOLVED_IN_GROUP, Status.CLOSED)
# Waiting for someone to act (the reminders' statuses).
WAITING_STATUSES = (*OPEN_STATUSES, Status.RETURNED)

# The usual way up the ladder to each status (the demo and scale data walk it).
_USUAL_FROM: dict[str, str] = {
    Status.WITH_MANAGER: Status.DRAFT,
    Status.RESOLVED_LOCALLY: Status.WITH_MANAGER,
    Status.WITH_LOCAL_GROUP: Status.WITH_MANAGER,
    Status.RESOLVED_IN_GROUP: Status.WITH_LOCAL_GROUP,
    Status.WITH_BUSSAM: Status.WITH_LOCAL_GROUP,
    Status.CLOSED: Status.WITH_BUSSAM,
    Status.RETURNED: Status.WITH_MANAGER,
}


def steps_to(status: str) -> list[str]:
    """The statuses a report passes from a draft to ``status``, the usual way up the ladder."""
    steps: list[str] = []
    while status != Status.DRAFT:
        steps.insert(0, status)
        status = _USUAL_FROM[status]
    return steps


# Which group of people acts at each status that waits for someone.
ACTOR_AT: dict[str, str] = {
    Status.DRAFT: "reporter",
    Status.RETURNED: "reporter",
    Status.WITH_MANAGER: "manager",
    Status.WITH_LOCAL_GROUP: "local_group",
    Status.WITH_BUSSAM: "secretariat",
}

# Events before this date are typing mistakes (the portal and the agreement are much younger).
EARLIEST_EVENT_DATE = datetime.date(2000, 1, 1)
