"""The child and the guardians: the fields every form that names a child has, their checks, and
the offer of a recorded child with a protected identity."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sip import identity
from sip.child_services import ChildData
from sip.models import Child

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
