"""Forms of bodies, members, meetings, minutes and assignments, and the county overview's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements import plausibility, uploads
from agreements.forms.base import (
    DateInput,
    LinesField,
    LockedForm,
    check_dates,
    check_period,
    date_validator,
    drop_token_or_lock,
)
from agreements.models import Body, BodyMember, Principal, Unit
from agreements.services import AssignmentInput, MeetingInput
from bus_portal.submissions import OneTimeTokenForm
from bus_portal.widgets import FastSelect


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class BodyForm(OneTimeTokenForm, LockedForm, forms.ModelForm):
    notice_days = forms.IntegerField(
        label=_("Notice days"),
        min_value=plausibility.NOTICE_DAYS_RANGE[0],
        max_value=plausibility.NOTICE_DAYS_RANGE[1],
        initial=7,
        help_text=_(
            "How many days before a meeting the notice goes out to the members; from 0 to 60."
        ),
    )
    min_meetings_per_term = forms.IntegerField(
        label=_("Minimum meetings per term"),
        min_value=plausibility.MEETINGS_PER_TERM_RANGE[0],
        max_value=plausibility.MEETINGS_PER_TERM_RANGE[1],
        initial=1,
        help_text=_("0 for a forum that meets only when a case needs it; at most 20."),
    )
    position = forms.IntegerField(
        label=_("Order"),
        min_value=plausibility.POSITION_RANGE[0],
        max_value=plausibility.POSITION_RANGE[1],
        initial=0,
        help_text=_("From 0 to 999; lower comes first."),
    )

    class Meta:
        model = Body
        fields = [
            "name",
            "kind",
            "parent",
            "min_meetings_per_term",
            "notice_days",
            "remit",
            "position",
        ]
        widgets = {"remit": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        parents = agreement.bodies.order_by("position", "id")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["remit"].max_length = 20_000
        self.agreement = agreement
        drop_token_or_lock(self, editing=self.instance.pk is not None)

    def validate_unique(self) -> None:
        # The service refuses a name another body has (after the one-time token is claimed, so a
        # second send of this form is taken to the body it created instead).
        pass


class BodyMemberForm(OneTimeTokenForm, LockedForm, forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["name", "user", "unit", "role", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        help_texts = {
            "valid_from": plausibility.AGREEMENT_DATE_HELP,
            "valid_to": plausibility.AGREEMENT_DATE_HELP,
        }

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
        drop_token_or_lock(self, editing=self.instance.pk is not None)

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("user"):
            self.add_error("name", _("Write the person's name or choose a portal user."))
        check_period(self, data)
        check_dates(
            self,
            data,
            {
                "valid_from": plausibility.agreement_date_error,
                "valid_to": plausibility.agreement_date_error,
            },
        )
        return data


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label

    def clean(self, value: Any) -> Any:
        # An id past the database's integer range never names a member; refused here, because
        # Django's "__in" lookup would hand it to the database driver, which cannot take it.
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and not 0 < int(text) < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super().clean(value)


class MeetingForm(OneTimeTokenForm, LockedForm):
    held_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=plausibility.MEETING_DATE_HELP,
        validators=[date_validator(plausibility.meeting_date_error)],
    )
    starts_at = forms.TimeField(
        label=_("Starts"),
        required=False,
        widget=TimeInput(),
        help_text=_("Needed for the notice and its calendar invitation."),
    )
    ends_at = forms.TimeField(label=_("Ends"), required=False, widget=TimeInput())
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
        label=_("Minutes"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    decisions = LinesField(label=_("Decisions"), rows=3, help_text=_("One decision per line."))
    focus_areas = LinesField(
        label=_("Focus areas for next year"),
        rows=2,
        help_text=_("One per line; they are added to next year's local BUS plan."),
    )

    def __init__(self, *args, body: Body, editing: bool = False, **kwargs):
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
        drop_token_or_lock(self, editing=editing)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if end is not None and (start is None or end <= start):
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data

    def clean_guests(self):
        guests = []
        for line in self.cleaned_data.get("guests", []):
            name, _sep, org = line.partition(",")
            guests.append((name.strip()[:150], org.strip()[:150]))
        return guests

    def clean_agenda(self):
        return [line[:300] for line in self.cleaned_data.get("agenda", [])]

    def clean_focus_areas(self):
        return [line[:400] for line in self.cleaned_data.get("focus_areas", [])]

    def meeting_input(self, assignments: forms.BaseFormSet) -> MeetingInput:
        """What the chair entered, with the filled rows of the assignments formset, for the
        meeting services. Call after both are valid."""
        data = self.cleaned_data
        return MeetingInput(
            held_on=data["held_on"],
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
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
                    owner_user=row.cleaned_data.get("owner_user"),
                )
                for row in assignments.forms
                if row.has_changed() and row.cleaned_data and row.cleaned_data.get("title")
            ],
        )


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Assignment"), max_length=300)
    body = forms.ModelChoiceField(label=_("Assigned to"), queryset=Body.objects.none())
    owner = forms.CharField(label=_("Owner"), max_length=150, required=False)
    owner_user = forms.ModelChoiceField(
        label=_("Owner in the portal"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Told by e-mail and reminded a week before the due date."),
    )
    due_on = forms.DateField(
        label=_("Due"),
        required=False,
        widget=DateInput(),
        help_text=plausibility.DUE_DATE_HELP,
        validators=[date_validator(plausibility.due_date_error)],
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(agreement_id=body.agreement_id).order_by(
            "position", "id"
        )
        self.fields["body"].initial = body.children.order_by("position").first() or body
        # Owners in the portal: the members with a login of the agreement's bodies.
        self.fields["owner_user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, body_memberships__body__agreement_id=body.agreement_id)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )


AssignmentFormSet = forms.formset_factory(AssignmentForm, extra=1, max_num=50, absolute_max=50)


class NoticeReplyForm(OneTimeTokenForm):
    """A member's own reply to a notice."""

    response = forms.ChoiceField(
        label=_("Your reply"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reply."), "invalid_choice": _("Choose a reply.")},
    )
    substitute_name = forms.CharField(
        label=_("Substitute's name"),
        max_length=150,
        required=False,
        help_text=_("Only when you send a substitute."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from agreements.models import Invitation

        self.fields["response"].choices = Invitation.Response.choices

    def clean(self):
        from agreements.models import Invitation

        data = super().clean()
        if (
            data.get("response") == Invitation.Response.SUBSTITUTE
            and not (data.get("substitute_name") or "").strip()
        ):
            self.add_error("substitute_name", _("Name the substitute."))
        return data


class CheckersForm(LockedForm):
    """The chair appoints one or two justerare among the members with a portal login."""

    checkers = MembersField(
        label=_("Justerare"),
        queryset=BodyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or two members; each checks the minutes under their own login."),
        error_messages={"required": _("Appoint one or two justerare.")},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkers"].queryset = (
            BodyMember.objects.filter(body_id=meeting.body_id, user__isnull=False)
            .valid_on(meeting.held_on)
            .select_related("unit__principal")
            .order_by("name", "id")
        )

    def clean_checkers(self):
        from agreements.services import MAX_CHECKERS

        checkers = self.cleaned_data["checkers"]
        if len(checkers) > MAX_CHECKERS:
            raise ValidationError(_("Appoint one or two justerare."))
        return checkers


class PaperForm(OneTimeTokenForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    # Checked by content (agreements.uploads); the name it came with is not kept.
    file = forms.FileField(
        label=_("File"),
        validators=[uploads.ATTACHMENT],
        allow_empty_file=True,
        help_text=uploads.HELP_TEXT,
    )


class AddendumForm(OneTimeTokenForm):
    text = forms.CharField(
        label=_("Correction"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the correction.")},
        help_text=_("Shown under the minutes and printed with them, with your name and the date."),
    )


class AssignmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        error_messages={"required": _("Choose a status."), "invalid_choice": _("Choose a status.")},
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from agreements.models import AgreementStatus, Area

        # Only what an option shows: the county has hundreds of areas.
        self.fields["area"].queryset = Area.objects.valid_on().only("id", "name").order_by("name")
        self.fields["status"].choices = [("", _("All statuses")), *AgreementStatus.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
