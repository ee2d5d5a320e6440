"""The plan's form: the plan's own fields with the child, its participant and measure rows (as
formsets sharing their choice rows), the check of the measures' responsible persons, and the
form that agrees the plan."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup, Principal, Unit
from bus_portal.models import User
from bus_portal.submissions import TOKEN_FIELD, OneTimeTokenForm
from sip.forms.child import ChildFieldsMixin
from sip.forms.fields import (
    DateInput,
    SharedChoiceField,
    StaffChoiceField,
    UnitChoiceField,
    principals_for_group,
)
from sip.models import Plan, PlanParticipant
from sip.services import PlanData


def check_responsible_users(measures, participants, owner_unit_ids: Iterable[int]) -> bool:
    """A measure's responsible person in the portal works in the measure's unit, the plan's
    drafting unit or a unit taking part (as the participant rows sent now say). A choice outside
    them is the row's error; False if there was one (call after the formsets validated)."""
    taking_part = {row["unit"].pk for row in participants.rows() if row.get("unit")}
    taking_part |= set(owner_unit_ids)
    valid = True
    for form in measures.forms:
        data = form.cleaned_data or {}
        person = data.get("responsible_user")
        if person is None or data.get("DELETE"):
            continue
        allowed = taking_part | ({data["unit"].pk} if data.get("unit") else set())
        if not {pk for pk, _name in getattr(person, "sip_units", [])} & allowed:
            form.add_error(
                "responsible_user",
                _("Choose someone working in the measure's unit or a unit taking part."),
            )
            valid = False
    return valid


PLAN_FIELDS = [
    "need_noticed_on",
    "first_meeting_on",
    "question",
    "goals_short",
    "goals_long",
    "child_voice",
    "family_and_others",
    "no_measures_by_others",
    "overall_principal",
    "initiator",
    "chair",
    "secretary",
    "next_follow_up_on",
    "legal_reference",
    "my_plan_what",
    "my_plan_who",
    "my_plan_when",
]


class PlanForm(OneTimeTokenForm, ChildFieldsMixin, forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # An edit's base: the plan as the form was loaded, signed (sip.edit_state).
    base = forms.CharField(widget=forms.HiddenInput, required=False)
    owner_unit = UnitChoiceField(label=_("Drafting unit"), queryset=Unit.objects.none())
    local_group = forms.ModelChoiceField(
        label=_("Local BUS group"), queryset=LocalGroup.objects.none()
    )

    class Meta:
        model = Plan
        fields = PLAN_FIELDS
        widgets = {
            "need_noticed_on": DateInput(),
            "first_meeting_on": DateInput(),
            "next_follow_up_on": DateInput(),
            "question": forms.Textarea(attrs={"rows": 3}),
            "goals_short": forms.Textarea(attrs={"rows": 2}),
            "goals_long": forms.Textarea(attrs={"rows": 2}),
            "child_voice": forms.Textarea(attrs={"rows": 2}),
            "family_and_others": forms.Textarea(attrs={"rows": 2}),
            "my_plan_what": forms.Textarea(attrs={"rows": 2}),
            "my_plan_who": forms.Textarea(attrs={"rows": 2}),
            "my_plan_when": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "overall_principal": _("Needed to agree the plan, not to save a draft."),
        }

    def __init__(
        self,
        *args,
        owner_units=None,
        local_group=None,
        principals=None,
        recorded_children=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # Not required: a draft may be saved without it (missing_for_agreement asks for it).
        self.fields["overall_principal"].queryset = principals_for_group(
            local_group or (self.instance.local_group if self.instance.pk else None)
        )
        if principals is not None:
            # Rendered from the principals the rows already loaded (validation still queries).
            field = self.fields["overall_principal"]
            field.choices = [("", field.empty_label)] + [
                (p.pk, field.label_from_instance(p)) for p in principals
            ]
        if self.instance.pk:
            # An edit creates nothing; it is guarded by ``lock_version`` instead.
            del self.fields["owner_unit"]
            del self.fields["local_group"]
            del self.fields[TOKEN_FIELD]
            self.offer_recorded_children(None)
            return
        del self.fields["base"]
        self.offer_recorded_children(recorded_children)
        owner_units = list(owner_units or [])
        self.fields["owner_unit"].queryset = Unit.objects.filter(
            pk__in=[u.pk for u in owner_units]
        ).select_related("principal")
        self.single_owner_unit = owner_units[0] if len(owner_units) == 1 else None
        if self.single_owner_unit is not None:
            del self.fields["owner_unit"]
        if local_group is not None:
            # Derived from the drafting unit's area; the choice is asked only when it cannot be.
            del self.fields["local_group"]
        else:
            self.fields["local_group"].queryset = LocalGroup.objects.valid_on().order_by("name")

    def clean(self):
        cleaned = super().clean()
        start, first = cleaned.get("need_noticed_on"), cleaned.get("first_meeting_on")
        if start and start > timezone.localdate():
            self.add_error("need_noticed_on", _("The date cannot be in the future."))
        if start and first and first < start:
            self.add_error(
                "first_meeting_on", _("The meeting cannot be before the need was noticed.")
            )
        return cleaned

    def plan_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS}


class ParticipantForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanParticipant.Kind.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Role or title"), max_length=150, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        _set_rows(self.fields["unit"], units, Unit)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PlanParticipant.Kind.UNIT and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the unit this person represents."))
        if cleaned.get("kind") != PlanParticipant.Kind.UNIT:
            cleaned["unit"] = None
        return cleaned


class MeasureForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    principal = SharedChoiceField(
        label=_("Principal"), queryset=Principal.objects.none(), required=False
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    other_actor = forms.CharField(
        label=_("Or other actor (family, school, association …)"), max_length=150, required=False
    )
    responsible = forms.CharField(label=_("Responsible person"), max_length=150, required=False)
    responsible_user = StaffChoiceField(
        label=_("Responsible in the portal (gets reminders)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Reminded before the measure ends."),
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput())

    def __init__(self, *args, units=None, principals=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        _set_rows(self.fields["unit"], units, Unit)
        _set_rows(self.fields["principal"], principals, Principal)
        _set_rows(self.fields["responsible_user"], staff or [], User)

    def clean(self):
        cleaned = super().clean()
        principal, unit, other = (
            cleaned.get("principal"),
            cleaned.get("unit"),
            cleaned.get("other_actor"),
        )
        if unit and not principal:
            principal = cleaned["principal"] = unit.principal
        if not principal and not other:
            self.add_error("principal", _("Choose a principal, or name the other actor."))
        if principal and other:
            self.add_error("other_actor", _("Choose either a principal or another actor."))
        if unit and principal and unit.principal_id != principal.pk:
            self.add_error("unit", _("The unit does not belong to the chosen principal."))
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return cleaned


def _set_rows(field: SharedChoiceField, rows, model) -> None:
    """A queryset is used as it is; a list (loaded once by the view) is shared by every row."""
    if rows is None:
        field.queryset = model.objects.none()
    elif isinstance(rows, models.QuerySet):
        field.queryset = rows
    else:
        field.queryset = model.objects.filter(pk__in=[row.pk for row in rows])
        field.share(rows)


class BaseRowFormSet(forms.BaseFormSet):
    """Rows of a plan; ``recorded_ids`` are rows a version refers to (a participant who signed,
    a measure that was evaluated): they get no "remove" tick, and ``form.recorded`` is set."""

    def __init__(self, *args, recorded_ids: Iterable[int] = (), **kwargs):
        self.recorded_ids = {int(pk) for pk in recorded_ids}
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        row_id = form["id"].value() if "id" in form.fields else None
        form.recorded = bool(row_id) and str(row_id).isdigit() and int(row_id) in self.recorded_ids
        if form.recorded:
            form.fields.pop("DELETE", None)

    def rows(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE",)}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseRowFormSet, extra=0, can_delete=True
)
MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseRowFormSet, extra=0, can_delete=True
)


def plan_data(form: PlanForm, participants, measures) -> PlanData:
    return PlanData(
        fields=form.plan_fields(), participants=participants.rows(), measures=measures.rows()
    )


class AgreeForm(OneTimeTokenForm):
    meeting_on = forms.DateField(label=_("Date of the SIP meeting"), widget=DateInput())

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_on"].initial = plan.first_meeting_on or timezone.localdate()
