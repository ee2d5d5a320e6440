"""Local indicators: the steering group's yearly figures, manual additions and sign-off."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from agreements.models import LocalGroup, Principal
from bus_portal.access import RoleRequiredMixin
from bus_portal.errors import DomainError
from bus_portal.roles import COUNTY_ROLES, STEERING_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from followup import services
from followup.access import get_indicator_group_for_user, indicator_groups_visible_to
from followup.forms import ManualFigureForm
from followup.indicators import CODES, group_year, totals_by_year
from followup.models import IndicatorYear, plausible_years, steering_group_ids, year_bounds

INDICATOR_ROLES = (*STEERING_ROLES, *COUNTY_ROLES)


def _year_or_404(year: int) -> int:
    """Indicator years run from ten years back to this year (the figures of a year to come are
    not counted yet)."""
    if year not in plausible_years() or year > timezone.localdate().year:
        raise Http404
    return year


class IndicatorListView(RoleRequiredMixin, TemplateView):
    required_roles = INDICATOR_ROLES
    template_name = "followup/indicator_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        current = timezone.localdate().year
        years = [current - 2, current - 1, current]
        # The groups in force during the years shown.
        groups = list(
            indicator_groups_visible_to(self.request.user)
            .valid_during(year_bounds(years[0])[0], year_bounds(current)[1])
            .order_by("name")
        )
        totals = totals_by_year(years)
        status = {
            (iy.group_id, iy.year): iy
            for iy in IndicatorYear.objects.filter(group__in=groups, year__in=years)
        }
        rows = [
            {
                "group": group,
                "years": [
                    {
                        "year": year,
                        "totals": [totals[year].get(group.pk, {}).get(c, 0) for c in CODES],
                        "signed": bool(
                            status.get((group.pk, year)) and status[(group.pk, year)].is_signed
                        ),
                    }
                    for year in years
                ],
            }
            for group in groups
        ]
        return super().get_context_data(rows=rows, years=years, **kwargs)


class IndicatorDetailView(RoleRequiredMixin, TemplateView):
    required_roles = INDICATOR_ROLES
    template_name = "followup/indicator_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        group = get_indicator_group_for_user(self.request, self.kwargs["group"])
        year = _year_or_404(self.kwargs["year"])
        figures = group_year(group, year)
        # A year without a row yet is open: the guards answer for an unsaved one.
        indicator_year = figures.indicator_year or IndicatorYear(group=group, year=year)
        user = self.request.user
        return super().get_context_data(
            figures=figures,
            group=group,
            year=year,
            can_enter=group.pk in steering_group_ids(user) and indicator_year.can_change(),
            can_sign=group.pk in steering_group_ids(user, Role.STEERING_CHAIR)
            and indicator_year.can_sign(),
        )


class IndicatorYearMixin:
    """A page that changes one group's indicators for one year (``<int:group>/<int:year>``).

    Looked up on first use, inside the request handler, so the role check comes first.
    """

    kwargs: dict[str, Any]
    request: Any
    #: Who in the group's steering group may make the change.
    write_roles: tuple[str, ...] = STEERING_ROLES

    @cached_property
    def group(self) -> LocalGroup:
        return get_indicator_group_for_user(
            self.request, self.kwargs["group"], write=True, write_roles=self.write_roles
        )

    @cached_property
    def year(self) -> int:
        return _year_or_404(self.kwargs["year"])


class ManualFiguresView(IndicatorYearMixin, ServiceFormMixin, FormView):
    """A principal's figures for work done outside the portal, entered by its steering member."""

    required_roles = STEERING_ROLES
    template_name = "followup/indicator_manual.html"
    form_class = ManualFigureForm

    @cached_property
    def principals(self) -> list[Principal]:
        """The principals the user represents in this group's steering group."""
        ids = {
            m.unit.principal_id
            for m in self.request.user.active_memberships
            if m.role in STEERING_ROLES and m.local_group_id == self.group.pk
        }
        principals = list(Principal.objects.filter(pk__in=ids).order_by("name"))
        if not principals:
            raise PermissionDenied
        return principals

    @cached_property
    def principal(self) -> Principal:
        wanted = self.request.POST.get("principal") or self.request.GET.get("principal")
        return next((p for p in self.principals if str(p.pk) == wanted), self.principals[0])

    @cached_property
    def indicator_year(self) -> IndicatorYear | None:
        return IndicatorYear.objects.filter(group=self.group, year=self.year).first()

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"note": ""}
        if self.indicator_year:
            for figure in self.indicator_year.manual_figures.filter(principal=self.principal):
                initial[figure.indicator] = figure.value
                initial["note"] = figure.note
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            group=self.group,
            year=self.year,
            principal=self.principal,
            principals=self.principals,
            locked=bool(self.indicator_year and not self.indicator_year.can_change()),
            **kwargs,
        )

    def perform(self, form: ManualFigureForm) -> HttpResponse:
        services.save_manual_figures(
            group=self.group,
            year=self.year,
            principal=self.principal,
            values={code: form.cleaned_data[code] for code in CODES},
            note=form.cleaned_data["note"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The manual figures were saved."))
        return redirect("followup:indicator_detail", group=self.group.pk, year=self.year)


class IndicatorSignOffView(IndicatorYearMixin, ServiceFormMixin, FormView):
    """Signing off locks the year, so it asks for confirmation first."""

    required_roles = (Role.STEERING_CHAIR,)
    write_roles = (Role.STEERING_CHAIR,)
    template_name = "followup/indicator_signoff.html"
    form_class = forms.Form  # the confirmation step has no fields: the POST is the confirmation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            group=self.group, year=self.year, figures=group_year(self.group, self.year), **kwargs
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.sign_off_year(
            group=self.group, year=self.year, user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The year is signed off and locked."))
        return redirect("followup:indicator_detail", group=self.group.pk, year=self.year)

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        # Nothing to correct on a confirmation step: back to the figures, with the reason.
        messages.error(self.request, str(error))
        return redirect("followup:indicator_detail", group=self.group.pk, year=self.year)
