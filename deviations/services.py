"""Everything that changes a deviation report: lock, re-check the guard, save, audit, notify."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from bus_portal import audit
from bus_portal.documents import Document
from bus_portal.errors import DomainError
from bus_portal.links import absolute_url
from bus_portal.models import AuditAction, User
from bus_portal.roles import COUNTY_ROLES, LOCAL_GROUP_ROLES, Role
from bus_portal.validity import valid_on_q
from deviations.audit import Purpose
from deviations.models import (
    CATEGORY_FIELDS,
    MANAGER_ROLES,
    REPORT_FIELDS,
    Category,
    Comment,
    CounterpartService,
    Deviation,
    DeviationStep,
    Notification,
    NotificationKind,
    Status,
)
from deviations.tasks import send_notification_email


class DeviationError(DomainError):
    """A domain rule refused the change; the message is shown to the user."""


class StepNotAllowed(DeviationError):
    pass


class NotAllowedToAct(DeviationError):
    pass


# --- recipients -------------------------------------------------------------------------------
def _users_with(q: Q) -> QuerySet[User]:
    """Active users with a membership matching ``q`` that is valid today (one filter: one join)."""
    active = valid_on_q(prefix="memberships__")
    return User.objects.filter(q & active, is_active=True).distinct().order_by("id")


def managers_of(deviation: Deviation) -> QuerySet[User]:
    return _users_with(
        Q(memberships__unit_id=deviation.reporter_unit_id, memberships__role__in=MANAGER_ROLES)
    )


def local_group_of(deviation: Deviation) -> QuerySet[User]:
    groups = LocalGroup.objects.valid_on().filter(areas=deviation.area_id)
    return _users_with(
        Q(memberships__local_group__in=groups, memberships__role__in=LOCAL_GROUP_ROLES)
    )


def county_users(*roles: str) -> QuerySet[User]:
    return _users_with(Q(memberships__role__in=roles))


def recipients_at(deviation: Deviation, status: str) -> list[User]:
    """Who must act when a report is at ``status`` (plus the reporter, who is always told)."""
    if status == Status.WITH_MANAGER:
        return list(managers_of(deviation))
    if status == Status.WITH_LOCAL_GROUP:
        return list(local_group_of(deviation))
    if status == Status.WITH_BUSSAM:
        # Reported to BUSSAM with a copy to the secretariat.
        return list(county_users(*COUNTY_ROLES))
    return []


def _notify(
    *,
    deviation: Deviation,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    body: str,
    step: DeviationStep | None = None,
    at: datetime.datetime | None = None,
) -> None:
    """One Notification row per recipient, and a background task to e-mail each.

    Enqueued inside the caller's transaction: with the database backend the task row commits or
    rolls back together with the change (an outbox), so no mail is sent for a change that failed.
    """
    seen = set()
    for recipient in recipients:
        if recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        notification = Notification.objects.create(
            recipient=recipient,
            deviation=deviation,
            step=step,
            kind=kind,
            subject=subject,
            body=body,
            created_at=at or timezone.now(),
        )
        send_notification_email.enqueue(notification.pk)


def _step_message(deviation: Deviation, step: DeviationStep) -> tuple[str, str]:
    status = deviation.get_status_display()
    subject = _("Deviation %(ref)s: %(status)s") % {"ref": deviation.reference, "status": status}
    lines = [
        _("The deviation report %(ref)s has moved to a new step: %(status)s.")
        % {"ref": deviation.reference, "status": status},
    ]
    if step.comment:
        lines.append(_("Comment: %(comment)s") % {"comment": step.comment})
    if deviation.status == Status.CLOSED and deviation.response:
        lines.append(
            _("The secretariat's response: %(response)s") % {"response": deviation.response}
        )
    lines.append(
        _("Read it in BUS-portalen: %(path)s")
        % {"path": absolute_url("deviations:detail", pk=deviation.pk)}
    )
    return subject, "\n\n".join(lines)


# --- the report ---------------------------------------------------------------------------------
def _apply_form(deviation: Deviation, cleaned: dict[str, Any]) -> None:
    for field in REPORT_FIELDS:
        if field in cleaned:
            setattr(deviation, field, cleaned[field])


def _set_relations(deviation: Deviation, cleaned: dict[str, Any]) -> None:
    if "counterpart_principals" in cleaned:
        deviation.counterpart_principals.set(cleaned["counterpart_principals"])
    if "counterpart_services" in cleaned:
        wanted = set(cleaned["counterpart_services"])
        deviation.counterpart_services.exclude(service_type__in=wanted).delete()
        have = set(deviation.counterpart_services.values_list("service_type", flat=True))
        CounterpartService.objects.bulk_create(
            [CounterpartService(deviation=deviation, service_type=s) for s in sorted(wanted - have)]
        )


def save_draft(
    *,
    user: User,
    cleaned: dict[str, Any],
    deviation: Deviation | None = None,
    request: HttpRequest | None = None,
) -> Deviation:
    """Create or update a draft from de-identified form data. Only the reporter edits a draft."""
    with transaction.atomic():
        if deviation is None:
            deviation = Deviation(reporter=user)
            action = AuditAction.CREATE
        else:
            deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
            if not deviation.can_edit(user):
                raise DeviationError(
                    _("Only the reporter can change a report, and only as a draft.")
                )
            action = AuditAction.CHANGE
        if cleaned["reporter_unit"].pk not in user.unit_ids:
            raise DeviationError(_("Choose one of your own units."))
        _apply_form(deviation, cleaned)
        if cleaned.get("confirm_no_identification"):
            deviation.confirmed_no_identification_at = timezone.now()
        deviation.save()
        _set_relations(deviation, cleaned)
        audit.record(
            user=user, action=action, obj=deviation, purpose=Purpose.DRAFT, request=request
        )
    return deviation


def move(
    *,
    deviation: Deviation,
    to_status: str,
    user: User,
    comment: str = "",
    request: HttpRequest | None = None,
) -> DeviationStep:
    """Take one step on the ladder: check the transition table and who may act, record the step,
    stamp the dates, audit, and notify the people at the new step and the reporter."""
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if not deviation.can_act(user):
            raise NotAllowedToAct(_("You cannot take the next step on this report."))
        missing = deviation.missing_for_move_to(to_status)
        if missing:
            raise StepNotAllowed(
                _("The step cannot be taken: %(missing)s") % {"missing": "; ".join(missing)}
            )
        now = timezone.now()
        from_status = deviation.status
        deviation.set_status(to_status, now)
        deviation.save()
        step = DeviationStep.objects.create(
            deviation=deviation,
            from_status=from_status,
            to_status=to_status,
            at=now,
            actor=user,
            comment=comment,
        )
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.STEP,
            # The step's from and to status, as every change record holds a field's old and new.
            changes={"status": [from_status, to_status]},
            request=request,
        )
        subject, body = _step_message(deviation, step)
        recipients = [deviation.reporter, *recipients_at(deviation, to_status)]
        if deviation.is_closed:
            recipients += list(managers_of(deviation))
        _notify(
            deviation=deviation,
            recipients=[u for u in recipients if u.pk != user.pk or u.pk == deviation.reporter_id],
            kind=NotificationKind.STEP,
            subject=subject,
            body=body,
            step=step,
        )
    return step


def add_comment(
    *, deviation: Deviation, user: User, text: str, request: HttpRequest | None = None
) -> Comment:
    """A comment on a report the user can see; the reporter is told."""
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
            _notify(
                deviation=deviation,
                recipients=[deviation.reporter],
                kind=NotificationKind.COMMENT,
                subject=_("New comment on deviation %(ref)s") % {"ref": deviation.reference},
                body=_("%(who)s commented on %(ref)s: %(text)s")
                % {"who": user, "ref": deviation.reference, "text": text},
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
            _notify(
                deviation=deviation,
                recipients=[assignee],
                kind=NotificationKind.ASSIGNED,
                subject=_("Deviation %(ref)s is assigned to you") % {"ref": deviation.reference},
                body=_("%(who)s assigned the deviation report %(ref)s to you.")
                % {"who": user, "ref": deviation.reference},
            )
    return deviation


def review(
    *,
    deviation: Deviation,
    user: User,
    cleaned: dict[str, Any],
    request: HttpRequest | None = None,
) -> Deviation:
    """The secretariat records its judgement (regional action) and its response."""
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if not deviation.can_review(user):
            raise NotAllowedToAct(_("Only the secretariat reviews open reports sent to BUSSAM."))
        before = {
            f: getattr(deviation, f) for f in ("regional_action", "regional_action_url", "response")
        }
        for field in before:
            setattr(deviation, field, cleaned.get(field, "") or "")
        deviation.save(update_fields=list(before))
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.REVIEW,
            changes=audit.diff_fields(
                {k: str(v) for k, v in before.items()},
                {k: str(getattr(deviation, k)) for k in before},
            ),
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
    """Remind whoever must act on reports waiting more than 14 days at a step.

    Idempotent: at most one reminder per report and step in any 7 days, however often it runs.
    Returns the number of reports reminded about.
    """
    now = now or timezone.now()
    waiting = (
        Deviation.objects.filter(
            status__in=(Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM),
            status_changed_at__lt=now - datetime.timedelta(days=REMIND_AFTER_DAYS),
        )
        .select_related("reporter")
        .order_by("id")
    )
    reminded = 0
    for deviation in waiting:
        with transaction.atomic():
            deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
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
            days = (now - deviation.status_changed_at).days
            subject = _("Reminder: deviation %(ref)s has waited %(days)s days") % {
                "ref": deviation.reference,
                "days": days,
            }
            body = _(
                "The deviation report %(ref)s has waited %(days)s days at the step “%(status)s”. "
                "Please take the next step: %(path)s"
            ) % {
                "ref": deviation.reference,
                "days": days,
                "status": deviation.get_status_display(),
                "path": absolute_url("deviations:detail", pk=deviation.pk),
            }
            recipients = recipients_at(deviation, deviation.status)
            if not recipients:
                continue
            _notify(
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
