"""Forms of agreements, revisions, parties, signatures, reviews, attachments and the BUS plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements import plausibility, uploads
from agreements.forms.base import (
    DateInput,
    LockedForm,
    check_dates,
    check_period,
    date_validator,
)
from agreements.models import Attachment, OriginalsStep, PlanItem, Principal, Revision
from agreements.services import SectionData, Template
from bus_portal.submissions import OneTimeTokenForm


class AgreementCreateForm(OneTimeTokenForm):
    title = forms.CharField(label=_("Title"), max_length=250)
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (
                Template.STANDARD,
                _("Standard shape: local steering group → working group → BUS individforum"),
            ),
            (Template.EMPTY, _("Empty: configure the bodies yourself")),
        ],
        initial=Template.STANDARD,
        widget=forms.RadioSelect,
    )


class RevisionForm(LockedForm, forms.ModelForm):
    originals_count = forms.IntegerField(
        label=_("Signed originals"),
        min_value=plausibility.ORIGINALS_RANGE[0],
        max_value=plausibility.ORIGINALS_RANGE[1],
        help_text=_("From 1 to 20."),
    )

    class Meta:
        model = Revision
        fields = [
            "title",
            "adopted_on",
            "decision_body",
            "decision_date",
            "diary_number",
            "valid_from",
            "valid_to",
            "review_date",
            "originals_count",
            "change_summary",
        ]
        widgets = {
            "adopted_on": DateInput(),
            "decision_date": DateInput(),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "review_date": DateInput(),
            "change_summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "adopted_on": plausibility.ADOPTION_DATE_HELP,
            "decision_date": plausibility.ADOPTION_DATE_HELP,
            "valid_from": _(
                "The agreement is in force from this date once every party has signed. "
                "From 1990-01-01 up to ten years from today."
            ),
            "valid_to": _(
                "Leave empty if it runs until further notice. After the start, at most ten "
                "years from today."
            ),
            "review_date": _(
                "For agreements reviewed every year. Within ten years before or after today."
            ),
        }

    def clean(self):
        data = super().clean()
        check_period(self, data)
        check_dates(
            self,
            data,
            {
                "adopted_on": plausibility.adoption_date_error,
                "decision_date": plausibility.adoption_date_error,
                "valid_from": plausibility.agreement_date_error,
                "valid_to": plausibility.agreement_date_error,
                "review_date": plausibility.next_review_error,
            },
        )
        return data


class SectionForm(forms.Form):
    # The section row the form shows (none for a new one): sections are saved by row, so a
    # changed key changes that section, never another one.
    id = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2_147_483_647
    )
    key = forms.SlugField(
        label=_("Key"),
        max_length=50,
        help_text=_(
            "Matches the section across revisions, e.g. purpose. Each section of the revision "
            "has its own key."
        ),
    )
    heading = forms.CharField(label=_("Heading"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=100_000,
    )


class BaseSectionFormSet(forms.BaseFormSet):
    def sections(self) -> list[SectionData]:
        """The rows to save, in the order shown: a blank extra row is no section, a ticked
        "delete" removes one. Call after ``is_valid()``."""
        rows: list[SectionData] = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or not data.get("key") or (not form.has_changed() and not form.initial):
                continue
            rows.append(
                SectionData(
                    key=data["key"],
                    heading=data["heading"],
                    text=data["text"],
                    delete=data.get("DELETE", False),
                    id=data.get("id"),
                )
            )
        return rows

    def clean(self):
        """A key is one section's: a second section with it is refused, whether it is new or
        an existing one renamed, and the first is never replaced."""
        seen: dict[str, str] = {}
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid():
                continue
            if not form.has_changed() and not form.initial:
                continue
            key = form.cleaned_data.get("key")
            if not key:
                continue
            if key in seen:
                form.add_error(
                    "key",
                    ValidationError(
                        _("The key “%(key)s” is already used by the section “%(heading)s”."),
                        params={"key": key, "heading": seen[key]},
                        code="duplicate_key",
                    ),
                )
                raise ValidationError(_("Each section needs its own key."))
            seen[key] = form.cleaned_data.get("heading", "")


SectionFormSet = forms.formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=1, can_delete=True, max_num=100, absolute_max=100
)


class PartyForm(OneTimeTokenForm):
    principal = forms.ModelChoiceField(
        label=_("Principal"), queryset=Principal.objects.order_by("name")
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False, max_length=254)


class PartyEditForm(LockedForm):
    """A party's contact person, and which principal it is while nobody has signed."""

    principal = forms.ModelChoiceField(
        label=_("Principal"), queryset=Principal.objects.order_by("name")
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False, max_length=254)

    def __init__(self, *args: Any, principal_changes: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not principal_changes:
            # Someone has signed: the party is who it is; only its contact person changes.
            del self.fields["principal"]


class SignatoryForm(OneTimeTokenForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=150, required=False)


class SignatoryEditForm(LockedForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=150, required=False)


class SignForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Signed on"), widget=DateInput(), help_text=plausibility.SIGNED_ON_HELP
    )

    def __init__(self, *args: Any, revision: Revision | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.revision = revision

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        adopted = self.revision.adopted_on if self.revision is not None else None
        message = plausibility.signed_on_error(value, adopted)
        if message:
            raise ValidationError(message)
        return value


class ReviewForm(OneTimeTokenForm):
    reviewed_on = forms.DateField(
        label=_("Reviewed on"), widget=DateInput(), help_text=plausibility.REVIEWED_ON_HELP
    )
    next_review = forms.DateField(
        label=_("Next review"), widget=DateInput(), help_text=plausibility.NEXT_REVIEW_AFTER_HELP
    )
    note = forms.CharField(
        label=_("Conclusion"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the review found, e.g. “No changes needed”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Also rendered field by field on the agreement's page, so style the widgets here.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        reviewed_on, next_review = data.get("reviewed_on"), data.get("next_review")
        if reviewed_on:
            message = plausibility.reviewed_on_error(reviewed_on)
            if message:
                self.add_error("reviewed_on", message)
        if reviewed_on and next_review:
            message = plausibility.review_pair_error(reviewed_on, next_review)
            if message:
                self.add_error("next_review", message)
        return data


class OriginalsStepForm(forms.Form):
    principal = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY).order_by("name"),
    )
    step = forms.TypedChoiceField(label=_("Step"), choices=OriginalsStep.Step.choices, coerce=int)
    done_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=plausibility.STEP_DATE_HELP,
        validators=[
            date_validator(
                lambda d: plausibility.past_date_error(d, plausibility.EARLIEST_AGREEMENT_DATE)
            )
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered field by field in a row (not through crispy), so style the widgets here.
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select" if name in {"principal", "step"} else "form-control"
            )


class AttachmentForm(OneTimeTokenForm, forms.ModelForm):
    # Checked by content (agreements.uploads); the name it came with is not kept.
    file = forms.FileField(
        label=_("File"),
        validators=[uploads.ATTACHMENT],
        allow_empty_file=True,
        help_text=uploads.HELP_TEXT,
    )

    class Meta:
        model = Attachment
        fields = ["kind", "title", "revision", "file"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = agreement.revisions.order_by("number")
        self.fields["revision"].required = False


class AttachmentEditForm(LockedForm, forms.ModelForm):
    """An attachment's title, kind and revision; a wrong file is removed and uploaded again."""

    class Meta:
        model = Attachment
        fields = ["kind", "title", "revision"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = agreement.revisions.order_by("number")
        self.fields["revision"].required = False


def _plan_year_field() -> forms.IntegerField:
    low, high = plausibility.plan_year_range()
    return forms.IntegerField(
        label=_("Year"), min_value=low, max_value=high, help_text=plausibility.PLAN_YEAR_HELP
    )


class PlanItemForm(OneTimeTokenForm, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["year", "kind", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = _plan_year_field()


class PlanItemEditForm(LockedForm, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["year", "kind", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = _plan_year_field()
