"""A meeting's notice (kallelse) with the members' replies, its justerare and its papers
(handlingar)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.bodies import BodyMember
from agreements.models.meetings import Meeting


class Invitation(models.Model):
    """A member's notice of a meeting and their reply (attending, absent, sending a substitute).

    Made when the notice is first sent; ``emailed_at`` is empty for a member the e-mail could not
    reach (no portal user, or a user without an address): they see the notice in their inbox.
    """

    class Response(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        ABSENT = "absent", _("Absent")
        SUBSTITUTE = "substitute", _("Sending a substitute")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(
        BodyMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="invitations"
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    response = models.CharField(_("reply"), max_length=12, choices=Response.choices, blank=True)
    substitute_name = models.CharField(_("substitute"), max_length=150, blank=True)
    responded_at = models.DateTimeField(_("replied"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="invitation_unique_member"),
            models.CheckConstraint(
                condition=~Q(response="substitute") | ~Q(substitute_name=""),
                name="invitation_substitute_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.meeting}"


class MinutesChecker(models.Model):
    """A justerare appointed at the meeting; checks the minutes under their own login."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="checkers"
    )
    member = models.ForeignKey(
        BodyMember, verbose_name=_("justerare"), on_delete=models.CASCADE, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed"), default=timezone.now)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="checker_unique_member"),
        ]

    def __str__(self) -> str:
        return self.member.name


class MeetingPaperQuerySet(models.QuerySet):
    def current(self) -> MeetingPaperQuerySet:
        """Papers not removed, in the order they were added."""
        return self.filter(removed_at__isnull=True).order_by("uploaded_at", "id")


class MeetingPaper(models.Model):
    """A paper for a meeting (handlingar), linked from the notice; read by logging in.

    A paper added by mistake is removed: its file is deleted, and the row stays as the trail
    (title, who removed it, when and why), listed on the meeting's page.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="papers"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="agreements/meetings/%Y/")
    content_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(_("reason for removal"), max_length=1000, blank=True)

    objects = MeetingPaperQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting paper")
        verbose_name_plural = _("meeting papers")
        ordering = ["meeting", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removal_reason="")
                | (Q(removed_at__isnull=False) & ~Q(removal_reason="")),
                name="paper_removed_with_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
