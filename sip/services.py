"""Every change to a plan goes through these functions (consents: ``sip.consent_services``;
forum cases: ``sip.forum_services``).

Each locks the row, re-checks the model's guard, saves and writes the audit row in one
transaction, or raises a ``SipError`` the view turns into a message.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup, Unit
from bus_portal import audit
from bus_portal.errors import DomainError
from bus_portal.models import AuditAction, AuditEvent, User
from sip import auditing
from sip.audit import Purpose
from sip.child_services import ChildData, child_for_new_record, save_child
from sip.models import (
    Consent,
    ForumCase,
    Measure,
    MeasureEvaluation,
    Plan,
    PlanParticipant,
    PlanVersion,
)


class SipError(DomainError):
    """A change the rules do not allow; the message is shown to the user."""


class NotReady(SipError):
    def __init__(self, missing: list[tuple[str, str]]):
        self.missing = missing
        super().__init__(_("The plan cannot be agreed yet."))


@dataclass
class StaleEdit(SipError):
    """Someone saved the plan after this user opened it (the view shows what they changed)."""

    changed_by: str
    changed_at: datetime.datetime | None
    current_version: int = 0

    def __str__(self) -> str:
        return _("Someone else saved this plan while you were editing it.")


@dataclass
class PlanData:
    fields: dict
    participants: list[dict]
    measures: list[dict]


def local_group_for_unit(unit: Unit) -> LocalGroup | None:
    """The local BUS group of the unit's area (or its principal's area); None if ambiguous."""
    area_id = unit.area_id or unit.principal.area_id
    if area_id is None:
        return None
    groups = list(LocalGroup.objects.valid_on().filter(areas=area_id).order_by("id")[:2])
    return groups[0] if len(groups) == 1 else None


def _refuse_removing_recorded_rows(plan: Plan, data: PlanData) -> None:
    """A participant who signed a version or a measure that was evaluated stays in the plan:
    the versions refer to it. The form does not offer to remove them; a request that does
    anyway is refused, not silently ignored."""
    for model, rows, recorded, message in (
        (
            PlanParticipant,
            data.participants,
            "signoffs",
            _("%(name)s has signed a version of the plan and cannot be removed."),
        ),
        (
            Measure,
            data.measures,
            "evaluations",
            _("The measure “%(name)s” has been evaluated and cannot be removed."),
        ),
    ):
        kept = {row["id"] for row in rows if row.get("id")}
        removed = (
            model.objects.filter(plan=plan, **{f"{recorded}__isnull": False})
            .exclude(pk__in=kept)
            .distinct()
            .first()
        )
        if removed is not None:
            raise SipError(message % {"name": str(removed)[:80]})


def _replace_rows(plan: Plan, data: PlanData) -> None:
    """Sync participant and measure rows with the form; rows already signed or evaluated stay."""
    for model, rows, protected in (
        (PlanParticipant, data.participants, "signoffs"),
        (Measure, data.measures, "evaluations"),
    ):
        keep = [row["id"] for row in rows if row.get("id")]
        model.objects.filter(plan=plan).exclude(pk__in=keep).filter(
            **{f"{protected}__isnull": True}
        ).delete()
        for position, row in enumerate(rows):
            values = {k: v for k, v in row.items() if k != "id"}
            if row.get("id"):
                model.objects.filter(pk=row["id"], plan=plan).update(position=position, **values)
            else:
                model.objects.create(plan=plan, position=position, **values)


@transaction.atomic
def create_plan(
    *,
    user: User,
    owner_unit: Unit,
    local_group: LocalGroup,
    child: ChildData,
    data: PlanData,
    request: HttpRequest | None = None,
) -> Plan:
    """Start a draft SIP for a child, drafted by one of the user's units."""
    if owner_unit.pk not in user.unit_ids:
        raise SipError(_("You can only draft a plan for your own unit."))
    child_obj = child_for_new_record(child)
    plan = Plan(child=child_obj, owner_unit=owner_unit, local_group=local_group, created_by=user)
    for name, value in data.fields.items():
        setattr(plan, name, value)
    plan.save()
    _replace_rows(plan, data)
    record_for_child(user, plan, Purpose.PLAN_DRAFTED, request, action=AuditAction.CREATE)
    return plan


@transaction.atomic
def update_plan(
    *,
    plan: Plan,
    user: User,
    expected_version: int,
    child: ChildData,
    data: PlanData,
    request: HttpRequest | None = None,
) -> Plan:
    """Save an edit, refusing it if the plan was saved by someone else since the form was opened."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == Plan.Status.CLOSED:
        raise SipError(_("A closed plan cannot be changed."))
    if not locked.can_edit():
        raise SipError(
            _("The plan is agreed. Start a revision to change it; it must then be agreed again.")
        )
    if locked.lock_version != expected_version:
        last = (
            audit.events_for(locked)
            .filter(action=AuditAction.CHANGE)
            .order_by("-at", "-id")
            .first()
        )
        raise StaleEdit(
            changed_by=str(last.actor) if last and last.actor else "",
            changed_at=last.at if last else None,
            current_version=locked.lock_version,
        )
    _refuse_removing_recorded_rows(locked, data)
    before = locked.snapshot()
    save_child(locked.child, child)
    for name, value in data.fields.items():
        setattr(locked, name, value)
    locked.lock_version += 1
    locked.save()
    _replace_rows(locked, data)
    locked.refresh_from_db()
    # Which fields changed, by snapshot code (the child's names, identity number and guardians
    # included); what they say is in the plan's versions, behind the plan's access rules.
    compared = PlanVersion.compare(before, locked.snapshot())
    changes = {"fields": [code for code, _old, _new in compared]}
    record_for_child(user, locked, Purpose.PLAN_EDITED, request, changes=changes)
    return locked


def _new_version(
    plan: Plan, user: User, kind: str, meeting_on: datetime.date, **fields: Any
) -> PlanVersion:
    """Freeze the plan as its next version (in the caller's transaction, with the plan locked)."""
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return PlanVersion.objects.create(
        plan=plan, number=number, kind=kind, created_by=user, meeting_on=meeting_on, **fields
    )


@transaction.atomic
def start_revision(*, plan: Plan, user: User, request: HttpRequest | None = None) -> Plan:
    """Open an agreed plan for change as the draft of its next version.

    The latest version stays in force, and is what the plan's pages and prints show, until
    the revision is agreed (``agree_plan``) and becomes the next version.
    """
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not locked.can_revise():
        raise SipError(_("Only an agreed plan without a revision in progress can be revised."))
    in_force = locked.version_in_force()
    locked.in_revision = True
    locked.lock_version += 1
    locked.save(update_fields=["in_revision", "lock_version"])
    number = (in_force.number if in_force else 0) + 1
    changes = {"revision": ["", str(number)]}
    record_for_child(user, locked, Purpose.PLAN_REVISION_STARTED, request, changes=changes)
    return locked


@transaction.atomic
def agree_plan(
    *,
    plan: Plan,
    user: User,
    meeting_on: datetime.date,
    request: HttpRequest | None = None,
) -> PlanVersion:
    """Record the agreed plan, or its agreed revision, as its next version; from then on it is
    the version in force.

    Every participant is asked to confirm the version (``sip.confirmation_services``): the agreeing
    user's own units at once, the other units by their staff under their own login, the family
    by the case officer recording how they agreed.
    """
    from sip.confirmation_services import ask_for_confirmations

    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    missing = locked.missing_for_agreement()
    if missing:
        raise NotReady(missing)
    participants = list(locked.participants.all())
    if not participants:
        raise SipError(_("The plan needs at least one participant."))
    now = timezone.now()
    previous = locked.status
    locked.status = Plan.Status.AGREED
    # The first agreement's time: the indicators measure the time from need to agreed plan.
    locked.agreed_at = locked.agreed_at or now
    locked.in_revision = False
    if locked.first_meeting_on is None:
        locked.first_meeting_on = meeting_on
    locked.lock_version += 1
    locked.save()
    version = _new_version(
        locked, user, PlanVersion.Kind.AGREED, meeting_on, created_at=now, content=locked.snapshot()
    )
    confirmed = ask_for_confirmations(version, participants, user)
    changes = {
        "status": [previous, Plan.Status.AGREED],
        "version": ["", str(version.number)],
        "confirmed": [s.participant_id for s in confirmed],
    }
    record_for_child(user, locked, Purpose.PLAN_AGREED, request, changes=changes)
    return version


@transaction.atomic
def record_follow_up(
    *,
    plan: Plan,
    user: User,
    meeting_on: datetime.date,
    evaluations: dict[int, tuple[str, str]],
    summary: str,
    next_follow_up_on: datetime.date | None,
    request: HttpRequest | None = None,
) -> PlanVersion:
    """A follow-up meeting: evaluate every measure and freeze the result as a new version."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.in_revision:
        raise SipError(_("Agree the revision in progress before recording a follow-up."))
    if not locked.can_follow_up():
        raise SipError(_("Only an agreed plan can be followed up."))
    measures = list(locked.measures.all())
    if {m.pk for m in measures} - set(evaluations):
        raise SipError(_("Evaluate every measure."))
    previous = locked.status
    locked.status = Plan.Status.FOLLOW_UP
    locked.next_follow_up_on = next_follow_up_on
    locked.lock_version += 1
    locked.save()
    content = locked.snapshot(evaluations=[evaluations[m.pk] for m in measures], summary=summary)
    version = _new_version(
        locked, user, PlanVersion.Kind.FOLLOW_UP, meeting_on, summary=summary, content=content
    )
    MeasureEvaluation.objects.bulk_create(
        MeasureEvaluation(
            version=version, measure=m, outcome=evaluations[m.pk][0], comment=evaluations[m.pk][1]
        )
        for m in measures
    )
    changes = {"status": [previous, Plan.Status.FOLLOW_UP], "version": ["", str(version.number)]}
    record_for_child(user, locked, Purpose.PLAN_FOLLOWED_UP, request, changes=changes)
    return version


@transaction.atomic
def close_plan(*, plan: Plan, user: User, reason: str, request: HttpRequest | None = None) -> Plan:
    """Close the plan for good with a reason; every version stays readable.

    A revision in progress is left as it is, never agreed: the latest version stays the one shown.
    """
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not locked.can_close():
        raise SipError(_("The plan is already closed."))
    if not reason.strip():
        raise SipError(_("Give a reason for closing the plan."))
    previous = locked.status
    locked.status = Plan.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_reason = reason
    locked.lock_version += 1
    locked.save()
    changes = {"status": [previous, Plan.Status.CLOSED]}
    record_for_child(user, locked, Purpose.PLAN_CLOSED, request, changes=changes)
    return locked


# ---------------------------------------------------------------------------------------------
# Consent


def record_for_child(
    user: User,
    obj: Plan | ForumCase | Consent,
    purpose: Purpose,
    request: HttpRequest | None,
    *,
    action: str = AuditAction.CHANGE,
    changes: dict | None = None,
) -> AuditEvent:
    """Audit a change, a read or an export of a child's records, in the caller's transaction.

    The subject is always the child, so the unit chief's access log finds every row about the
    child. The row names the record by a label without content (``auditing.audit_label``: the
    plan's number, "Samtycke 12"), and ``changes`` holds codes — the fields that changed, a
    status, a version number — never translated text and never the child's data. The request is
    marked as audited, so ``sip.auditing`` adds no second row for it.
    """
    return auditing.record_about_child(
        user=user, obj=obj, action=action, purpose=purpose, request=request, changes=changes
    )


def record_read(
    *,
    user: User,
    obj: Plan | ForumCase | Consent,
    action: str = AuditAction.VIEW,
    purpose: Purpose,
    changes: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Audit a read, a print or an export of a child's data (``changes`` names what, as data)."""
    return record_for_child(user, obj, purpose, request, action=action, changes=changes)


def record_list_read(*, user: User, plans: list[Plan], request: HttpRequest | None = None) -> None:
    """Audit that a list showed these children's names, with one insert for the whole page."""
    if not plans:
        return
    content_type = ContentType.objects.get_for_model(Plan)
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    events = AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            action=AuditAction.VIEW,
            content_type=content_type,
            object_id=str(plan.pk),
            object_repr=auditing.audit_label(plan),
            subject=auditing.child_subject(plan),
            purpose=Purpose.PLAN_LIST_READ,
            ip_address=ip or None,
        )
        for plan in plans
    )
    auditing.note_recorded(request, {event.subject for event in events})
