"""Records kept with an agreement: files, the originals routing, the local BUS plan and the
yearly reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.agreements import Agreement, Revision
from agreements.models.directory import Principal


class Attachment(models.Model):
    """A file kept with an agreement: a signed scan, an earlier PDF, an appendix."""

    class Kind(models.TextChoices):
        SIGNED_SCAN = "signed_scan", _("Signed scan")
        EARLIER_VERSION = "earlier_version", _("Earlier version")
        APPENDIX = "appendix", _("Appendix")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="attachments"
    )
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="agreements/%Y/")
    # What the content was checked to be at upload (agreements.uploads); served with this type.
    # Empty for files kept before the check: they are served as plain bytes.
    content_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["agreement", "-uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class OriginalsStep(models.Model):
    """One step of the county agreement's originals routing for one municipality (seed 000)."""

    class Step(models.IntegerChoices):
        SENT_TO_MUNICIPALITY = 1, _("The federation sends two originals to the municipality")
        MUNICIPALITY_SIGNED = 2, _("The municipality signs both and returns them")
        FORWARDED_TO_REGION = 3, _("The federation forwards the originals to the region")
        REGION_SIGNED = 4, _("The region signs both, keeps one and returns one")
        ORIGINAL_TO_MUNICIPALITY = (
            5,
            _("The federation keeps a copy and sends the original to the municipality"),
        )

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="originals_steps",
    )
    principal = models.ForeignKey(
        Principal, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    done_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("originals step")
        verbose_name_plural = _("originals steps")
        ordering = ["agreement", "principal__name", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "principal", "step"], name="originalsstep_unique_step"
            ),
            models.CheckConstraint(
                condition=Q(step__gte=1) & Q(step__lte=5), name="originalsstep_step_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal}: {self.get_step_display()}"


class PlanItem(models.Model):
    """The local BUS plan: goals, activities and focus areas per year."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Goal")
        ACTIVITY = "activity", _("Activity")
        FOCUS_AREA = "focus_area", _("Focus area")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="plan_items"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=400)
    meeting = models.ForeignKey(
        "agreements.Meeting",
        verbose_name=_("decided at meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["agreement", "year", "kind", "id"]

    def __str__(self) -> str:
        return self.text

    def can_change(self) -> bool:
        """Items added by hand are corrected here; a meeting's focus areas through the meeting
        (its draft, or an addendum to its minutes)."""
        return self.meeting_id is None


class Review(models.Model):
    """One yearly review of the agreement in force: who reviewed it, when, and the next date set.

    The revision keeps only the next review date (``Revision.review_date``); the reviews are the
    trail of every one held.
    """

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reviews"
    )
    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    next_review = models.DateField(_("next review"))
    note = models.TextField(_("conclusion"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["agreement", "-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review__gt=F("reviewed_on")), name="review_next_after_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.title} {self.reviewed_on:%Y-%m-%d}"
