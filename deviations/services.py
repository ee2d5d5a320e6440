"""Everything that changes a deviation report: lock, re-check the guard, save, audit, notify.

Redaction (removing an identity number or a name found later) is in ``deviations.redaction``;
the notification rows and their texts in ``deviations.notifications``, who receives them in
``deviations.recipients``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal import audit
from bus_portal.documents import Document
from bus_portal.models import AuditAction, User
from bus_portal.roles import Role
from deviations import notifications
from deviations.audit import Purpose
from deviations.counterpart_services import request_responses
from deviations.errors import (  # noqa: F401  (re-exported: the views and redaction use them)
    DeviationError,
    NotAllowedToAct,
    StepNotAllowed,
    refuse_identity_numbers,
)
from deviations.models import (
    CATEGORY_FIELDS,
    CLOSED_STATUSES,
    REPORT_FIELDS,
    WAITING_STATUSES,
    Category,
    Comment,
    CounterpartService,
    Deviation,
    DeviationStep,
    Notification,
    NotificationKind,
    Status,
)
from deviations.recipients import actors_of, informed_of


@dataclass
class StaleEdit(DeviationError):
    """Someone saved the report after this user opened it (the view shows what they changed)."""

    changed_by: str
    changed_at: datetime.datetime | None
    current_version: int = 0

    def __str__(self) -> str:
        return _("Someone else saved this report while you were editing it.")


# --- the report ---------------------------------------------------------------------------------
def _apply_form(deviation: Deviation, cleaned: dict[str, Any]) -> list[str]:
    """Copy the form's fields; the codes of those that changed."""
    changed = []
    for field in REPORT_FIELDS:
        if field not in cleaned:
            continue
        value = cleaned[field]
        model_field = Deviation._meta.get_field(field)
        assert isinstance(model_field, Field)
        before = getattr(deviation, model_field.attname)
        if before != (value.pk if isinstance(value, Model) else value):
            setattr(deviation, field, value)
            changed.append(field)
    return changed


def _set_relations(deviation: Deviation, cleaned: dict[str, Any]) -> list[str]:
    changed = []
    if "counterpart_principals" in cleaned:
        wanted_principals = {p.pk for p in cleaned["counterpart_principals"]}
        have_principals = set(deviation.counterpart_principals.values_list("pk", flat=True))
        if wanted_principals != have_principals:
            deviation.counterpart_principals.set(cleaned["counterpart_principals"])
            changed.append("counterpart_principals")
    if "counterpart_services" in cleaned:
        wanted = set(cleaned["counterpart_services"])
        have = set(deviation.counterpart_services.values_list("service_type", flat=True))
        if wanted != have:
            deviation.counterpart_services.exclude(service_type__in=wanted).delete()
            CounterpartService.objects.bulk_create(
                [
                    CounterpartService(deviation=deviation, service_type=s)
                    for s in sorted(wanted - have)
                ]
            )
            changed.append("counterpart_services")
    return changed


def _stale(deviation: Deviation) -> StaleEdit:
    last = (
        audit.events_for(deviation).filter(action=AuditAction.CHANGE).order_by("-at", "-id").first()
    )
    return StaleEdit(
        changed_by=str(last.actor) if last and last.actor else "",
        changed_at=last.at if last else None,
        current_version=deviation.lock_version,
    )


def save_draft(
    *,
    user: User,
    cleaned: dict[str, Any],
    deviation: Deviation | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Deviation:
    """Create or update a draft (or a report returned with a question) from de-identified form
    data. Only the reporter edits it; an edit saved against an older version than the stored one
    (``expected_version``) is refused with ``StaleEdit``, so nobody's text is lost unseen."""
    refuse_identity_numbers(
        **{k: v for k, v in cleaned.items() if k in REPORT_FIELDS and isinstance(v, str)}
    )
    with transaction.atomic():
        if deviation is None:
            deviation = Deviation(reporter=user)
            action = AuditAction.CREATE
        else:
            deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
            if not deviation.can_edit(user):
                raise DeviationError(
                    _(
                        "Only the reporter can change a report: a draft, or one returned to "
                        "them with a question."
                    )
                )
            if deviation.lock_version != (expected_version or 0):
                raise _stale(deviation)
            action = AuditAction.CHANGE
        if cleaned["reporter_unit"].pk not in user.unit_ids:
            raise DeviationError(_("Choose one of your own units."))
        changed = _apply_form(deviation, cleaned)
        if cleaned.get("confirm_no_identification"):
            deviation.confirmed_no_identification_at = timezone.now()
        if action == AuditAction.CHANGE:
            deviation.lock_version += 1
        deviation.save()
        changed += _set_relations(deviation, cleaned)
        audit.record(
            user=user,
            action=action,
            obj=deviation,
            purpose=Purpose.DRAFT,
            # Which fields changed, by code; what they say is in the report itself.
            changes={"fields": changed} if action == AuditAction.CHANGE else None,
            request=request,
        )
    return deviation


def move(
    *,
    deviation: Deviation,
    to_status: str,
    user: User,
    comment: str = "",
    outcome: str | None = None,
    principled_reason: str | None = None,
    request: HttpRequest | None = None,
) -> DeviationStep:
    """Take one step on the ladder: check the transition table and who may act, record the step,
    stamp the dates, audit, and notify the reporter and the people at the new step. At the
    local step the counterpart principals' contacts are asked for a response
    (``deviations.counterpart_services.request_responses``).

    A step brings its own texts: the question when a report is returned to the reporter (the
    ``comment``, required), the ``outcome`` the reporter receives when it is closed (required at
    every closing step), and, when the manager or the local group sends it on to BUSSAM, the
    ``principled_reason`` by which they judge it principled.
    """
    refuse_identity_numbers(
        comment=comment, outcome=outcome or "", principled_reason=principled_reason or ""
    )
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if not deviation.can_act(user):
            raise NotAllowedToAct(_("You cannot take the next step on this report."))
        if to_status == Status.RETURNED and not comment.strip():
            raise StepNotAllowed(_("Write the question the reporter is to answer."))
        fields = []
        if outcome is not None and to_status in CLOSED_STATUSES:
            deviation.response = outcome.strip()
            fields.append("response")
        if principled_reason is not None and to_status == Status.WITH_BUSSAM:
            deviation.is_principled = True
            deviation.principled_reason = principled_reason.strip()
            fields += ["is_principled", "principled_reason"]
        missing = deviation.missing_for_move_to(to_status)
        if missing:
            raise StepNotAllowed(
                _("The step cannot be taken: %(missing)s") % {"missing": "; ".join(missing)}
            )
        now = timezone.now()
        from_status = deviation.status
        deviation.set_status(to_status, now)
        deviation.lock_version += 1
        deviation.save()
        step = DeviationStep.objects.create(
            deviation=deviation,
            from_status=from_status,
            to_status=to_status,
            at=now,
            actor=user,
            comment=comment.strip(),
        )
        changes: dict[str, Any] = {"status": [from_status, to_status]}
        if fields:
            changes["fields"] = fields
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.STEP,
            # The step's from and to status, as every change record holds a field's old and new.
            changes=changes,
            request=request,
        )
        subject, body = notifications.step_message(deviation, step)
        recipients = [*actors_of(deviation), *informed_of(deviation)]
        notifications.notify(
            deviation=deviation,
            recipients=[deviation.reporter, *(u for u in recipients if u.pk != user.pk)],
            kind=NotificationKind.STEP,
            subject=subject,
            body=body,
            step=step,
        )
        if to_status == Status.WITH_LOCAL_GROUP:
            # At the local step the counterpart principals are asked for their response.
            request_responses(deviation=deviation, user=user, at=now, request=request)
    return step


def add_comment(
    *, deviation: Deviation, user: User, text: str, request: HttpRequest | None = None
) -> Comment:
    """A comment on a report the user can see; the reporter is told."""
    refuse_identity_numbers(text=text)
    with transaction.atomic():
        comment = Comment.objects.create(deviation=deviation, author=user, text=text)
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.COMMENT,
            request=request,
        )
        if deviation.reporter_id != user.pk:
            subject, body = notifications.comment_message(deviation, user, text)
            notifications.notify(
                deviation=deviation,
                recipients=[deviation.reporter],
                kind=NotificationKind.COMMENT,
                subject=subject,
                body=body,
            )
    return comment


def assign(
    *,
    deviation: Deviation,
    user: User,
    assignee: User | None,
    request: HttpRequest | None = None,
) -> Deviation:
    """The secretariat assigns a report to one of its members (or to nobody)."""
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if not deviation.can_assign(user):
            raise NotAllowedToAct(_("Only the secretariat assigns reports sent to BUSSAM."))
        if assignee is not None and not assignee.has_role(Role.SECRETARIAT):
            raise DeviationError(_("Reports can only be assigned to the secretariat."))
        before = deviation.assigned_to
        deviation.assigned_to = assignee
        deviation.save(update_fields=["assigned_to"])
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.ASSIGN,
            changes={"assigned_to": [str(before or ""), str(assignee or "")]},
            request=request,
        )
        if assignee is not None and assignee.pk != user.pk:
            subject, body = notifications.assigned_message(deviation, user)
            notifications.notify(
                deviation=deviation,
                recipients=[assignee],
                kind=NotificationKind.ASSIGNED,
                subject=subject,
                body=body,
            )
    return deviation


def review(
    *,
    deviation: Deviation,
    user: User,
    cleaned: dict[str, Any],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Deviation:
    """The secretariat records its judgement (regional action) and its response.

    Saved from a form opened at an older version than the stored one (``expected_version``;
    someone else of the secretariat saved meanwhile, or the report moved on), it is refused with
    ``StaleEdit``. Callers without a form (the demo, tests) pass no version."""
    refuse_identity_numbers(
        response=cleaned.get("response") or "", url=cleaned.get("regional_action_url") or ""
    )
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if not deviation.can_review(user):
            raise NotAllowedToAct(_("Only the secretariat reviews open reports sent to BUSSAM."))
        if expected_version is not None and deviation.lock_version != expected_version:
            raise _stale(deviation)
        names = ("regional_action", "regional_action_url", "response")
        changed = []
        for field in names:
            value = cleaned.get(field, "") or ""
            if getattr(deviation, field) != value:
                setattr(deviation, field, value)
                changed.append(field)
        deviation.lock_version += 1
        deviation.save(update_fields=[*names, "lock_version"])
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.REVIEW,
            # The codes of the fields only: the response is in the report, and a redaction
            # must be able to remove a name from it everywhere it is kept.
            changes={"fields": changed},
            request=request,
        )
    return deviation


def mark_read(*, notification: Notification, user: User) -> None:
    """The recipient has read the notification (only the first reading is stamped)."""
    if notification.recipient_id != user.pk:
        raise NotAllowedToAct(_("That notification is not yours."))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- the secretariat's categories and exports ---------------------------------------------------
def save_category(
    *,
    user: User,
    cleaned: dict[str, Any],
    category: Category | None = None,
    request: HttpRequest | None = None,
) -> Category:
    """Create or change a category and audit it in one transaction: no change without its row."""
    with transaction.atomic():
        if category is None:
            category = Category()
            action = AuditAction.CREATE
        else:
            category = Category.objects.select_for_update().get(pk=category.pk)
            action = AuditAction.CHANGE
        for field in CATEGORY_FIELDS:
            if field in cleaned:
                setattr(category, field, cleaned[field])
        category.save()
        audit.record(
            user=user, action=action, obj=category, purpose=Purpose.CATEGORY, request=request
        )
    return category


def record_statistics_export(
    *, user: User, document: Document, request: HttpRequest | None = None
) -> None:
    """Audit an export of the yearly figures. It is about all reports, not one row, so the row
    names the model and the file (which holds the year and the format)."""
    audit.record(
        user=user,
        action=AuditAction.EXPORT,
        model=Deviation,
        object_repr=document.filename,
        purpose=Purpose.STATISTICS_EXPORT,
        request=request,
    )


# --- reminders ------------------------------------------------------------------------------------
REMIND_AFTER_DAYS = 14
REMIND_EVERY_DAYS = 7


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind whoever may act on reports waiting more than 14 days at a step, and only them
    (``actors_of``: a report at BUSSAM reminds the secretariat, not BUSSAM's members; a report
    returned with a question reminds its reporter).

    Idempotent: at most one reminder per report and step in any 7 days, however often it runs.
    Returns the number of reports reminded about.
    """
    now = now or timezone.now()
    waiting = (
        Deviation.objects.filter(
            status__in=WAITING_STATUSES,
            status_changed_at__lt=now - datetime.timedelta(days=REMIND_AFTER_DAYS),
        )
        .select_related("reporter")
        .order_by("id")
    )
    reminded = 0
    for deviation in waiting:
        with transaction.atomic():
            deviation = (
                Deviation.objects.select_for_update()
                .select_related("reporter")
                .get(pk=deviation.pk)
            )
            step = deviation.steps.filter(to_status=deviation.status).order_by("-at", "-id").first()
            if step is None or deviation.status_changed_at >= now - datetime.timedelta(
                days=REMIND_AFTER_DAYS
            ):
                continue
            recent = Notification.objects.filter(
                deviation=deviation,
                step=step,
                kind=NotificationKind.REMINDER,
                created_at__gte=now - datetime.timedelta(days=REMIND_EVERY_DAYS),
            ).exists()
            if recent:
                continue
            recipients = actors_of(deviation)
            if not recipients:
                continue
            subject, body = notifications.reminder_message(
                deviation, (now - deviation.status_changed_at).days
            )
            notifications.notify(
                deviation=deviation,
                recipients=recipients,
                kind=NotificationKind.REMINDER,
                subject=subject,
                body=body,
                step=step,
                at=now,
            )
            reminded += 1
    return reminded
