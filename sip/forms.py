"""Forms validate and return typed values; the services in sip/services.py act on them."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup, Membership, Principal, Unit
from bus_portal.formfields import ModelMultipleChoiceField
from bus_portal.models import User
from bus_portal.roles import SIP_ROLES
from bus_portal.submissions import TOKEN_FIELD, OneTimeTokenForm
from bus_portal.widgets import FastSelect
from sip import identity
from sip.child_services import ChildData
from sip.models import Child, ForumCase, MeasureEvaluation, Plan, PlanParticipant
from sip.services import PlanData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def units_for_group(local_group: LocalGroup | None):
    units = Unit.objects.select_related("principal").order_by("principal__name", "name")
    if local_group is not None:
        units = units.filter(principal__local_groups=local_group)
    return units


def principals_for_group(local_group: LocalGroup | None):
    principals = Principal.objects.order_by("name")
    if local_group is not None:
        principals = principals.filter(local_groups=local_group)
    return principals


class SharedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that can take its rows loaded once for a whole formset.

    A plan's form has a unit and a principal select on every participant and measure row; with
    only a queryset, each row would run it again to render its options and to validate.
    """

    widget = FastSelect  # the options repeat on every row
    _shared: dict[str, object] | None = None

    def share(self, objects) -> None:
        objects = list(objects)
        self._shared = {str(obj.pk): obj for obj in objects}
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        self.choices = empty + [(obj.pk, self.label_from_instance(obj)) for obj in objects]

    def to_python(self, value):
        if self._shared is None or value in self.empty_values:
            return super().to_python(value)
        key = str(value.pk if isinstance(value, self.queryset.model) else value)
        if key not in self._shared:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return self._shared[key]


class UnitChoiceField(SharedChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} – {obj.principal.name}"


class StaffChoiceField(SharedChoiceField):
    """A portal user among the staff ``staff_of_units`` loaded, named with their units."""

    def label_from_instance(self, obj) -> str:
        units = ", ".join(name for _pk, name in getattr(obj, "sip_units", []))
        return f"{obj} ({units})" if units else str(obj)


def staff_of_units(unit_ids: Iterable[int]) -> list[User]:
    """The active users with a SIP role in the units today, each once and sorted by name, with
    ``sip_units`` ((unit id, name) pairs) set: one query."""
    memberships = (
        Membership.objects.valid_on()
        .filter(unit_id__in=list(unit_ids), role__in=SIP_ROLES, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user__last_name", "user__first_name", "user_id", "unit__name")
    )
    users: dict[int, User] = {}
    for member in memberships:
        user = users.setdefault(member.user_id, member.user)
        units = user.__dict__.setdefault("sip_units", [])
        if (member.unit_id, member.unit.name) not in units:
            units.append((member.unit_id, member.unit.name))
    return list(users.values())


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


#: The child's fields on every form that names a child, in the order they are shown.
CHILD_FIELDS = [
    "child_first_name",
    "child_last_name",
    "personal_number",
    "protected_identity",
    "guardian1_name",
    "guardian1_phone",
    "guardian2_name",
    "guardian2_phone",
]


class RecordedChildField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Child) -> str:
        if obj.birth_date is None:
            return str(obj)
        return _("%(name)s, born %(date)s") % {"name": obj, "date": obj.birth_date.isoformat()}


class ChildFieldsMixin(forms.Form):
    """The child and the guardians; a number is required unless the identity is protected.

    A form that starts a plan or a case calls ``offer_recorded_children``: a child with a
    protected identity (no number to match) is then reused only when the user chooses it, and
    ``confirmed_child`` carries the recorded child the user has seen (``sip.child_services``).
    A form that edits drops both fields.
    """

    child_first_name = forms.CharField(
        label=_("Child's first name"), max_length=100, required=False
    )
    child_last_name = forms.CharField(label=_("Child's last name"), max_length=100, required=False)
    personal_number = forms.CharField(
        label=_("Personal identity number or coordination number"),
        max_length=15,
        required=False,
        help_text=_(
            "10 or 12 digits, with or without a hyphen. Leave empty for a protected identity."
        ),
    )
    protected_identity = forms.BooleanField(label=_("Protected identity"), required=False)
    protected_child = RecordedChildField(
        label=_("Or: a child with protected identity already in your unit's plans or cases"),
        queryset=Child.objects.none(),
        required=False,
        empty_label=_("No – a child not recorded yet"),
        help_text=_("A child without a number is matched only when you choose it here."),
    )
    confirmed_child = forms.IntegerField(widget=forms.HiddenInput, required=False)
    guardian1_name = forms.CharField(label=_("Guardian 1"), max_length=150, required=False)
    guardian1_phone = forms.CharField(label=_("Guardian 1, phone"), max_length=40, required=False)
    guardian2_name = forms.CharField(label=_("Guardian 2"), max_length=150, required=False)
    guardian2_phone = forms.CharField(label=_("Guardian 2, phone"), max_length=40, required=False)

    def offer_recorded_children(self, protected: models.QuerySet[Child] | None) -> None:
        """For a new record: offer these protected children; ``None`` for an edit (no offer)."""
        if protected is None:
            del self.fields["confirmed_child"]
        if protected is None or not protected.exists():
            del self.fields["protected_child"]
        else:
            self.fields["protected_child"].queryset = protected

    def clean_personal_number(self) -> str:
        value = self.cleaned_data["personal_number"].strip()
        if not value:
            return ""
        try:
            number = identity.parse(value, today=timezone.localdate())
        except identity.InvalidIdentityNumber:
            raise forms.ValidationError(
                _("This is not a valid personal identity number or coordination number.")
            ) from None
        self._birth_date = number.birth_date
        return number.digits

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("protected_child")
        if chosen and cleaned.get("personal_number"):
            self.add_error(
                "protected_child", _("Choose a recorded child or give a number, not both.")
            )
        # A chosen child's names come from its record, shown before anything is saved.
        shown = chosen is not None and cleaned.get("confirmed_child") == chosen.pk
        if chosen is None or shown:
            for name in ("child_first_name", "child_last_name"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        if (
            chosen is None
            and not cleaned.get("personal_number")
            and not cleaned.get("protected_identity")
            and "personal_number" not in self.errors
        ):
            self.add_error("personal_number", _("Give the number, or tick protected identity."))
        return cleaned

    def child_data(self) -> ChildData:
        c = self.cleaned_data
        chosen = c.get("protected_child")
        return ChildData(
            confirmed_child_id=c.get("confirmed_child"),
            chosen_child_id=chosen.pk if chosen else None,
            first_name=c["child_first_name"],
            last_name=c["child_last_name"],
            personal_number=c["personal_number"],
            protected_identity=c["protected_identity"],
            birth_date=getattr(self, "_birth_date", None),
            guardians=[
                (c.get("guardian1_name", ""), c.get("guardian1_phone", "")),
                (c.get("guardian2_name", ""), c.get("guardian2_phone", "")),
            ],
        )

    @staticmethod
    def initial_from_child(child: Child) -> dict:
        guardians = {g.position: g for g in child.guardians.all()}
        initial: dict[str, object] = {
            "child_first_name": child.first_name,
            "child_last_name": child.last_name,
            "personal_number": child.formatted_number,
            "protected_identity": child.protected_identity,
        }
        for position in (1, 2):
            if position in guardians:
                initial[f"guardian{position}_name"] = guardians[position].name
                initial[f"guardian{position}_phone"] = guardians[position].phone
        return initial


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


class EvaluationForm(forms.Form):
    # Nothing is chosen until the user chooses: an untouched form must not mark measures done.
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose an outcome"))] + MeasureEvaluation.Outcome.choices,
        error_messages={"required": _("Choose an outcome for this measure.")},
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(OneTimeTokenForm):
    meeting_on = forms.DateField(label=_("Date of the follow-up meeting"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary of the follow-up"), widget=forms.Textarea(attrs={"rows": 3})
    )
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"), required=False, widget=DateInput()
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        # One evaluation per measure, bound to the same posted data under its own prefix.
        data = self.data if self.is_bound else None
        self.measure_forms = [
            (m, EvaluationForm(data, prefix=f"m{m.pk}")) for m in plan.measures.all()
        ]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid] + [f.is_valid() for _m, f in self.measure_forms])

    def clean(self):
        cleaned = super().clean()
        unevaluated = [
            _("measure %(n)s (%(description)s)") % {"n": n, "description": m.description[:60]}
            for n, (m, f) in enumerate(self.measure_forms, start=1)
            if not f.is_valid() and "outcome" in f.errors
        ]
        if unevaluated:
            self.add_error(
                None,
                _("Choose an outcome for every measure. Not evaluated: %(measures)s.")
                % {"measures": "; ".join(str(u) for u in unevaluated)},
            )
        return cleaned

    def evaluations(self) -> dict[int, tuple[str, str]]:
        return {
            m.pk: (f.cleaned_data["outcome"], f.cleaned_data["comment"])
            for m, f in self.measure_forms
        }


class ReviseForm(forms.Form):
    """Confirms starting a revision; there is nothing to fill in."""


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ForumCaseForm(OneTimeTokenForm, ChildFieldsMixin):
    need_noticed_on = forms.DateField(label=_("Need noticed on"), widget=DateInput())
    question = forms.CharField(
        label=_("Question for the forum"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In general terms, without names; it may be shown on an agenda."),
    )
    invited_units = ModelMultipleChoiceField(
        label=_("Invited units (their chiefs with mandate)"), queryset=Unit.objects.none()
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
