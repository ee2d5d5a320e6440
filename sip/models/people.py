"""Deadlines per local group, and the child with the guardians."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup

if TYPE_CHECKING:
    from sip.models.forum import ForumCase
    from sip.models.plans import Plan

# Defaults when a local group has not configured its own rules (see LocalRules).
FIRST_MEETING_DAYS = 21
FORUM_MEETING_DAYS = 14
FOLLOW_UP_WARNING_DAYS = 14
DEFAULT_LEGAL_REFERENCE = "SoL 16 kap. 4 §, HSL 16 kap. 4 §"


class LocalRules(models.Model):
    """Deadlines a local group may set for itself; the county defaults apply without a row."""

    local_group = models.OneToOneField(
        LocalGroup,
        verbose_name=_("local BUS group"),
        on_delete=models.CASCADE,
        related_name="sip_rules",
    )
    first_meeting_days = models.PositiveSmallIntegerField(
        _("days from need noticed to the first SIP meeting"), default=FIRST_MEETING_DAYS
    )
    forum_meeting_days = models.PositiveSmallIntegerField(
        _("days from need noticed to the individforum meeting"), default=FORUM_MEETING_DAYS
    )

    class Meta:
        verbose_name = _("SIP deadlines")
        verbose_name_plural = _("SIP deadlines")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_meeting_days__gte=1), name="localrules_first_meeting_positive"
            ),
            models.CheckConstraint(
                condition=Q(forum_meeting_days__gte=1), name="localrules_forum_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.local_group)

    @classmethod
    def of(cls, obj: Plan | ForumCase) -> LocalRules:
        """The rules of a plan's or a case's group: no query after
        ``select_related("local_group__sip_rules")``, one query otherwise."""
        if not obj._meta.get_field("local_group").is_cached(obj):
            return cls.for_group(obj.local_group_id)
        try:
            return obj.local_group.sip_rules
        except cls.DoesNotExist:
            return cls(local_group_id=obj.local_group_id)

    @classmethod
    def for_group(cls, local_group_id: int) -> LocalRules:
        rules = cls.objects.filter(local_group_id=local_group_id).first()
        return rules or cls(local_group_id=local_group_id)


class Child(models.Model):
    """The child a plan or a forum case is about. Fictional in every demo and test."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # 12 digits (YYYYMMDDNNNN), personnummer or samordningsnummer; empty only with protected identity.
    personal_number = models.CharField(_("personal identity number"), max_length=12, blank=True)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(personal_number="") | Q(protected_identity=True),
                name="child_number_or_protected",
            ),
            # One child, one record: every plan and forum case about a child shares it.
            models.UniqueConstraint(
                fields=["personal_number"],
                condition=~Q(personal_number=""),
                name="child_unique_personal_number",
                violation_error_message=_(
                    "Another child in the portal has this personal identity number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def audit_subject(self) -> str:
        return f"sip.child:{self.pk}"

    @property
    def formatted_number(self) -> str:
        if not self.personal_number:
            return ""
        return f"{self.personal_number[:8]}-{self.personal_number[8:]}"

    @property
    def is_coordination_number(self) -> bool:
        return bool(self.personal_number) and int(self.personal_number[6:8]) > 60

    def age_on(self, date: datetime.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        date = date or timezone.localdate()
        years = date.year - self.birth_date.year
        if (date.month, date.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def age(self) -> int | None:
        return self.age_on()


class Guardian(models.Model):
    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="guardians"
    )
    position = models.PositiveSmallIntegerField(_("guardian number"))
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["child", "position"]
        constraints = [
            models.UniqueConstraint(fields=["child", "position"], name="guardian_unique_position")
        ]

    def __str__(self) -> str:
        return self.name
