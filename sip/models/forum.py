"""BUS individforum cases."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup, Unit
from bus_portal.roles import Role
from sip.models.consent import consent_is_complete, covered_principal_ids
from sip.models.people import Child, LocalRules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bus_portal.models import User


class ForumCaseQuerySet(models.QuerySet["ForumCase"]):
    def visible_to(self, user: User | AnonymousUser) -> ForumCaseQuerySet:
        unit_ids = list(getattr(user, "unit_ids", ()))
        if not unit_ids:
            return self.none()
        # A UNION of two index scans: the OR over a join needed DISTINCT over every column.
        raised = ForumCase.objects.filter(raising_unit_id__in=unit_ids).order_by().values("pk")
        invited = (
            ForumCase.invited_units.through.objects.filter(unit_id__in=unit_ids)
            .order_by()
            .values("forumcase_id")
        )
        return self.filter(pk__in=raised.union(invited))


class ForumCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting meeting")
        ESCALATED = "escalated", _("Escalated to the local steering group")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        ESCALATED = "escalated", _("Escalated to the local steering group")

    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.PROTECT, related_name="forum_cases"
    )
    local_group = models.ForeignKey(
        LocalGroup, verbose_name=_("local BUS group"), on_delete=models.PROTECT, related_name="+"
    )
    raising_unit = models.ForeignKey(
        Unit, verbose_name=_("raised by unit"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    need_noticed_on = models.DateField(_("need noticed on"))
    question = models.TextField(
        _("question for the forum"),
        help_text=_("Describe the question in general terms; it may be shown on an agenda."),
    )
    invited_units = models.ManyToManyField(
        Unit, verbose_name=_("invited units (chiefs with mandate)"), related_name="+"
    )
    invited_officers = models.TextField(_("case officers invited when needed"), blank=True)

    # Protocol, from the fixed template.
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    present = models.TextField(_("present"), blank=True)
    principals_views = models.TextField(_("each principal's view"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    actions = models.TextField(_("who does what by when"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    protocol_recorded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True)

    objects = ForumCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("individforum case")
        verbose_name_plural = _("individforum cases")
        ordering = ["-need_noticed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="escalated") | Q(escalated_on__isnull=False),
                name="forumcase_escalation_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="forumcase_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sip:forum_detail", kwargs={"pk": self.pk})

    @property
    def number(self) -> str:
        return f"BIF-{self.pk}"

    def deadline(self, rules: LocalRules | None = None) -> datetime.date:
        rules = rules or LocalRules.of(self)
        return self.need_noticed_on + datetime.timedelta(days=rules.forum_meeting_days)

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.deadline() - (today or timezone.localdate())).days

    def participating_unit_ids(self) -> set[int]:
        ids = {u.pk for u in self.invited_units.all()}
        ids.add(self.raising_unit_id)
        return ids

    def user_is_covered(self, user: User) -> bool:
        """The raising unit holds the case; invited units read it only with valid consent."""
        if self.raising_unit_id in user.unit_ids:
            return True
        # Loads the consents' principals once if the queryset did not (a no-op when it did).
        prefetch_related_objects([self], "consents__principals", "child__guardians")
        covered = covered_principal_ids(self.child, self.consents.all())
        return any(
            m.unit.principal_id in covered
            for m in user.active_memberships
            if m.unit_id in self.participating_unit_ids()
        )

    def user_can_write(self, user: User) -> bool:
        return self.status != self.Status.CLOSED and bool(
            user.unit_ids_with_role(Role.UNIT_CHIEF) & self.participating_unit_ids()
        )

    def missing_for_protocol(self) -> list[str]:
        missing = []
        if not consent_is_complete(self.child, self.consents.all()):
            missing.append(
                gettext(
                    "Valid consent from the guardians (or the child) is required before the meeting."
                )
            )
        if self.status != self.Status.OPEN:
            missing.append(gettext("The protocol has already been recorded."))
        return missing
