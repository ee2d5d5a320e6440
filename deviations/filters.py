"""The secretariat's queue filters (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Area, ServiceType
from bus_portal.widgets import FastSelect
from deviations.models import Category, Deviation, Status


def _year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, this_year - 6, -1)]


def _service_side(label: str) -> django_filters.ChoiceFilter:
    """One side of a pair of services; ``filter_pair`` applies both sides together."""
    return django_filters.ChoiceFilter(
        widget=FastSelect,
        label=label,
        choices=ServiceType.choices,
        method="filter_pair",
        empty_label=_("Any service"),
    )


class QueueFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Year of the event"),
        choices=_year_choices,
        method="filter_year",
        empty_label=_("All years"),
    )
    area = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        empty_label=_("All areas"),
    )
    category = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Category"),
        queryset=Category.objects.order_by("position", "name"),
        empty_label=_("All categories"),
    )
    service_a = _service_side(_("Service (one side)"))
    service_b = _service_side(_("Service (other side)"))
    status = django_filters.ChoiceFilter(
        widget=FastSelect, label=_("Status"), choices=Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Deviation
        fields = ["year", "area", "category", "service_a", "service_b", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(event_date__year=int(value))

    def filter_pair(self, queryset, name, value):
        # Both sides are applied together once, in either direction (school ↔ BUP = BUP ↔ school).
        if name == "service_b" and self.form.cleaned_data.get("service_a"):
            return queryset
        a = self.form.cleaned_data.get("service_a")
        b = self.form.cleaned_data.get("service_b")
        return queryset.filter(pair_q(a, b))


def pair_q(a: str | None, b: str | None) -> Q:
    """Reports between service ``a`` and service ``b`` in either direction (either may be empty)."""
    reporter, counterpart = "reporter_unit__service_type", "counterpart_services__service_type"
    if a and b:
        return Q(
            pk__in=Deviation.objects.filter(
                Q(**{reporter: a, counterpart: b}) | Q(**{reporter: b, counterpart: a})
            ).values("pk")
        )
    one = a or b
    return Q(
        pk__in=Deviation.objects.filter(Q(**{reporter: one}) | Q(**{counterpart: one})).values("pk")
    )
