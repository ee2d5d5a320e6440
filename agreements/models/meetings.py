"""Meetings of a body: attendees, agenda, minutes (draft → checked → published), decisions and
addenda. Assignments given at a meeting are in ``assignments``; its notice, justerare and papers
in ``notices``."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.bodies import Body, BodyMember
from agreements.models.directory import Principal
from agreements.models.terms import Term
from bus_portal.roles import Role

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CHECKED = "checked", _("Checked")
    PUBLISHED = "published", _("Published")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Published minutes for everyone logged in; drafts only for the body's members (and admin)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.has_role(Role.ADMIN):
            return self
        return self.filter(self._visible_q(user))

    def with_visibility(self, user) -> MeetingQuerySet:
        """``visible_to`` as an ``is_visible`` column: one query serves the rules (all meetings)
        and the log (the visible ones)."""
        if not getattr(user, "is_authenticated", False):
            return self.annotate(is_visible=Value(False))
        if user.is_superuser or user.has_role(Role.ADMIN):
            return self.annotate(is_visible=Value(True))
        return self.annotate(
            is_visible=Case(
                When(self._visible_q(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    @staticmethod
    def _visible_q(user) -> Q:
        member_bodies = BodyMember.objects.valid_on().filter(user=user).values("body_id")
        return Q(minutes_status=MinutesStatus.PUBLISHED) | Q(body_id__in=member_bodies)

    def with_counts(self) -> MeetingQuerySet:
        """Decisions, assignments and attendees per meeting, as the meeting log shows them.

        Correlated subqueries rather than joins: three joined child tables multiply rows, and a
        subquery is only evaluated for the rows actually returned (a page of the log).
        """
        # Imported here: the assignments module imports this one for its foreign key.
        from agreements.models.assignments import Assignment

        def count(model):
            rows = (
                model.objects.filter(meeting=OuterRef("pk"))
                .order_by()
                .values("meeting")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(rows), 0)

        return self.annotate(
            decision_count=count(Decision),
            assignment_count=count(Assignment),
            attendee_count=count(Attendee),
        )

    def in_term(self, term: Term) -> MeetingQuerySet:
        return self.filter(held_on__gte=term.start, held_on__lte=term.end)

    def counted(self) -> MeetingQuerySet:
        """Meetings the rules count: not withdrawn as logged by mistake, not cancelled."""
        return self.filter(withdrawn_at__isnull=True, cancelled_at__isnull=True)

    def planned(self, today: datetime.date | None = None) -> MeetingQuerySet:
        """Coming meetings that will be held: today or later, not cancelled or withdrawn."""
        return self.filter(
            held_on__gte=today or timezone.localdate(),
            withdrawn_at__isnull=True,
            cancelled_at__isnull=True,
        )


class Meeting(models.Model):
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"), null=True, blank=True)
    ends_at = models.TimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    host_principal = models.ForeignKey(
        Principal,
        verbose_name=_("host principal"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The principal whose premises the meeting is held at."),
    )
    chair = models.ForeignKey(
        BodyMember,
        verbose_name=_("chair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    convenor = models.ForeignKey(
        BodyMember,
        verbose_name=_("convenor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes status"),
        max_length=10,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    checker_name = models.CharField(_("checked by"), max_length=150, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A checked or published meeting logged by mistake (a test, a duplicate) is not deleted: it
    # is withdrawn, with who, when and why, stays readable and no longer counts in the rules.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The notice (kallelse): when it was last sent, its iCalendar SEQUENCE (one more for every
    # update of time or place) and the time and place it said (an edit that changes them sends
    # an update).
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    notice_sequence = models.PositiveIntegerField(_("notice version"), default=0, editable=False)
    notice_sent_for = models.CharField(max_length=300, blank=True, editable=False)
    # A coming meeting that will not be held is cancelled (the members' calendars are told).
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Optimistic locking of the edit form (bus_portal.concurrency): one more at every save.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = MeetingQuerySet.as_manager()

    # Set by agreements.access.get_meeting_for_user: who fetched the row, and whether they are a
    # current member of the body (so the edit check needs no second query).
    viewer_id: int
    viewer_is_member: bool

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        indexes = [
            # The meeting log (a body's meetings, newest first) and the term counts per body.
            models.Index(fields=["body", "held_on", "id"], name="meeting_body_held_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_status="draft") | Q(checked_on__isnull=False),
                name="meeting_checked_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(minutes_status="published") | Q(published_at__isnull=False),
                name="meeting_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="meeting_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.name} {self.held_on:%Y-%m-%d}"

    @property
    def term(self) -> Term:
        return Term.of(self.held_on)

    @property
    def chair_principal(self) -> Principal | None:
        """Whoever chairs: the chair's principal, else the host (chairs follow the meeting place)."""
        if self.chair is not None and self.chair.unit is not None:
            return self.chair.unit.principal
        return self.host_principal

    @property
    def is_published(self) -> bool:
        return self.minutes_status == MinutesStatus.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def calendar_uid(self) -> str:
        """The iCalendar UID: the same for every notice, update and cancellation of the meeting."""
        return f"agreements-meeting-{self.pk}@bus-portalen"

    def starts(self) -> datetime.datetime | None:
        """When the meeting starts, in Swedish time (None without a start time)."""
        if self.starts_at is None:
            return None
        return datetime.datetime.combine(self.held_on, self.starts_at, tzinfo=STOCKHOLM)

    def ends(self) -> datetime.datetime | None:
        """When it ends: the end time, else two hours after the start."""
        start = self.starts()
        if start is None:
            return None
        if self.ends_at is not None and self.ends_at > self.starts_at:  # type: ignore[operator]
            return datetime.datetime.combine(self.held_on, self.ends_at, tzinfo=STOCKHOLM)
        return start + datetime.timedelta(hours=2)

    def is_past(self, now: datetime.datetime | None = None) -> bool:
        """Has the meeting begun (a meeting without a start time: has its day passed)?"""
        now = now or timezone.now()
        start = self.starts()
        if start is None:
            return self.held_on < now.astimezone(STOCKHOLM).date()
        return start <= now

    def notice_key(self) -> str:
        """The time and place a notice states; a change of either sends an update."""
        return f"{self.held_on}|{self.starts_at or ''}|{self.ends_at or ''}|{self.place}"[:300]

    def can_edit(self) -> bool:
        """Only draft minutes change; checked and published ones get addenda."""
        return self.minutes_status == MinutesStatus.DRAFT

    def can_delete(self) -> bool:
        """A draft (shown to nobody outside the body) is deleted when it was logged by mistake."""
        return self.minutes_status == MinutesStatus.DRAFT

    def can_withdraw(self) -> bool:
        """Checked or published minutes logged by mistake are withdrawn, never deleted."""
        return self.minutes_status != MinutesStatus.DRAFT and not self.is_withdrawn

    def can_add_addendum(self) -> bool:
        """Checked and published minutes are corrected by addenda; drafts are edited."""
        return self.minutes_status != MinutesStatus.DRAFT

    def can_check(self) -> bool:
        return not self.missing_for_checking()

    def missing_for_checking(self) -> list[str]:
        """What stands in the way of checking the minutes (empty: they can be checked)."""
        missing = []
        if self.minutes_status != MinutesStatus.DRAFT:
            missing.append(str(_("Only draft minutes can be checked.")))
        if not self.minutes.strip():
            missing.append(str(_("The minutes are empty.")))
        return missing

    def can_publish(self) -> bool:
        return not self.missing_for_publishing()

    def missing_for_publishing(self) -> list[str]:
        """What stands in the way of publishing the minutes (empty: they can be published)."""
        if self.minutes_status != MinutesStatus.CHECKED:
            return [str(_("Minutes must be checked before they are published."))]
        if self.is_withdrawn:
            return [str(_("The meeting is withdrawn as logged by mistake; it is not published."))]
        return []


class Attendee(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendees"
    )
    member = models.ForeignKey(
        BodyMember,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
    )
    guest_name = models.CharField(_("guest"), max_length=150, blank=True)
    guest_organisation = models.CharField(_("organisation"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "guest_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(guest_name=""),
                name="attendee_member_or_guest",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="attendee_unique_member",
            ),
        ]

    def __str__(self) -> str:
        if self.member is not None:
            return self.member.name
        return (
            f"{self.guest_name} ({self.guest_organisation})"
            if self.guest_organisation
            else self.guest_name
        )


class AgendaItem(models.Model):
    """One agenda item; ``source`` names where a carried-in item came from, so it is added once."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # The § number in the minutes: given in agenda order whenever the agenda changes (only while
    # the minutes are a draft), so checked and published minutes keep theirs.
    number = models.PositiveSmallIntegerField(_("§"), null=True, blank=True)
    title = models.CharField(_("item"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source"],
                condition=~Q(source=""),
                name="agendaitem_unique_source",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("decision"))
    is_focus_area = models.BooleanField(_("focus area for next year"), default=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class MinutesAddendum(models.Model):
    """Published minutes never change; a correction is appended as an addendum."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="addenda"
    )
    text = models.TextField(_("addendum"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["meeting", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
