"""Deviation reports (avvikelser): failures of collaboration between principals.

A report never holds a child's personal data: the form refuses identity numbers and warns on names
and dates of birth (see ``deviations.deidentify``), and what got in anyway can be redacted
(``deviations.redaction``). The ladder is a status with an allowed-transition table; every step
taken is a ``DeviationStep`` row (when, who, comment). Notifications are in
``deviations.notifications``, counterparts' responses in ``deviations.counterparts`` (imported here).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Area, LocalGroup, Principal, ServiceType, Unit
from bus_portal.roles import COUNTY_ROLES, LOCAL_GROUP_ROLES, Role
from deviations import counterparts

# The ladder's statuses and steps, re-exported: the app's modules import them from here.
from deviations.ladder import (  # noqa: F401
    ACTOR_AT,
    CLOSED_STATUSES,
    EARLIEST_EVENT_DATE,
    MANAGER_ROLES,
    OPEN_STATUSES,
    REPORTER_ROLES,
    REPRESENTATIVE_ROLES,
    TRANSITIONS,
    WAITING_STATUSES,
    Status,
    steps_to,
)
from deviations.notifications import (  # noqa: F401  (the app's models; imported from here)
    Notification,
    NotificationKind,
    NotificationQuerySet,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bus_portal.models import User

# The six starting categories (issue 5); migration 0002 adds them, the demo seed re-adds them
# after test flushes. Data in Swedish: the secretariat maintains the list.
STARTING_CATEGORIES = [
    ("Oklart ansvar mellan huvudmän", 10),
    ("Remiss avvisad", 20),
    ("Väntetid", 30),
    ("SIP inte hållen eller inte följd", 40),
    ("Information inte delad", 50),
    ("Annat", 90),
]


class Category(models.Model):
    """A theme of deviations; the secretariat keeps the list."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Inactive categories cannot be chosen for new reports."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


# What the secretariat edits of a category (the form's fields; the service copies the same).
CATEGORY_FIELDS = ("name", "description", "position", "is_active")


class RegionalAction(models.TextChoices):
    NONE = "", _("Not judged yet")
    NOT_NEEDED = "not_needed", _("No regional action needed")
    GUIDELINE = "guideline", _("Regional guideline needed")
    ROUTINE = "routine", _("Regional routine needed")


def _local_group_ids(user: User) -> set[int]:
    """The local groups the user speaks for (chair, steering or working group)."""
    return {
        m.local_group_id
        for m in user.active_memberships
        if m.role in LOCAL_GROUP_ROLES and m.local_group_id
    }


class DeviationQuerySet(models.QuerySet["Deviation"]):
    def submitted(self) -> DeviationQuerySet:
        return self.exclude(status=Status.DRAFT)

    def visible_to(self, user: User | AnonymousUser) -> DeviationQuerySet:
        """The reporter, their managers, their local group, the counterpart's local
        representatives, the counterpart contacts asked to respond, and (for reports escalated
        to BUSSAM) the secretariat and BUSSAM."""
        if not user.is_authenticated:
            return self.none()
        q = Q(reporter=user)
        many = False  # does q follow a many-valued relation (and so may repeat a report)?
        submitted = ~Q(status=Status.DRAFT)
        manager_units = user.unit_ids_with_role(*MANAGER_ROLES)
        if manager_units:
            q |= submitted & Q(reporter_unit_id__in=manager_units)
        group_ids = _local_group_ids(user)
        if group_ids:
            q |= Q(reached_local_group_at__isnull=False, area__local_groups__in=group_ids)
            many = True
        # The counterpart's local representative: a chief or steering/working-group member in a
        # unit of a named counterpart principal, in the report's area (by the unit's area or by
        # the local group the membership is for).
        for m in user.active_memberships:
            if m.role not in REPRESENTATIVE_ROLES:
                continue
            local = Q()
            if m.unit.area_id:
                local |= Q(area_id=m.unit.area_id)
            if m.local_group_id:
                local |= Q(area__local_groups=m.local_group_id)
            if local:
                q |= submitted & Q(counterpart_principals=m.unit.principal_id) & local
                many = True
        # A counterpart's contact asked to respond: a subquery, so no report repeats.
        asked = counterparts.ResponseRequest.objects.filter(contact=user.pk)
        q |= submitted & Q(pk__in=asked.values("deviation_id"))
        if user.has_role(*COUNTY_ROLES):
            q |= Q(reached_bussam_at__isnull=False)
        return self._distinct_filter(q, many)

    def _distinct_filter(self, q: Q, many: bool) -> DeviationQuerySet:
        """Filter by q, each report once. Only a many-valued relation in q (a report's area in
        several local groups, several counterpart principals) can repeat a report; then the
        filter goes through a subquery of ids. Without one, the plain filter lets the database
        use the indexes for the ordering (the secretariat's queue)."""
        if many:
            return self.filter(pk__in=self.filter(q).values("pk"))
        return self.filter(q)

    def waiting_for(self, user: User | AnonymousUser) -> DeviationQuerySet:
        """Reports where this user may take the next step (same rule as ``Deviation.can_act``)."""
        if not user.is_authenticated:
            return self.none()
        q = Q(status__in=(Status.DRAFT, Status.RETURNED), reporter=user)
        manager_units = user.unit_ids_with_role(*MANAGER_ROLES)
        if manager_units:
            q |= Q(status=Status.WITH_MANAGER, reporter_unit_id__in=manager_units)
        group_ids = _local_group_ids(user)
        if group_ids:
            q |= Q(status=Status.WITH_LOCAL_GROUP, area__local_groups__in=group_ids)
        if user.has_role(Role.SECRETARIAT):
            q |= Q(status=Status.WITH_BUSSAM)
        return self._distinct_filter(q, many=bool(group_ids))


# What the reporter writes in a report (the form's fields; the service copies the same). The
# counterpart principals and services are relations, set apart.
REPORT_FIELDS = (
    "reporter_unit",
    "event_date",
    "area",
    "category",
    "description",
    "consequence",
    "tried_locally",
    "proposed_improvement",
    "is_principled",
    "principled_reason",
    "contact_person",
)
# Every free text of a report: de-identified by the forms, searched by the nightly check and
# the redaction (with the steps' comments, the comments and the notifications).
TEXT_FIELDS = (
    "description",
    "consequence",
    "tried_locally",
    "proposed_improvement",
    "principled_reason",
    "contact_person",
    "response",
)


class Deviation(models.Model):
    """One deviation report. Free text is de-identified by the form before it gets here."""

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.PROTECT,
        related_name="deviations_reported",
    )
    reporter_unit = models.ForeignKey(
        Unit, verbose_name=_("reporter's unit"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart_principals = models.ManyToManyField(
        Principal,
        verbose_name=_("counterpart principals"),
        related_name="deviations_named_in",
        blank=True,
    )
    event_date = models.DateField(_("date of the event"), null=True, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
    )
    description = models.TextField(_("description of the collaboration problem"), blank=True)
    consequence = models.TextField(_("consequence for the child, in general terms"), blank=True)
    tried_locally = models.TextField(_("what was tried locally"), blank=True)
    proposed_improvement = models.TextField(_("proposed improvement"), blank=True)
    is_principled = models.BooleanField(_("of principled nature"), default=False)
    principled_reason = models.TextField(_("why it is of principled nature"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    confirmed_no_identification_at = models.DateTimeField(
        _("confirmed that no child can be identified"), null=True, blank=True
    )

    # Secretariat's handling.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deviations_assigned",
    )
    regional_action = models.CharField(
        _("regional action"), max_length=20, choices=RegionalAction.choices, blank=True
    )
    regional_action_url = models.URLField(_("link to the regional action"), blank=True)
    # The outcome the reporter receives when the report is closed, at whichever step: the
    # manager's, the local group's, or the secretariat's response.
    response = models.TextField(_("outcome"), blank=True)
    # A report returned with a question goes back to this step when the reporter resubmits it.
    returned_from = models.CharField(
        _("returned from"), max_length=20, choices=Status.choices, blank=True
    )
    # Optimistic locking: the number of saved changes; an edit form carries the one it was
    # opened at, and a save against a newer one is refused with what changed (409).
    lock_version = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reached_local_group_at = models.DateTimeField(null=True, blank=True)
    reached_bussam_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = DeviationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(submitted_at__isnull=False),
                name="deviation_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLOSED_STATUSES) | ~Q(response=""),
                name="deviation_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RETURNED) | ~Q(returned_from=""),
                name="deviation_returned_has_step",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "status_changed_at"], name="deviation_status_idx"),
            # The statistics and the indicators count a year's reports by the date of the event.
            models.Index(fields=["event_date"], name="deviation_event_date_idx"),
            # The secretariat's queue: reports sent to BUSSAM, newest first, a page at a time.
            models.Index(
                F("reached_bussam_at").desc(),
                F("id").desc(),
                condition=Q(reached_bussam_at__isnull=False),
                name="deviation_bussam_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"AV-{self.pk:05d}" if self.pk else "AV-?"

    # --- guards -----------------------------------------------------------------------------
    def missing_for_submission(self) -> list[str]:
        """What a draft lacks before it can go to the nearest manager."""
        missing = []
        required = [
            ("event_date", _("date of the event")),
            ("area", _("area")),
            ("category", _("category")),
            ("description", _("description of the collaboration problem")),
            ("consequence", _("consequence for the child, in general terms")),
            ("contact_person", _("contact person")),
        ]
        for field, label in required:
            if not getattr(self, field):
                missing.append(str(label))
        if self.pk and not self.counterpart_principals.exists():
            missing.append(str(_("counterpart principals")))
        if self.pk and not self.counterpart_services.exists():
            missing.append(str(_("counterpart services")))
        if self.is_principled and not self.principled_reason:
            missing.append(str(_("why it is of principled nature")))
        if not self.confirmed_no_identification_at:
            missing.append(str(_("confirmation that no child can be identified")))
        return missing

    @property
    def next_steps(self) -> tuple[str, ...]:
        """The steps the table allows from here; a returned report goes back where it was."""
        if self.status == Status.RETURNED:
            return (self.returned_from,) if self.returned_from else ()
        return TRANSITIONS.get(self.status, ())

    def missing_before_step(self, target: str) -> list[str]:
        """Why the step to ``target`` cannot be taken, apart from the texts the step itself
        brings (the outcome of a closing step, the reason for sending on to BUSSAM): the
        confirmation page asks for those."""
        if target not in self.next_steps:
            return [str(_("That step is not possible from the current status."))]
        if target == Status.WITH_MANAGER or self.status == Status.RETURNED:
            return self.missing_for_submission()
        return []

    def missing_for_move_to(self, target: str) -> list[str]:
        """Why the step to ``target`` cannot be taken now (empty list: it can)."""
        missing = self.missing_before_step(target)
        if missing:
            return missing
        if target == Status.WITH_BUSSAM and not (
            self.is_principled and self.principled_reason.strip()
        ):
            return [str(_("Only reports of principled nature, with a reason, go to BUSSAM."))]
        if target in CLOSED_STATUSES and not self.response.strip():
            return [str(_("Write the outcome the reporter will receive before closing."))]
        return []

    def can_move_to(self, target: str) -> bool:
        return not self.missing_for_move_to(target)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_returned(self) -> bool:
        return self.status == Status.RETURNED

    def set_status(self, status: str, at: datetime.datetime) -> None:
        """Move to ``status`` with the time stamps that go with it, unsaved (like
        ``set_password``): the step service and the demo history stamp a report the same way.
        A report sent back after a question keeps the dates it first reached each step."""
        self.returned_from = self.status if status == Status.RETURNED else ""
        self.status = status
        self.status_changed_at = at
        if status == Status.WITH_MANAGER:
            self.submitted_at = self.submitted_at or at
        elif status == Status.WITH_LOCAL_GROUP:
            self.reached_local_group_at = self.reached_local_group_at or at
        elif status == Status.WITH_BUSSAM:
            self.reached_bussam_at = self.reached_bussam_at or at
        if self.is_closed:
            self.closed_at = at

    def local_group(self) -> LocalGroup | None:
        if self.area_id is None:
            return None
        return LocalGroup.objects.valid_on().filter(areas=self.area_id).order_by("name").first()

    def can_edit(self, user: User) -> bool:
        """Only the reporter changes a report: a draft, or one returned to them with a question."""
        return self.status in (Status.DRAFT, Status.RETURNED) and self.reporter_id == user.pk

    def can_review(self, user: User) -> bool:
        """The secretariat records its judgement and response while the report is at BUSSAM."""
        return self.status == Status.WITH_BUSSAM and user.has_role(Role.SECRETARIAT)

    def can_assign(self, user: User) -> bool:
        """The secretariat assigns the reports that reached BUSSAM (also once closed)."""
        return self.reached_bussam_at is not None and user.has_role(Role.SECRETARIAT)

    def can_redact(self, user: User) -> bool:
        """Whoever handles the report at its current step, and the secretariat at any step,
        may remove an identity number or a name found in it."""
        return user.has_role(Role.SECRETARIAT) or self.can_act(user)

    def can_act(self, user: User) -> bool:
        """May this user take the next step on the ladder (not: may they see the report)?"""
        actor = ACTOR_AT.get(self.status)
        if actor == "reporter":
            return self.reporter_id == user.pk
        if actor == "manager":
            return self.reporter_unit_id in user.unit_ids_with_role(*MANAGER_ROLES)
        if actor == "local_group":
            groups = LocalGroup.objects.valid_on().filter(areas=self.area_id)
            return bool(_local_group_ids(user) & set(groups.values_list("id", flat=True)))
        if actor == "secretariat":
            return user.has_role(Role.SECRETARIAT)
        return False


class CounterpartService(models.Model):
    """A service on the other side of the failure (e.g. BUP when school reports)."""

    deviation = models.ForeignKey(
        Deviation, on_delete=models.CASCADE, related_name="counterpart_services"
    )
    service_type = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)

    class Meta:
        verbose_name = _("counterpart service")
        verbose_name_plural = _("counterpart services")
        ordering = ["deviation", "service_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["deviation", "service_type"], name="counterpartservice_unique_per_report"
            )
        ]

    def __str__(self) -> str:
        return self.get_service_type_display()


class DeviationStep(models.Model):
    """One step taken on the ladder: when, who, from where to where, and why."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return (
            f"{self.deviation}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        )


class Comment(models.Model):
    """A comment on a report (the secretariat's notes, questions to the local level)."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.deviation} – {self.author}"
