"""Justering: the chair appoints the justerare, who check the minutes under their own login;
an edit voids their checks, and the members are told when the minutes are published."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.audit import Purpose
from agreements.models import BodyMember, Meeting, MinutesChecker, MinutesStatus
from agreements.services.base import MinutesError, _audit, check_version, in_site_language
from bus_portal import outbox
from bus_portal.models import AuditAction, User

#: How many justerare a meeting has: one or two.
MAX_CHECKERS = 2


@transaction.atomic
def appoint_checkers(
    *,
    meeting: Meeting,
    members: list[BodyMember],
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> list[MinutesChecker]:
    """The chair appoints one or two justerare among the body's members with a portal login.

    A justerare kept keeps their check; one no longer appointed is removed with theirs.
    """
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    check_version(meeting, expected_version)
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.is_withdrawn:
        raise MinutesError(_("Justerare are appointed while the minutes are a draft."))
    if meeting.is_cancelled:
        raise MinutesError(_("The meeting is cancelled."))
    unique = list({m.pk: m for m in members}.values())
    if not 1 <= len(unique) <= MAX_CHECKERS:
        raise MinutesError(_("Appoint one or two justerare."))
    for member in unique:
        if member.body_id != meeting.body_id or not member.is_active_on(meeting.held_on):
            raise MinutesError(_("A justerare must be a member of the body."))
        if member.user_id is None:
            raise MinutesError(
                _("%(name)s has no portal login and cannot check the minutes.")
                % {"name": member.name}
            )
    current = {c.member_id: c for c in meeting.checkers.all()}
    before = ",".join(str(pk) for pk in sorted(current))
    wanted = {m.pk for m in unique}
    MinutesChecker.objects.filter(meeting=meeting).exclude(member_id__in=wanted).delete()
    MinutesChecker.objects.bulk_create(
        MinutesChecker(meeting=meeting, member=m, appointed_by=user)
        for m in unique
        if m.pk not in current
    )
    meeting.lock_version += 1
    meeting.save(update_fields=["lock_version"])
    _audit(
        user,
        AuditAction.CHANGE,
        meeting,
        Purpose.CHECKERS_APPOINTED,
        request,
        {"checkers": [before, ",".join(str(pk) for pk in sorted(wanted))]},
    )
    return list(meeting.checkers.select_related("member"))


def clear_checks(meeting: Meeting, user: User, request: HttpRequest | None = None) -> int:
    """An edit of draft minutes voids the checks made on the earlier text (audited)."""
    cleared = MinutesChecker.objects.filter(meeting=meeting, checked_at__isnull=False).update(
        checked_at=None, checked_by=None
    )
    if cleared:
        _audit(user, AuditAction.CHANGE, meeting, Purpose.CHECKS_CLEARED, request)
    return cleared


def missing_for_own_check(checker: MinutesChecker, today: datetime.date | None = None) -> list[str]:
    meeting = checker.meeting
    if checker.checked_at is not None:
        return [str(_("You have already checked these minutes."))]
    missing = meeting.missing_for_checking()
    if meeting.is_cancelled:
        missing.append(str(_("The meeting is cancelled.")))
    if meeting.held_on > (today or timezone.localdate()):
        missing.append(str(_("Minutes cannot be checked before the meeting was held.")))
    return missing


@transaction.atomic
def check_minutes(
    *, meeting: Meeting, user: User, request: HttpRequest | None = None
) -> MinutesChecker:
    """Justering under one's own login: the appointed justerare confirms the minutes (time-
    stamped). When every justerare has checked, the minutes are checked and can be published."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    checker = (
        MinutesChecker.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(meeting=meeting, member__user=user.pk)
        .first()
    )
    if checker is None:
        raise MinutesError(_("Only an appointed justerare checks the minutes."))
    checker.meeting = meeting
    missing = missing_for_own_check(checker)
    if missing:
        raise MinutesError(" ".join(missing))
    checker.checked_at = timezone.now()
    checker.checked_by = user
    checker.save(update_fields=["checked_at", "checked_by"])
    _audit(
        user,
        AuditAction.CHANGE,
        checker,
        Purpose.MINUTES_CHECKED,
        request,
        {"checked_at": ["", checker.checked_at.isoformat()]},
    )
    checkers = list(meeting.checkers.select_related("member").order_by("id"))
    if all(c.checked_at is not None for c in checkers):
        from agreements.services.meetings import _move_minutes

        _move_minutes(
            meeting,
            MinutesStatus.CHECKED,
            user,
            request,
            checker_name=", ".join(c.member.name for c in checkers)[:150],
            checked_on=timezone.localdate(),
        )
    return checker


@in_site_language
def notify_published(meeting: Meeting, user: User, request: HttpRequest | None = None) -> int:
    """Tell the body's members that the minutes are published (outbox; digest by default)."""
    members = [
        m
        for m in meeting.body.members.select_related("user").exclude(user=None)
        if m.is_active_on(meeting.held_on) or m.is_active_on(timezone.localdate())
    ]
    users = {m.user_id: m.user for m in members}
    url = reverse("agreements:meeting_detail", args=[meeting.pk])
    sent = 0
    for recipient in users.values():
        if outbox.send(
            recipient,  # type: ignore[arg-type]
            subject=_("Minutes published: %(body)s %(date)s")
            % {"body": meeting.body.name, "date": meeting.held_on.isoformat()},
            body=_("The minutes of the meeting of %(body)s on %(date)s are published.")
            % {"body": meeting.body.name, "date": meeting.held_on.isoformat()},
            url=url,
            source=f"agreements.meeting:{meeting.pk}",
        ):
            sent += 1
    _audit(user, AuditAction.CHANGE, meeting, Purpose.MINUTES_PUBLISHED_NOTIFIED, request)
    return sent
