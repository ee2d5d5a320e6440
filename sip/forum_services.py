"""Changes to BUS individforum cases: raise, record the protocol, close after escalation."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup, Unit
from bus_portal.models import AuditAction, User
from bus_portal.roles import Role
from sip.audit import Purpose
from sip.child_services import ChildData, child_for_new_record
from sip.models import ForumCase
from sip.services import SipError, record_for_child


@transaction.atomic
def raise_forum_case(
    *,
    user: User,
    raising_unit: Unit,
    local_group: LocalGroup,
    child: ChildData,
    need_noticed_on: datetime.date,
    question: str,
    invited_units: list[Unit],
    invited_officers: str = "",
    request: HttpRequest | None = None,
) -> ForumCase:
    """A unit chief raises a case for BUS individforum; the two-week clock starts at need noticed."""
    if raising_unit.pk not in user.unit_ids_with_role(Role.UNIT_CHIEF):
        raise SipError(_("Only a unit chief can raise a forum case for the unit."))
    if need_noticed_on > timezone.localdate():
        raise SipError(_("The need cannot be noticed in the future."))
    child_obj = child_for_new_record(child)
    case = ForumCase.objects.create(
        child=child_obj,
        local_group=local_group,
        raising_unit=raising_unit,
        raised_by=user,
        need_noticed_on=need_noticed_on,
        question=question,
        invited_officers=invited_officers,
    )
    case.invited_units.set(invited_units)
    record_for_child(user, case, Purpose.FORUM_CASE_RAISED, request, action=AuditAction.CREATE)
    return case


@transaction.atomic
def record_protocol(
    *, case: ForumCase, user: User, protocol: dict, request: HttpRequest | None = None
) -> ForumCase:
    """Record the meeting's protocol; the outcome resolves the case or escalates it."""
    locked = ForumCase.objects.select_for_update().get(pk=case.pk)
    missing = locked.missing_for_protocol()
    if missing:
        raise SipError(" ".join(str(m) for m in missing))
    for name, value in protocol.items():
        setattr(locked, name, value)
    locked.protocol_recorded_at = timezone.now()
    if locked.outcome == ForumCase.Outcome.ESCALATED:
        locked.status = ForumCase.Status.ESCALATED
        locked.escalated_on = locked.escalated_on or timezone.localdate()
    else:
        locked.status = ForumCase.Status.CLOSED
        locked.closed_at = locked.protocol_recorded_at
        locked.closed_reason = str(_("Resolved in BUS individforum"))
        locked.escalated_on = None
    locked.save()
    changes = {"outcome": ["", locked.outcome]}
    record_for_child(user, locked, Purpose.FORUM_PROTOCOL_RECORDED, request, changes=changes)
    return locked


@transaction.atomic
def close_forum_case(
    *, case: ForumCase, user: User, reason: str, request: HttpRequest | None = None
) -> ForumCase:
    """Close an escalated case once the steering group has dealt with it."""
    locked = ForumCase.objects.select_for_update().get(pk=case.pk)
    if locked.status != ForumCase.Status.ESCALATED:
        raise SipError(_("Only an escalated case is closed this way."))
    if not reason.strip():
        raise SipError(_("Give a reason for closing the case."))
    locked.status = ForumCase.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_reason = reason
    locked.save()
    changes = {"status": [ForumCase.Status.ESCALATED, ForumCase.Status.CLOSED]}
    record_for_child(user, locked, Purpose.FORUM_CASE_CLOSED, request, changes=changes)
    return locked
