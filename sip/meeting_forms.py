"""Forms of SIP meetings and confirmations. They validate and return typed values; the services
in ``sip.meeting_services`` and ``sip.confirmation_services`` act."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Membership, Unit
from bus_portal.formfields import ModelMultipleChoiceField
from bus_portal.roles import SIP_ROLES
from bus_portal.submissions import OneTimeTokenForm
from bus_portal.widgets import Checklist
from sip import edit_state
from sip.confirmation_services import AGREEMENT_DOCUMENT
from sip.forms import DateInput, units_for_group
from sip.meeting_services import Invitees
from sip.models import MeetingInvitation, Plan, PlanParticipant, SignOff, SipMeeting

MAX_EXTERNALS = 30


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def meeting_directory(units: QuerySet[Unit]) -> QuerySet:
    """Portal users with a SIP role in the units today: the directory a meeting invites from."""
    members = Membership.objects.valid_on().filter(unit__in=units, role__in=SIP_ROLES)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=members.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.title})" if obj.title else str(obj)


class UnitsChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}, {obj.principal.name}"


def parse_externals(text: str) -> list[tuple[str, str]]:
    """ "Name, address" per line (the name may be left out) as (name, address) pairs; a line
    whose address is not valid is named in the error."""
    pairs: list[tuple[str, str]] = []
    bad: list[str] = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_EXTERNALS:
        raise forms.ValidationError(
            _("At most %(n)s external persons per meeting."), params={"n": MAX_EXTERNALS}
        )
    for number, line in enumerate(lines, start=1):
        name, _sep, address = line.rpartition(",")
        address = address.strip().strip("<>").strip()
        name = name.strip()
        try:
            validate_email(address)
            if len(address) > 254 or len(name) > 150:
                raise forms.ValidationError("too long")
        except forms.ValidationError:
            bad.append(str(number))
            continue
        pairs.append((name, address))
    if bad:
        raise forms.ValidationError(
            _(
                "Not a valid e-mail address on line %(lines)s. Write one person per line: name, "
                "e-mail address."
            ),
            params={"lines": ", ".join(bad)},
        )
    return pairs


class MeetingForm(OneTimeTokenForm):
    """When and where the meeting is, and whom it invites."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput())
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Sent to everyone invited: no names or addresses of the family."),
    )
    video_link = forms.URLField(
        label=_("Video link"), max_length=500, required=False, assume_scheme="https"
    )
    units = UnitsChoiceField(
        label=_("Units taking part in the plan"),
        queryset=Unit.objects.none(),
        required=False,
        widget=Checklist,
        help_text=_("The unit's staff get the invitation; one of them answers for the unit."),
    )
    other_units = UnitsChoiceField(
        label=_("Other units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=Checklist,
    )
    users = UserChoiceField(
        label=_("Persons in the portal"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=Checklist,
    )
    externals = forms.CharField(
        label=_("External persons"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: name, e-mail address. They get the time and place only, never the "
            "child's data."
        ),
    )

    def __init__(
        self, *args: Any, plan: Plan, meeting: SipMeeting | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan, self.meeting = plan, meeting
        group_units = units_for_group(plan.local_group)
        taking_part = plan.participating_unit_ids()
        self.fields["units"].queryset = group_units.filter(pk__in=taking_part)
        self.fields["other_units"].queryset = group_units.exclude(pk__in=taking_part)
        self.fields["users"].queryset = meeting_directory(group_units)
        if meeting is not None:
            del self.fields["submission_token"]
            self.fields["lock_version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                initial=meeting.lock_version,
                min_value=0,
                max_value=2**31,
            )
            # The meeting as it was loaded, signed: the base of the merge after a stale save.
            self.fields["base"] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=100_000
            )
            if "base" not in self.initial:  # opened now: the saved meeting
                state = edit_state.meeting_state(meeting)
                self.initial = {
                    **{name: state[name] for name in edit_state.MEETING_FIELDS},
                    "base": edit_state.sign_meeting(meeting, state),
                    **self.initial,
                }
            for name in ("units", "other_units", "users", "externals"):
                self.fields[name].label = _("Invite more: %(label)s") % {
                    "label": str(self.fields[name].label).lower()
                }

    def clean_externals(self) -> list[tuple[str, str]]:
        return parse_externals(self.cleaned_data.get("externals") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date, starts, ends = cleaned.get("date"), cleaned.get("starts"), cleaned.get("ends")
        if date and starts and ends:
            try:
                start = timezone.make_aware(datetime.datetime.combine(date, starts))
                end = timezone.make_aware(datetime.datetime.combine(date, ends))
            except (OverflowError, ValueError):
                self.add_error(
                    "date", _("The date cannot be used for a meeting. Choose another date.")
                )
            else:
                if end <= start:
                    self.add_error("ends", _("The meeting must end after it starts."))
                elif start <= timezone.now():
                    self.add_error(
                        "date",
                        _("The meeting is in the past: no invitation can be sent for it."),
                    )
                cleaned["starts_at"], cleaned["ends_at"] = start, end
        no_place = not cleaned.get("place") and not cleaned.get("video_link")
        if no_place and "place" not in self.errors and "video_link" not in self.errors:
            self.add_error("place", _("Give a place or a video link."))
        if self.meeting is None and not self.invitees() and not self.errors.get("externals"):
            self.add_error("units", _("Invite at least one unit or person."))
        return cleaned

    def invitees(self) -> Invitees:
        data = getattr(self, "cleaned_data", {})
        return Invitees(
            units=[*data.get("units", []), *data.get("other_units", [])],
            users=list(data.get("users", [])),
            externals=data.get("externals") or [],
        )


class ReplyForm(forms.Form):
    # Choices worded as the answer one gives; the status shown afterwards is the past tense
    # (``MeetingInvitation.Answer``).
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (MeetingInvitation.Answer.ACCEPTED, _("Accept – I will come")),
            (MeetingInvitation.Answer.DECLINED, _("Decline – I cannot come")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (needed when you decline)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Visible to the one who convened the meeting. No names of the child or family."
        ),
    )

    def __init__(self, *args: Any, for_unit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_unit:  # one of the unit's staff answers for the unit
            self.fields["answer"].choices = [
                (MeetingInvitation.Answer.ACCEPTED, _("Accept – we will come")),
                (MeetingInvitation.Answer.DECLINED, _("Decline – we cannot come")),
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        declined = cleaned.get("answer") == MeetingInvitation.Answer.DECLINED
        if declined and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for declining."))
        return cleaned


class ConfirmForm(forms.Form):
    """Confirms the agreed version for the user's units; nothing to fill in."""


class CancelMeetingForm(forms.Form):
    """Confirms cancelling the meeting; nothing to fill in."""


class FamilyAgreementForm(forms.Form):
    participant = forms.TypedChoiceField(label=_("Who agreed"), coerce=int, choices=())
    method = forms.ChoiceField(
        label=_("How the agreement was given"),
        choices=[
            (SignOff.Method.PAPER, SignOff.Method.PAPER.label),
            (SignOff.Method.ORAL, SignOff.Method.ORAL.label),
            (SignOff.Method.DOCUMENT, SignOff.Method.DOCUMENT.label),
        ],
        widget=forms.RadioSelect,
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        allow_empty_file=True,
        validators=[AGREEMENT_DOCUMENT],
        help_text=AGREEMENT_DOCUMENT.help_text,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, participants: list[PlanParticipant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {p.pk: p for p in participants}
        self.fields["participant"].choices = [(p.pk, p.summary()) for p in participants]

    def clean_participant(self) -> PlanParticipant:
        return self.participants[self.cleaned_data["participant"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("method") == SignOff.Method.DOCUMENT
            and not cleaned.get("document")
            and "document" not in self.errors
        ):
            self.add_error("document", _("Attach the document with the agreement."))
        return cleaned
