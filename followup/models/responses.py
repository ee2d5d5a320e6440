"""The groups' answers to a survey (in the portal or imported), and the secretariat's commentary."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Area, LocalGroup
from bus_portal.models import User
from bus_portal.roles import Role
from followup.models.surveys import Question, Section, Survey, contact_group_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Participants(models.TextChoices):
    BOTH = "both", _("Municipality and region")
    MUNICIPALITY = "municipality", _("Municipality only")
    REGION = "region", _("Region only")


class ResponseQuerySet(models.QuerySet["Response"]):
    def visible_to(self, user: User | AnonymousUser) -> ResponseQuerySet:
        """The secretariat sees every response; a contact person sees the group's own."""
        if not isinstance(user, User):  # an anonymous visitor
            return self.none()
        if user.has_role(Role.SECRETARIAT):
            return self
        return self.filter(group_id__in=contact_group_ids(user))

    def submitted(self) -> ResponseQuerySet:
        return self.filter(status=Response.Status.SUBMITTED)


class Response(models.Model):
    """One group's answer for a year: joint, or one per principal when they answer separately."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Source(models.TextChoices):
        WEB = "web", _("Answered in the portal")
        IMPORT = "import", _("Imported")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    group = models.ForeignKey(
        LocalGroup, verbose_name=_("local group"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.CharField(_("who took part"), max_length=15, choices=Participants.choices)
    # The areas the group covered that year, so coverage survives later mergers and splits.
    areas = models.ManyToManyField(Area, verbose_name=_("areas covered"), related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Optimistic locking: a save from a form opened before the last save is refused.
    lock_version = models.PositiveIntegerField(default=1)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["survey", "group__name", "participants"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "group", "participants"], name="response_unique_participants"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey.year} {self.group} ({self.get_participants_display()})"

    def missing_for_editing(self) -> list[str]:
        if not self.survey.accepts_answers:
            return [str(_("The survey is not open for answers."))]
        return []

    def can_edit(self) -> bool:
        return not self.missing_for_editing()

    def missing_for_submission(self) -> list[str]:
        missing = self.missing_for_editing()
        if not self.areas.exists():
            missing.append(str(_("Choose the areas the group covered this year.")))
        return missing

    def can_submit(self) -> bool:
        return not self.missing_for_submission()


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {', '.join(self.choices) or self.text}"

    @property
    def is_empty(self) -> bool:
        return not self.choices and not self.text.strip()


class Commentary(models.Model):
    """The secretariat's commentary on one area of a year's report."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="commentaries")
    section = models.CharField(_("area"), max_length=20, choices=Section.choices)
    text = models.TextField(_("commentary"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commentary")
        verbose_name_plural = _("commentaries")
        ordering = ["survey", "section"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "section"], name="commentary_unique_section"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.year} {self.get_section_display()}"


class ImportPreview(models.Model):
    """An uploaded file waiting for the secretariat's confirmation, keyed by a random token.

    The file's text is kept so that the confirmation does not need it uploaded again; it is
    parsed again then, against the records as they are at that moment. Emptied once imported.
    """

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255, blank=True)
    content = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    #: How long a preview can be confirmed.
    VALID_FOR = datetime.timedelta(hours=24)

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.survey.year} {self.filename}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() > self.created_at + self.VALID_FOR
