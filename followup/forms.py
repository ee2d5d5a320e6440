from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agreements.models import Area, LocalGroup
from bus_portal import formfields
from bus_portal.submissions import TOKEN_FIELD, OneTimeTokenForm
from bus_portal.validity import valid_during_q
from followup.edit_state import VersionedForm
from followup.importing import MAX_TEXT
from followup.models import (
    INDICATOR_RANGES,
    MAX_ORDER,
    Indicator,
    Participants,
    Question,
    Section,
    Survey,
    plausible_years,
    survey_date_problems,
)

#: Long enough for any real text, short enough that no paste of a whole document gets stored.
MAX_INTRODUCTION = 5000
MAX_COMMENTARY = 20_000
MAX_REASON = 1000
MAX_ANSWER_CODES = 50


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SurveyDatesMixin:
    """The dates' rules (``survey_date_problems``) as errors on their fields."""

    cleaned_data: dict[str, Any]
    saved_deadline: datetime.date | None = None

    def check_dates(self, year: int | None) -> None:
        deadline = self.cleaned_data.get("deadline")
        if year is None or deadline is None:
            return
        problems = survey_date_problems(
            year=year,
            deadline=deadline,
            opens_on=self.cleaned_data.get("opens_on"),
            saved_deadline=self.saved_deadline,
        )
        for name, message in problems.items():
            self.add_error(name, message)  # type: ignore[attr-defined]  # a forms.Form


class SurveyForm(SurveyDatesMixin, OneTimeTokenForm):
    year = forms.IntegerField(label=_("Year"))
    deadline = _date_field(_("Deadline"))
    opens_on = _date_field(
        _("Planned opening"),
        required=False,
        help_text=_("When you plan to open the survey and invite the groups (optional)."),
    )
    introduction = forms.CharField(
        label=_("Introduction to the contact persons"),
        required=False,
        max_length=MAX_INTRODUCTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    questions = formfields.ModelMultipleChoiceField(
        label=_("Questions from the question bank"),
        queryset=Question.objects.filter(active=True).order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = plausible_years()
        self.fields["year"].help_text = _("From %(first)s to %(last)s.") % {
            "first": years[0],
            "last": years[-1],
        }
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("questions", list(self.fields["questions"].queryset))

    def clean_year(self) -> int:
        # A year that already has a survey is refused by the service, after the form's one-time
        # token is claimed: a repeated send of this form goes to the survey it created.
        year = self.cleaned_data["year"]
        years = plausible_years()
        if year not in years:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to %(last)s."),
                params={"first": years[0], "last": years[-1]},
            )
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_dates(cleaned.get("year"))
        return cleaned


class SurveyEditForm(SurveyDatesMixin, VersionedForm):
    """A survey's dates and introduction; its questions too while it is being prepared."""

    deadline = _date_field(_("Deadline"))
    opens_on = _date_field(
        _("Planned opening"),
        required=False,
        help_text=_("When you plan to open the survey and invite the groups (optional)."),
    )
    introduction = forms.CharField(
        label=_("Introduction to the contact persons"),
        required=False,
        max_length=MAX_INTRODUCTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    questions = formfields.ModelMultipleChoiceField(
        label=_("Questions from the question bank"),
        queryset=Question.objects.order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.saved_deadline = survey.deadline
        if not survey.questions_editable:
            field = self.fields["questions"]
            field.disabled = True
            field.help_text = _("The survey has been opened: its questions are fixed.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_dates(self.survey.year)
        return cleaned


CODE = re.compile(r"^[a-z0-9_]{1,50}$")


class QuestionForm(OneTimeTokenForm, forms.ModelForm):
    answer_codes = forms.CharField(
        label=_("Answer codes"),
        required=False,
        max_length=MAX_ANSWER_CODES * 260,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line as code: label, e.g. “yes: Ja”. Each code once. Leave empty for free text."
        ),
    )

    class Meta:
        model = Question
        fields = ["code", "section", "kind", "text", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = self.fields["order"]
        assert isinstance(order, forms.IntegerField)
        order.max_value = MAX_ORDER
        order.validators.append(MaxValueValidator(MAX_ORDER))
        order.widget.attrs["max"] = MAX_ORDER
        order.help_text = _("From 0 to %(max)s; the lowest comes first.") % {
            "max": number_format(MAX_ORDER, force_grouping=True)
        }

    def validate_unique(self) -> None:
        # A code already in the bank is refused by the service, after the one-time token is
        # claimed: a repeated send of this form goes to what it created.
        return

    def clean_answer_codes(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        seen: set[str] = set()
        for line in self.cleaned_data["answer_codes"].splitlines():
            if not line.strip():
                continue
            code, _sep, label = line.partition(":")
            code = code.strip()
            if not CODE.match(code):
                raise forms.ValidationError(
                    _(
                        "“%(code)s” is not a valid code (lower-case letters a–z, digits and _, "
                        "at most 50)."
                    ),
                    params={"code": code[:60]},
                )
            if code in seen:
                raise forms.ValidationError(
                    _("The answer code “%(code)s” appears twice; each code can be used once."),
                    params={"code": code},
                )
            seen.add(code)
            label = label.strip() or code
            if len(label) > 200:
                raise forms.ValidationError(
                    _("The label of “%(code)s” is longer than 200 characters."),
                    params={"code": code},
                )
            pairs.append((code, label))
        if len(pairs) > MAX_ANSWER_CODES:
            raise forms.ValidationError(
                _("A question can have at most %(max)s answer codes."),
                params={"max": MAX_ANSWER_CODES},
            )
        return pairs

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, codes = cleaned.get("kind"), cleaned.get("answer_codes") or []
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(codes) < 2:
            self.add_error("answer_codes", _("A choice question needs at least two answers."))
        if kind == Question.Kind.TEXT and codes:
            self.add_error("answer_codes", _("A free-text question has no answer codes."))
        return cleaned


def answer_codes_text(pairs: Any) -> str:
    """Answer codes as the form's text area shows them: "code: label" per line."""
    return "\n".join(f"{code}: {label}" for code, label in pairs)


class QuestionEditForm(VersionedForm, QuestionForm):
    """The same form for a question in the bank: its code is fixed, and it creates nothing. It
    carries the question's version and signed base, so a second person's save never replaces
    the first's wording unseen (``edit_state.VersionedEditMixin``)."""

    class Meta(QuestionForm.Meta):
        fields = ["section", "kind", "text", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields[TOKEN_FIELD]
        self.answer_pairs: list[tuple[str, str]] = []

    def clean_answer_codes(self) -> str:  # type: ignore[override]
        # The pairs for the service; the text, normalised, for the edit's state.
        self.answer_pairs = super().clean_answer_codes()
        return answer_codes_text(self.answer_pairs)


class StartResponseForm(OneTimeTokenForm):
    participants = forms.ChoiceField(
        label=_("Who takes part in this answer?"),
        choices=Participants.choices,
        widget=forms.RadioSelect,
        initial=Participants.BOTH,
        help_text=_(
            "Answer jointly when you can. If the principals answer separately, each answers once."
        ),
    )


def areas_in_year(year: int) -> QuerySet[Area]:
    """The municipalities and districts that existed at some time during the year."""
    return Area.objects.filter(
        valid_during_q(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    ).order_by("kind", "name")


class ResponseForm(VersionedForm):
    """One field per question of the survey (named by its code), and the areas covered."""

    def __init__(self, *args: Any, survey: Survey, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["areas"] = formfields.ModelMultipleChoiceField(
            label=_("Areas the group covered in %(year)s") % {"year": survey.year},
            queryset=areas_in_year(survey.year),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Municipalities, and Stockholm's city districts as districts."),
        )
        for question in questions:
            field: forms.Field
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=question.choices, widget=forms.RadioSelect, required=False
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=question.choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=MAX_TEXT
                )
            field.label = question.text
            self.fields[f"q_{question.code}"] = field

    def sections(self) -> list[tuple[str, list]]:
        """The question fields grouped by questionnaire area, for fieldsets."""
        grouped: dict[str, list] = {}
        for question in self.questions:
            grouped.setdefault(question.section, []).append(self[f"q_{question.code}"])
        labels = dict(Section.choices)
        return [(labels[s], fields) for s, fields in grouped.items()]

    def answers(self) -> dict[str, list[str] | str]:
        return {q.code: self.cleaned_data.get(f"q_{q.code}") or "" for q in self.questions}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.data.get("action") == "submit" and not cleaned.get("areas"):
            self.add_error("areas", _("Choose the areas the group covered this year."))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        max_length=255,
        help_text=_(
            "One row per response: group, areas, participants and one column per question code. "
            "Comma- or semicolon-separated; UTF-8 or Excel's own CSV (Windows-1252). At most 5 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ImportConfirmForm(OneTimeTokenForm):
    """The preview's confirmation: for each group that answered in the portal, keep that answer
    (the default) or replace it with the file's."""

    KEEP, REPLACE = "keep", "replace"

    # What the preview showed (ImportPlan.digest); anything else is refused as a changed plan.
    plan = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, conflict_groups: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflict_fields = []
        for group, rows in conflict_groups:
            lines = ", ".join(str(row.parsed.row) for row in rows)
            name = f"group_{group.pk}"
            self.fields[name] = forms.ChoiceField(
                label=_("What happens to the answer %(group)s gave in the portal?")
                % {"group": group.name},
                choices=[
                    (
                        self.KEEP,
                        _("Keep the answer given in the portal (the file's row is skipped)"),
                    ),
                    (
                        self.REPLACE,
                        _("Replace it with the file's row %(rows)s") % {"rows": lines},
                    ),
                ],
                initial=self.KEEP,
                # Nothing chosen keeps the group's answer: only an explicit choice replaces it.
                required=False,
                widget=forms.RadioSelect,
            )
            self.conflict_fields.append((group, rows, name))

    def replace_groups(self) -> set[int]:
        return {
            group.pk
            for group, _rows, name in self.conflict_fields
            if self.cleaned_data.get(name) == self.REPLACE
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the survey reopened?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Recorded in the log with your name, e.g. “Late answer from Täby” or “Import of the "
            "paper answers”."
        ),
    )


class CommentaryForm(VersionedForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Section.choices:
            self.fields[value] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_COMMENTARY,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


def _range_text(low: int, high: int) -> str:
    return f"{number_format(low, force_grouping=True)}–{number_format(high, force_grouping=True)}"


class ManualFigureForm(forms.Form):
    """A principal's figures for work outside the portal, one field per indicator, each within
    its plausible range (``INDICATOR_RANGES``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Indicator.choices:
            low, high = INDICATOR_RANGES[value]
            message = _("Enter a whole number from %(low)s to %(high)s.") % {
                "low": number_format(low, force_grouping=True),
                "high": number_format(high, force_grouping=True),
            }
            self.fields[value] = forms.IntegerField(
                label=label,
                min_value=low,
                max_value=high,
                required=False,
                help_text=_("%(range)s for the year.") % {"range": _range_text(low, high)},
                error_messages={"invalid": message, "min_value": message, "max_value": message},
                widget=forms.NumberInput(attrs={"min": low, "max": high}),
            )
        self.fields["note"] = forms.CharField(label=_("Note"), required=False, max_length=300)


class ContactForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Local group"), queryset=LocalGroup.objects.none())
    user = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .order_by("last_name", "first_name"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The groups in force today (asked when the form is made, not when the module loads).
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = LocalGroup.objects.valid_on().order_by("name")
