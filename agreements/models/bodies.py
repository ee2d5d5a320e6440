"""Bodies under a local agreement (steering group, working group, forums) and their members."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.agreements import Agreement
from agreements.models.directory import Principal, Unit
from bus_portal.validity import ValidityQuerySet, validity_constraint


class BodyQuerySet(models.QuerySet):
    def visible_to(self, user) -> BodyQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self


class Body(models.Model):
    """A group that meets under an agreement; the meeting rule is configurable per body."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Local steering group")
        WORKING = "working", _("Working group")
        INDIVIDFORUM = "individforum", _("BUS individforum")
        MUNICIPAL_FORUM = "municipal_forum", _("Municipality's internal forum")
        REGION_FORUM = "region_forum", _("Region's internal forum")
        JOINT_STEERING = "joint_steering", _("Joint steering group")
        CASE_OFFICERS = "case_officers", _("Case officers' group")
        OTHER = "other", _("Other body")

    STEERING_KINDS = frozenset({Kind.STEERING, Kind.JOINT_STEERING})

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="bodies"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    min_meetings_per_term = models.PositiveSmallIntegerField(
        _("minimum meetings per term"),
        default=1,
        help_text=_("0 for a forum that meets only when a case needs it."),
    )
    remit = models.TextField(_("remit"), blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("notice days"),
        default=7,
        help_text=_("How many days before a meeting the notice goes out to the members."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["agreement", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="body_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_steering(self) -> bool:
        return self.kind in self.STEERING_KINDS

    def active_members(self, date: datetime.date | None = None) -> list[BodyMember]:
        """Members on the date; uses the prefetch cache when there is one."""
        date = date or timezone.localdate()
        return [m for m in self.members.all() if m.is_active_on(date)]


class BodyMemberQuerySet(ValidityQuerySet):
    """Members on a date: ``valid_on()``; a member without a period sits until further notice."""


class BodyMember(models.Model):
    """A person in a body, optionally linked to a portal user (which gives edit rights)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CONVENOR = "convenor", _("Convenor")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        CONTACT = "contact", _("Contact person")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_members",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = BodyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "role", "name", "id"]
        constraints = [
            validity_constraint("bodymember_valid_period"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, date: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or self.valid_to >= date
        )

    @property
    def principal(self) -> Principal | None:
        return self.unit.principal if self.unit is not None else None

    @property
    def label(self) -> str:
        if self.unit is None:
            return self.name
        return f"{self.name} ({self.unit.name}, {self.unit.principal.name})"
