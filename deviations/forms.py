"""Forms validate, never act. Every free-text field goes through the de-identification check."""

from __future__ import annotations

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Area, Principal, ServiceType, Unit
from bus_portal.roles import Role
from deviations import deidentify
from deviations.models import CATEGORY_FIELDS, REPORT_FIELDS, Category, Deviation

# Free text about the event: identity numbers are refused, names and dates of birth warned about.
CHECKED_FIELDS = (
    "description",
    "consequence",
    "tried_locally",
    "proposed_improvement",
    "principled_reason",
)


def refuse_identity_numbers(value: str) -> str:
    """Raise a form error if the text holds a valid personnummer or samordningsnummer."""
    found = deidentify.find_identity_numbers(value)
    if found:
        kinds = {hit.kind for hit in found}
        if kinds == {"samordningsnummer"}:
            message = _(
                "The text contains a coordination number (samordningsnummer). Remove it and "
                "describe the child in general terms, for example “a pupil in year 6”. "
                "Nothing has been saved."
            )
        else:
            message = _(
                "The text contains a personal identity number (personnummer). Remove it and "
                "describe the child in general terms, for example “a pupil in year 6”. "
                "Nothing has been saved."
            )
        raise forms.ValidationError(message, code="identity_number")
    return value


class DeidentifiedTextField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def clean(self, value):
        value = super().clean(value)
        return refuse_identity_numbers(value)


class DeviationForm(forms.ModelForm):
    """The report. Saving as a draft needs little; sending needs the guard's fields (the model)."""

    counterpart_services = forms.MultipleChoiceField(
        label=_("Counterpart services"),
        choices=ServiceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The other side's services involved, e.g. BUP when a school reports."),
    )
    confirm_no_identification = forms.BooleanField(
        label=_("I confirm that no child can be identified from this report."),
        required=True,
        help_text=_(
            "No names, identity numbers, dates of birth, addresses or unusual details that "
            "point to a particular child or family."
        ),
    )
    # The warnings the reporter has already seen (a fingerprint, not the text itself).
    warnings_seen = forms.CharField(required=False, widget=forms.HiddenInput)
    # The unit first, then whom the report is about, then the rest in REPORT_FIELDS' order.
    field_order = ["reporter_unit", "counterpart_principals"]

    class Meta:
        model = Deviation
        fields = [*REPORT_FIELDS, "counterpart_principals"]
        field_classes = dict.fromkeys(CHECKED_FIELDS, DeidentifiedTextField)
        widgets = {
            "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "counterpart_principals": forms.SelectMultiple(attrs={"size": 8}),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in CHECKED_FIELDS},
        }
        help_texts = {
            "description": _("What happened between the principals? Do not describe the child."),
            "consequence": _("In general terms, e.g. “the pupil waited four months for support”."),
            "counterpart_principals": _("Hold Ctrl (or Cmd) to choose more than one."),
            "contact_person": _("Your name and how to reach you (staff, not the family)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.warnings: list[tuple[str, str]] = []
        units = Unit.objects.filter(pk__in=user.unit_ids).select_related("principal")
        self.fields["reporter_unit"].queryset = units
        self.fields["reporter_unit"].empty_label = None
        self.fields["area"].queryset = Area.objects.valid_on().order_by("name")
        self.fields["counterpart_principals"].queryset = Principal.objects.order_by("name")
        self.fields["counterpart_principals"].required = False
        categories = Category.objects.filter(is_active=True)
        if self.instance.pk and self.instance.category_id:
            categories = Category.objects.filter(is_active=True) | Category.objects.filter(
                pk=self.instance.category_id
            )
        self.fields["category"].queryset = categories.order_by("position", "name")
        if self.instance.pk:
            self.fields["counterpart_services"].initial = list(
                self.instance.counterpart_services.values_list("service_type", flat=True)
            )

    def clean_contact_person(self):
        # Staff names are expected here, so no name warning, but identity numbers are still refused.
        return refuse_identity_numbers(self.cleaned_data.get("contact_person", ""))

    def clean(self):
        cleaned = super().clean()
        self.warnings = []
        for name in CHECKED_FIELDS:
            text = cleaned.get(name) or ""
            label = str(self.fields[name].label)
            for word in deidentify.likely_names(text):
                self.warnings.append(
                    (label, _("“%(word)s” may be a person's name.") % {"word": word})
                )
            for phrase in deidentify.likely_birth_dates(text):
                self.warnings.append(
                    (label, _("“%(phrase)s” may be a date of birth.") % {"phrase": phrase})
                )
        fingerprint = self.warnings_fingerprint()
        if self.warnings and cleaned.get("warnings_seen") != fingerprint:
            # Shown once; saving again with the same text proceeds (a warning, not a block).
            self.data = self.data.copy()
            self.data["warnings_seen"] = fingerprint
            raise forms.ValidationError(
                _(
                    "Check the possible names and dates of birth listed above. Remove them if "
                    "they can identify a child, then save again; if they cannot, just save again."
                ),
                code="warnings",
            )
        return cleaned

    def warnings_fingerprint(self) -> str:
        joined = "\n".join(f"{label}:{text}" for label, text in self.warnings)
        return hashlib.sha256(joined.encode()).hexdigest()[:16] if joined else ""


class StepForm(forms.Form):
    comment = DeidentifiedTextField(
        label=_("Comment"),
        required=False,
        help_text=_("What was decided and why. No personal data about a child."),
    )


class CommentForm(forms.Form):
    text = DeidentifiedTextField(label=_("Comment"))


class ReviewForm(forms.ModelForm):
    """The secretariat's judgement: regional action and the response to the reporter."""

    response = DeidentifiedTextField(
        label=_("Response"),
        required=False,
        help_text=_("What came of the report; the reporter is told this when it is closed."),
    )

    regional_action_url = forms.URLField(
        label=_("Link to the regional action"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Deviation
        fields = ["regional_action", "regional_action_url", "response"]


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Handled by"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(memberships__role=Role.SECRETARIAT)
            .distinct()
            .order_by("last_name", "first_name")
        )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = CATEGORY_FIELDS
