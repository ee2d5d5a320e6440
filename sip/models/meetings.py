"""SIP meetings: the invitation (kallelse), who is invited, their replies, and reminders sent.

An invitation goes to a portal user, to a unit (its staff answer for it) or to an external
person by e-mail (who gets the time and place only). Each reply is kept as a row
(``InvitationReply``); the invitation holds the latest answer for lists and the inbox.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Unit
from sip.models.plans import Measure, Plan

if TYPE_CHECKING:
    from bus_portal.models import User


class SipMeeting(models.Model):
    """A SIP meeting the plan's initiator convenes: when, where (a place or a video link)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # RFC 5545 SEQUENCE of the calendar invitation: raised whenever the time or place changes.
    sequence = models.PositiveIntegerField(default=0)
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SIP meeting")
        verbose_name_plural = _("SIP meetings")
        ordering = ["plan", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="sipmeeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""), name="sipmeeting_place_or_link"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="sipmeeting_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.number} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def audit_label(self) -> str:
        return f"{self.plan.number} möte {self.pk}"

    @property
    def where(self) -> str:
        """The place and the video link, as an invitation states them."""
        return " · ".join(part for part in (self.place, self.video_link) if part)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_past(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    # -- guards -----------------------------------------------------------------------------
    def can_change(self) -> bool:
        return not self.is_cancelled and self.plan.status != Plan.Status.CLOSED

    def can_notify(self, now: datetime.datetime | None = None) -> bool:
        """Invitations go out only for a planned meeting that has not started."""
        return self.can_change() and not self.is_past(now)

    def can_reply(self, now: datetime.datetime | None = None) -> bool:
        return not self.is_cancelled and not self.is_past(now)


class InvitationQuerySet(models.QuerySet["MeetingInvitation"]):
    def for_user(self, user: User) -> InvitationQuerySet:
        """Invitations the user answers: their own, and their units' (staff with a SIP role)."""
        from bus_portal.roles import SIP_ROLES

        units = list(user.unit_ids_with_role(*SIP_ROLES))
        return self.filter(
            Q(kind=MeetingInvitation.Kind.USER, user_id=user.pk)
            | Q(kind=MeetingInvitation.Kind.UNIT, unit_id__in=units)
        )

    def open(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        """Not yet answered, for a planned meeting that has not started."""
        return self.filter(
            answer="",
            meeting__status=SipMeeting.Status.PLANNED,
            meeting__starts_at__gt=now or timezone.now(),
        ).exclude(meeting__plan__status=Plan.Status.CLOSED)


class MeetingInvitation(models.Model):
    class Kind(models.TextChoices):
        USER = "user", _("Person in the portal")
        UNIT = "unit", _("Unit")
        EXTERNAL = "external", _("External person (e-mail)")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(SipMeeting, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sip_invitations",
    )
    # The invited unit; for a person, the unit they were invited from (the declining principal).
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    # The meeting's sequence the last notice was sent for (None: never sent).
    notified_sequence = models.PositiveIntegerField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    # The latest reply (every reply is an InvitationReply row).
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "kind", "id"]
        indexes = [models.Index(fields=["user", "answer"], name="sip_invitation_user_answer")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="user") | Q(user__isnull=False), name="invitation_user_has_user"
            ),
            models.CheckConstraint(
                condition=~Q(kind="unit") | (Q(unit__isnull=False) & Q(user__isnull=True)),
                name="invitation_unit_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(kind="external") | (~Q(email="") & Q(user__isnull=True)),
                name="invitation_external_has_email",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(kind="user"),
                name="invitation_unique_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "unit"],
                condition=Q(kind="unit"),
                name="invitation_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(kind="external"),
                name="invitation_unique_email",
            ),
        ]

    def __str__(self) -> str:
        return self.invitee

    @property
    def invitee(self) -> str:
        if self.kind == self.Kind.USER and self.user is not None:
            return str(self.user)
        if self.kind == self.Kind.UNIT and self.unit is not None:
            return f"{self.unit.name}, {self.unit.principal.name}"
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def is_declined(self) -> bool:
        return self.answer == self.Answer.DECLINED

    def may_answer(self, user: User) -> bool:
        """Is the user the invited person, or staff (a SIP role) of the invited unit?"""
        from bus_portal.roles import SIP_ROLES

        if self.kind == self.Kind.USER:
            return self.user_id == user.pk
        if self.kind == self.Kind.UNIT:
            return self.unit_id in user.unit_ids_with_role(*SIP_ROLES)
        return False


class InvitationReply(models.Model):
    """One answer to an invitation; a later one replaces it, and both stay as the trail."""

    invitation = models.ForeignKey(
        MeetingInvitation, on_delete=models.CASCADE, related_name="replies"
    )
    answer = models.CharField(_("answer"), max_length=10, choices=MeetingInvitation.Answer.choices)
    reason = models.TextField(_("reason"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["invitation", "replied_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(answer="declined") | ~Q(reason=""), name="reply_decline_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_answer_display()} {self.replied_at:%Y-%m-%d %H:%M}"


class SipReminder(models.Model):
    """A reminder sent: the daily job sends each (kind, plan/measure, due date, user) once."""

    class Kind(models.TextChoices):
        MEASURE_ENDS = "measure_ends", _("A measure ends")
        FOLLOW_UP = "follow_up", _("Follow-up due")

    kind = models.CharField(max_length=14, choices=Kind.choices)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "measure", "due_on", "user"],
                condition=Q(measure__isnull=False),
                name="sipreminder_once_per_measure",
            ),
            models.UniqueConstraint(
                fields=["kind", "plan", "due_on", "user"],
                condition=Q(measure__isnull=True),
                name="sipreminder_once_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"
