"""The county survey: the question bank, each year's survey, its reminders and the contact persons
who answer it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup
from bus_portal.models import User
from followup.models.years import FIRST_SURVEY_YEAR, LAST_SURVEY_YEAR, groups_in_year
from followup.question_bank import ANSWER_LABELS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

#: The highest position a question may have in the bank (the form says so; the database agrees).
MAX_ORDER = 100_000


class Section(models.TextChoices):
    """The questionnaire's areas; the secretariat writes one commentary per area and year."""

    STRUCTURE = "structure", _("Local structure")
    SIP_TEMPLATE = "sip_template", _("The county SIP template")
    HABREHAB = "habrehab", _("Coordinated habilitation and rehabilitation")
    DEVIATIONS = "deviations", _("Deviation reporting")
    OTHER = "other", _("Other questions")


class Question(models.Model):
    """A question in the bank. Its code is stable across years so trends can be drawn."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Several answers")
        TEXT = "text", _("Free text")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    section = models.CharField(_("area"), max_length=20, choices=Section.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("in use"), default=True)
    # Two of the secretariat rewording one question: the second save is refused (409 with both).
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order__lte=MAX_ORDER), name="question_order_plausible"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def is_choice(self) -> bool:
        return self.kind != self.Kind.TEXT

    @property
    def options(self) -> list[str]:
        """The answer codes in display order (read with ``prefetch_related("answer_options")``
        where many questions are shown)."""
        return [option.code for option in self.answer_options.all()]

    def label_for(self, code: str) -> str:
        for option in self.answer_options.all():
            if option.code == code and option.label:
                return option.label
        return str(ANSWER_LABELS.get(code, code))

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(code, self.label_for(code)) for code in self.options]

    def missing_for_editing(self) -> list[str]:
        """A question's codes are a contract once a survey has been opened with it: the answers
        given to them, and the trends across years, read them."""
        years = sorted(
            Survey.objects.filter(questions=self)
            .exclude(status=Survey.Status.DRAFT)
            .values_list("year", flat=True)
        )
        if years:
            return [
                str(
                    _(
                        "The question has been asked in the survey of %(years)s, so its answers "
                        "are fixed. Add a new question instead."
                    )
                    % {"years": ", ".join(str(y) for y in years)}
                )
            ]
        return []

    def can_edit(self) -> bool:
        return not self.missing_for_editing()


class AnswerOption(models.Model):
    """One answer code of a choice question, in display order. A code appears once per question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answer_options")
    code = models.SlugField(_("answer code"), max_length=50)
    # Empty for the built-in codes, whose labels are translated in code (ANSWER_LABELS).
    label = models.CharField(_("label"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("answer code")
        verbose_name_plural = _("answer codes")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "code"],
                name="answeroption_unique_code",
                violation_error_message=_("Each answer code can be used once per question."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.code}"


def survey_date_problems(
    *,
    year: int,
    deadline: datetime.date,
    opens_on: datetime.date | None = None,
    saved_deadline: datetime.date | None = None,
) -> dict[str, str]:
    """What is wrong with a survey's dates, by field: a deadline that has passed (unless it is the
    one already saved), one outside the survey's year or the next, an opening after it."""
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if deadline == saved_deadline:
        pass  # kept as saved: an open survey's deadline may have passed
    elif deadline < today:
        problems["deadline"] = str(
            _("The date %(date)s has passed. Choose today or a later date.")
            % {"date": date_format(deadline, "Y-m-d")}
        )
    elif not year <= deadline.year <= year + 1:
        problems["deadline"] = str(
            _("The deadline of the %(year)s survey must be in %(year)s or %(next)s.")
            % {"year": year, "next": year + 1}
        )
    if opens_on is not None and opens_on > deadline:
        problems["opens_on"] = str(_("The survey must open before its deadline."))
    return problems


class Survey(models.Model):
    """One year's county survey, sent to each local group's contact person."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveIntegerField(_("year"), unique=True)
    deadline = models.DateField(_("deadline"))
    opens_on = models.DateField(
        _("planned opening"),
        null=True,
        blank=True,
        help_text=_("When the secretariat plans to open the survey and invite the groups."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    introduction = models.TextField(_("introduction"), blank=True)
    questions = models.ManyToManyField(Question, verbose_name=_("questions"), related_name="+")
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: the survey's settings, and the secretariat's commentary (one form each).
    lock_version = models.PositiveIntegerField(default=1)
    commentary_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_SURVEY_YEAR) & Q(year__lte=LAST_SURVEY_YEAR),
                name="survey_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("County survey %(year)s") % {"year": self.year})

    def ordered_questions(self) -> list[Question]:
        questions = self.questions.prefetch_related("answer_options")
        return sorted(questions, key=lambda q: (q.order, q.code))

    def local_groups(self) -> models.QuerySet[LocalGroup]:
        """The groups asked to answer: those in force at some time during the survey's year."""
        return groups_in_year(self.year)

    def missing_for_opening(self) -> list[str]:
        missing = []
        if self.status != self.Status.DRAFT:
            missing.append(str(_("Only a survey being prepared can be opened.")))
        if not self.questions.exists():
            missing.append(str(_("The survey has no questions.")))
        return missing

    def can_open(self) -> bool:
        return not self.missing_for_opening()

    def missing_for_closing(self) -> list[str]:
        if self.status != self.Status.OPEN:
            return [str(_("Only an open survey can be closed."))]
        return []

    def can_close(self) -> bool:
        return not self.missing_for_closing()

    def missing_for_reopening(self) -> list[str]:
        if self.status != self.Status.CLOSED:
            return [str(_("Only a closed survey can be reopened."))]
        return []

    def can_reopen(self) -> bool:
        return not self.missing_for_reopening()

    def missing_for_editing(self) -> list[str]:
        if self.status == self.Status.CLOSED:
            return [
                str(
                    _(
                        "The survey is closed and its report may be published. Reopen it first "
                        "if it must change."
                    )
                )
            ]
        return []

    def can_edit(self) -> bool:
        return not self.missing_for_editing()

    @property
    def questions_editable(self) -> bool:
        """The questions are chosen while the survey is being prepared; once it is open, the
        groups answer them."""
        return self.status == self.Status.DRAFT

    def missing_for_import(self) -> list[str]:
        """Responses are imported only into an open survey: a closed one's report may be
        published, and a survey being prepared may still change its questions."""
        if self.status == self.Status.CLOSED:
            return [
                str(
                    _(
                        "The survey is closed, so its report may already be published. The "
                        "secretariat must reopen it, giving a reason, before responses can be "
                        "imported."
                    )
                )
            ]
        if self.status == self.Status.DRAFT:
            if self.opens_on:
                return [
                    str(
                        _(
                            "The survey has not been opened yet; it is planned to open on "
                            "%(date)s. Responses can be imported once it is open."
                        )
                        % {"date": date_format(self.opens_on, "Y-m-d")}
                    )
                ]
            return [
                str(
                    _(
                        "The survey has not been opened yet (no opening date is planned). "
                        "Responses can be imported once it is open."
                    )
                )
            ]
        return []

    def can_import(self) -> bool:
        return not self.missing_for_import()

    @property
    def accepts_answers(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


class SurveyContactQuerySet(models.QuerySet):
    def active(self) -> SurveyContactQuerySet:
        return self.filter(active=True)


class SurveyContact(models.Model):
    """The person who answers the county survey for a local group."""

    group = models.ForeignKey(
        LocalGroup, verbose_name=_("local group"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        related_name="survey_contacts",
    )
    active = models.BooleanField(_("active"), default=True)

    objects = SurveyContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey contact person")
        verbose_name_plural = _("survey contact persons")
        ordering = ["group__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="surveycontact_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {self.user}"


def contact_group_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The local groups for which the user answers the county survey."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        SurveyContact.objects.active()
        .filter(user=user)
        .order_by()
        .values_list("group_id", flat=True)
    )


class Reminder(models.Model):
    """One round of reminders (or the invitation) sent for a survey."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey.year} {self.get_kind_display()} {self.sent_at:%Y-%m-%d}"
