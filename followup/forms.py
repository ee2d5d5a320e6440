from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Area, LocalGroup
from bus_portal.validity import valid_during_q
from followup.models import Indicator, Participants, Question, Section, Survey


class SurveyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    introduction = forms.CharField(
        label=_("Introduction to the contact persons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions from the question bank"),
        queryset=Question.objects.filter(active=True).order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("questions", list(self.fields["questions"].queryset))

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Survey.objects.filter(year=year).exists():
            raise forms.ValidationError(_("There is already a survey for this year."))
        return year


class QuestionForm(forms.ModelForm):
    answer_codes = forms.CharField(
        label=_("Answer codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line as code: label, e.g. “yes: Ja”. Leave empty for free text."),
    )

    class Meta:
        model = Question
        fields = ["code", "section", "kind", "text", "order"]

    def clean_answer_codes(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.cleaned_data["answer_codes"].splitlines():
            if not line.strip():
                continue
            code, _sep, label = line.partition(":")
            code = code.strip()
            if not code.replace("_", "").isalnum() or code.lower() != code:
                raise forms.ValidationError(
                    _("“%(code)s” is not a valid code (lower-case letters, digits, _)."),
                    params={"code": code},
                )
            pairs.append((code, label.strip() or code))
        return pairs

    def clean(self):
        cleaned = super().clean()
        kind, codes = cleaned.get("kind"), cleaned.get("answer_codes") or []
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(codes) < 2:
            self.add_error("answer_codes", _("A choice question needs at least two answers."))
        if kind == Question.Kind.TEXT and codes:
            self.add_error("answer_codes", _("A free-text question has no answer codes."))
        return cleaned


class StartResponseForm(forms.Form):
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


class ResponseForm(forms.Form):
    """One field per question of the survey (named by its code), and the areas covered."""

    def __init__(self, *args, survey: Survey, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["areas"] = forms.ModelMultipleChoiceField(
            label=_("Areas the group covered in %(year)s") % {"year": survey.year},
            queryset=areas_in_year(survey.year),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Municipalities, and Stockholm's city districts as districts."),
        )
        for question in questions:
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
                    widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
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

    def clean(self):
        cleaned = super().clean()
        if self.data.get("action") == "submit" and not cleaned.get("areas"):
            self.add_error("areas", _("Choose the areas the group covered this year."))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, comma-separated, one row per response: group, areas, participants and one "
            "column per question code."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class CommentaryForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Section.choices:
            self.fields[value] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 4})
            )


class ManualFigureForm(forms.Form):
    """A principal's figures for work outside the portal, one field per indicator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Indicator.choices:
            self.fields[value] = forms.IntegerField(label=label, min_value=0, required=False)
        self.fields["note"] = forms.CharField(label=_("Note"), required=False, max_length=300)


class ContactForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Local group"), queryset=LocalGroup.objects.order_by("name")
    )
    user = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .order_by("last_name", "first_name"),
    )
