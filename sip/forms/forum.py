"""The individual forum: raising a case (with the child and the units invited) and its
protocol."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup, Unit
from bus_portal.formfields import ModelMultipleChoiceField
from bus_portal.submissions import OneTimeTokenForm
from bus_portal.widgets import Checklist
from sip.forms.child import ChildFieldsMixin
from sip.forms.fields import DateInput, UnitChoiceField, units_for_group
from sip.models import ForumCase


class ForumCaseForm(OneTimeTokenForm, ChildFieldsMixin):
    need_noticed_on = forms.DateField(label=_("Need noticed on"), widget=DateInput())
    question = forms.CharField(
        label=_("Question for the forum"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In general terms, without names; it may be shown on an agenda."),
    )
    invited_units = ModelMultipleChoiceField(
        label=_("Invited units (their chiefs with mandate)"),
        queryset=Unit.objects.none(),
        widget=Checklist,
    )
    invited_officers = forms.CharField(
        label=_("Case officers invited when needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    raising_unit = UnitChoiceField(label=_("Raised by unit"), queryset=Unit.objects.none())
    local_group = forms.ModelChoiceField(
        label=_("Local BUS group"), queryset=LocalGroup.objects.none()
    )

    def __init__(self, *args, chief_units, local_group, recorded_children, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_recorded_children(recorded_children)
        self.fields["invited_units"].queryset = units_for_group(local_group)
        if local_group is not None:
            # Derived from the chief's unit; asked only when the unit's area does not decide it.
            del self.fields["local_group"]
        else:
            self.fields["local_group"].queryset = LocalGroup.objects.valid_on().order_by("name")
        self.fields["raising_unit"].queryset = Unit.objects.filter(
            pk__in=[u.pk for u in chief_units]
        ).select_related("principal")
        self.single_unit = chief_units[0] if len(chief_units) == 1 else None
        if self.single_unit is not None:
            del self.fields["raising_unit"]

    def clean_need_noticed_on(self):
        value = self.cleaned_data["need_noticed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = ForumCase
        fields = [
            "meeting_on",
            "present",
            "principals_views",
            "decision",
            "actions",
            "outcome",
            "escalated_on",
        ]
        widgets = {
            "meeting_on": DateInput(),
            "escalated_on": DateInput(),
            "present": forms.Textarea(attrs={"rows": 2}),
            "principals_views": forms.Textarea(attrs={"rows": 3}),
            "decision": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("meeting_on", "present", "principals_views", "decision", "outcome"):
            self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == ForumCase.Outcome.ESCALATED and not cleaned.get(
            "escalated_on"
        ):
            self.add_error("escalated_on", _("Give the date the case was escalated."))
        return cleaned
