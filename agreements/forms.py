"""Forms validate; services act."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Attachment,
    Body,
    BodyMember,
    OriginalsStep,
    PlanItem,
    Principal,
    Revision,
    Unit,
)
from agreements.services import AssignmentInput, MeetingInput, SectionData, Template
from bus_portal.widgets import FastSelect


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def bumped_total(value, *, limit: int = 50) -> int:
    """One more formset row for the no-JavaScript "add row" button; tolerant of tampered input."""
    try:
        total = int(value)
    except (TypeError, ValueError):
        total = 0
    return min(max(total, 0) + 1, limit)


def _check_period(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """A period (``valid_from``–``valid_to``, either open) must not end before it starts."""
    start, end = data.get("valid_from"), data.get("valid_to")
    if start and end and end < start:
        form.add_error("valid_to", _("The end date must come after the start date."))


class LinesField(forms.CharField):
    """A textarea with one entry per line; cleans to the non-empty lines, stripped."""

    def __init__(self, *, rows: int, **kwargs: Any) -> None:
        super().__init__(required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class AgreementCreateForm(forms.Form):
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


class RevisionForm(forms.ModelForm):
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

    def clean(self):
        data = super().clean()
        _check_period(self, data)
        return data


class SectionForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=50,
        help_text=_("Matches the section across revisions, e.g. purpose."),
    )
    heading = forms.CharField(label=_("Heading"), max_length=200)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class BaseSectionFormSet(forms.BaseFormSet):
    def sections(self) -> list[SectionData]:
        """The rows to save, in the order shown: a blank extra row is no section, a ticked
        "delete" removes one. Call after ``is_valid()``."""
        rows: list[SectionData] = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or (not form.has_changed() and not form.initial):
                continue
            rows.append(
                SectionData(
                    key=data["key"],
                    heading=data["heading"],
                    text=data["text"],
                    delete=data.get("DELETE", False),
                )
            )
        return rows

    def clean(self):
        keys = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or not form.is_valid():
                continue
            key = form.cleaned_data.get("key")
            if key in keys:
                raise ValidationError(_("Each section needs its own key."))
            keys.add(key)


SectionFormSet = forms.formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=1, can_delete=True
)


class PartyForm(forms.Form):
    principal = forms.ModelChoiceField(
        label=_("Principal"), queryset=Principal.objects.order_by("name")
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=150, required=False)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("A signature cannot be dated in the future."))
        return value


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    next_review = forms.DateField(label=_("Next review"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        if (
            data.get("reviewed_on")
            and data.get("next_review")
            and data["next_review"] <= data["reviewed_on"]
        ):
            self.add_error("next_review", _("The next review must come after this review."))
        return data


class OriginalsStepForm(forms.Form):
    principal = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY).order_by("name"),
    )
    step = forms.TypedChoiceField(label=_("Step"), choices=OriginalsStep.Step.choices, coerce=int)
    done_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered field by field in a row (not through crispy), so style the widgets here.
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select" if name in {"principal", "step"} else "form-control"
            )


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["kind", "title", "revision", "file"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = agreement.revisions.order_by("number")
        self.fields["revision"].required = False

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and file.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 20 MB."))
        return file


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["year", "kind", "text"]


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "parent", "min_meetings_per_term", "remit", "position"]
        widgets = {"remit": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        parents = agreement.bodies.order_by("position", "id")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.agreement = agreement

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = self.agreement.bodies.filter(name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("There is already a body with that name."))
        return name


class BodyMemberForm(forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["name", "user", "unit", "role", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].help_text = _(
            "Link a portal user to let the person log the body's meetings."
        )
        self.fields["unit"].queryset = Unit.objects.select_related("principal").order_by(
            "principal__name", "name"
        )
        self.fields["name"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("user"):
            self.add_error("name", _("Write the person's name or choose a portal user."))
        _check_period(self, data)
        return data


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    host_principal = forms.ModelChoiceField(
        label=_("Host principal"),
        queryset=Principal.objects.none(),
        help_text=_("The chair follows the meeting place."),
    )
    chair = MemberChoiceField(label=_("Chair"), queryset=BodyMember.objects.none(), required=False)
    convenor = MemberChoiceField(
        label=_("Convenor"), queryset=BodyMember.objects.none(), required=False
    )
    attendees = MembersField(
        label=_("Members present"),
        queryset=BodyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = LinesField(label=_("Guests"), rows=2, help_text=_("One per line: name, organisation."))
    agenda = LinesField(
        label=_("Agenda"),
        rows=4,
        help_text=_("One item per line. Open assignments are added automatically."),
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    decisions = LinesField(label=_("Decisions"), rows=3, help_text=_("One decision per line."))
    focus_areas = LinesField(
        label=_("Focus areas for next year"),
        rows=2,
        help_text=_("One per line; they are added to next year's local BUS plan."),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        members = (
            BodyMember.objects.filter(body=body)
            .select_related("unit__principal")
            .order_by("name", "id")
        )
        for name in ("chair", "convenor", "attendees"):
            self.fields[name].queryset = members
        group = body.agreement.local_group
        principals = (
            Principal.objects.filter(local_groups=group) if group else Principal.objects.all()
        )
        self.fields["host_principal"].queryset = principals.order_by("name")
        if not body.is_steering:
            del self.fields["focus_areas"]

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate() + timezone.timedelta(days=366):
            raise ValidationError(_("The date is more than a year ahead."))
        return value

    def clean_guests(self):
        guests = []
        for line in self.cleaned_data.get("guests", []):
            name, _sep, org = line.partition(",")
            guests.append((name.strip()[:150], org.strip()[:150]))
        return guests

    def meeting_input(self, assignments: forms.BaseFormSet) -> MeetingInput:
        """What the chair entered, with the filled rows of the assignments formset, for the
        meeting services. Call after both are valid."""
        data = self.cleaned_data
        return MeetingInput(
            held_on=data["held_on"],
            place=data["place"],
            host_principal=data["host_principal"],
            chair=data.get("chair"),
            convenor=data.get("convenor"),
            minutes=data.get("minutes", ""),
            attendees=list(data.get("attendees") or []),
            guests=data.get("guests") or [],
            agenda=data.get("agenda") or [],
            decisions=data.get("decisions") or [],
            focus_areas=data.get("focus_areas") or [],
            assignments=[
                AssignmentInput(
                    title=row.cleaned_data["title"],
                    body=row.cleaned_data["body"],
                    owner=row.cleaned_data.get("owner", ""),
                    due_on=row.cleaned_data.get("due_on"),
                )
                for row in assignments.forms
                if row.has_changed() and row.cleaned_data and row.cleaned_data.get("title")
            ],
        )


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Assignment"), max_length=300)
    body = forms.ModelChoiceField(label=_("Assigned to"), queryset=Body.objects.none())
    owner = forms.CharField(label=_("Owner"), max_length=150, required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(agreement_id=body.agreement_id).order_by(
            "position", "id"
        )
        self.fields["body"].initial = body.children.order_by("position").first() or body


AssignmentFormSet = forms.formset_factory(AssignmentForm, extra=1)


class CheckMinutesForm(forms.Form):
    checker_name = forms.CharField(label=_("Checked by"), max_length=150)
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput())

    def clean_checked_on(self):
        value = self.cleaned_data["checked_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the correction.")},
    )


class AssignmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        error_messages={"required": _("Choose a status."), "invalid_choice": _("Choose a status.")},
    )
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from agreements.models import Assignment

        self.fields["status"].choices = Assignment.Status.choices


class OverviewFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        required=False,
        empty_label=_("All areas"),
        widget=FastSelect,
    )
    status = forms.ChoiceField(label=_("Agreement status"), required=False, widget=FastSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from agreements.models import AgreementStatus, Area

        # Only what an option shows: the county has hundreds of areas.
        self.fields["area"].queryset = Area.objects.valid_on().only("id", "name").order_by("name")
        self.fields["status"].choices = [("", _("All statuses")), *AgreementStatus.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
