"""Assignments (uppdrag) given at a meeting to a body, carried into its agendas until done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models.bodies import Body
from agreements.models.meetings import Meeting


class AssignmentQuerySet(models.QuerySet):
    def open(self) -> AssignmentQuerySet:
        """Assignments still to be done: not done, and given at a meeting that stands. A meeting
        withdrawn as logged by mistake (or cancelled) gave none: they are not carried into
        agendas, not reminded of and not in anyone's list of things to do."""
        # NOT IN the few meetings that do not stand, rather than a join to every meeting: the
        # open assignments stay read from their partial index.
        gone = Meeting.objects.filter(
            Q(withdrawn_at__isnull=False) | Q(cancelled_at__isnull=False)
        ).values("pk")
        return self.exclude(status=Assignment.Status.DONE).exclude(meeting__in=gone)


class Assignment(models.Model):
    """An uppdrag given at a meeting to a body; carried into that body's agendas until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("given at"), on_delete=models.CASCADE, related_name="assignments"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("assigned to"), on_delete=models.CASCADE, related_name="assignments"
    )
    title = models.CharField(_("assignment"), max_length=300)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner in the portal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreement_assignments",
    )
    # When the owner was told of the assignment, and the due date they were last reminded of
    # (the daily job reminds once per due date: running it twice sends nothing more).
    notified_at = models.DateTimeField(_("owner notified"), null=True, blank=True)
    reminded_for = models.DateField(_("reminded for due date"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "id"]
        indexes = [
            # Open assignments are a small share of all ever given; pages list only those.
            models.Index(
                fields=["body", "meeting"],
                condition=~Q(status="done"),
                name="assignment_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="assignment_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> str:
        return f"agreements.assignment:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE
