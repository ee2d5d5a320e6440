"""The widgets, choice fields and choice rows the SIP forms share: dates, units and principals
of a local group, and the staff of units a measure's responsible person is chosen among."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from agreements.models import LocalGroup, Membership, Principal, Unit
from bus_portal.models import User
from bus_portal.roles import SIP_ROLES
from bus_portal.widgets import FastSelect


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
