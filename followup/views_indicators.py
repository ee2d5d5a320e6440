"""Local indicators: the steering group's yearly figures, manual additions and sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from agreements.models import LocalGroup, Principal
from bus_portal.access import RoleRequiredMixin, get_for_user, role_required
from bus_portal.roles import COUNTY_ROLES, Role
from followup import services
from followup.forms import ManualFigureForm
from followup.indicators import CODES, group_year, totals_by_year
from followup.models import IndicatorYear, steering_group_ids

STEERING_ROLES = (Role.STEERING_CHAIR, Role.STEERING_MEMBER)
INDICATOR_ROLES = (*STEERING_ROLES, *COUNTY_ROLES)


def get_group_for_user(request, pk: int, *, write: bool = False) -> LocalGroup:
    """County roles read every group; steering members read and write their own (else 404)."""
    user = request.user
    if user.has_role(*COUNTY_ROLES):
        queryset = LocalGroup.objects.all()
    else:
        queryset = LocalGroup.objects.filter(pk__in=steering_group_ids(user))
    return get_for_user(
        request,
        queryset,
        write=write,
        can_write=lambda group, u: group.pk in steering_group_ids(u),
        pk=pk,
    )


def _check_year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return year


class IndicatorListView(RoleRequiredMixin, TemplateView):
    template_name = "followup/indicator_list.html"
    required_roles = INDICATOR_ROLES

    def get_context_data(self, **kwargs):
        user = self.request.user
        groups = LocalGroup.objects.order_by("name")
        if not user.has_role(*COUNTY_ROLES):
            groups = groups.filter(pk__in=steering_group_ids(user))
        groups = list(groups)
        current = timezone.localdate().year
        years = [current - 2, current - 1, current]
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
    template_name = "followup/indicator_detail.html"
    required_roles = INDICATOR_ROLES

    def get_context_data(self, **kwargs):
        group = get_group_for_user(self.request, self.kwargs["group"])
        year = _check_year(self.kwargs["year"])
        figures = group_year(group, year)
        user = self.request.user
        return super().get_context_data(
            figures=figures,
            group=group,
            year=year,
            can_enter=group.pk in steering_group_ids(user) and not figures.is_signed,
            can_sign=group.pk in steering_group_ids(user, Role.STEERING_CHAIR)
            and not figures.is_signed
            and year < timezone.localdate().year,
        )


def _own_principals(request, group: LocalGroup):
    """The principals the user represents in this group's steering group."""
    ids = {
        m.unit.principal_id
        for m in request.user.active_memberships
        if m.role in STEERING_ROLES and m.local_group_id == group.pk
    }
    return Principal.objects.filter(pk__in=ids).order_by("name")


@role_required(*INDICATOR_ROLES)
def indicator_manual(request, group: int, year: int):
    group_obj = get_group_for_user(request, group, write=True)
    year = _check_year(year)
    principals = list(_own_principals(request, group_obj))
    if not principals:
        raise PermissionDenied
    principal = principals[0]
    if request.GET.get("principal") or request.POST.get("principal"):
        wanted = request.POST.get("principal") or request.GET.get("principal")
        principal = next((p for p in principals if str(p.pk) == wanted), principal)
    existing = {}
    note = ""
    indicator_year = IndicatorYear.objects.filter(group=group_obj, year=year).first()
    if indicator_year:
        for figure in indicator_year.manual_figures.filter(principal=principal):
            existing[figure.indicator] = figure.value
            note = figure.note
    form = ManualFigureForm(request.POST or None, initial={**existing, "note": note})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_manual_figures(
                group=group_obj,
                year=year,
                principal=principal,
                values={code: form.cleaned_data[code] for code in CODES},
                note=form.cleaned_data["note"],
                actor=request.user,
                request=request,
            )
        except services.FollowupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The manual figures were saved."))
        return redirect("followup:indicator_detail", group=group_obj.pk, year=year)
    return render(
        request,
        "followup/indicator_manual.html",
        {
            "form": form,
            "group": group_obj,
            "year": year,
            "principal": principal,
            "principals": principals,
            "locked": bool(indicator_year and indicator_year.is_signed),
        },
    )


@role_required(*INDICATOR_ROLES)
def indicator_signoff(request, group: int, year: int):
    """Signing off locks the year, so it asks for confirmation first."""
    group_obj = get_group_for_user(request, group, write=True)
    year = _check_year(year)
    if group_obj.pk not in steering_group_ids(request.user, Role.STEERING_CHAIR):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.sign_off_year(group=group_obj, year=year, actor=request.user, request=request)
        except services.FollowupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The year is signed off and locked."))
        return redirect("followup:indicator_detail", group=group_obj.pk, year=year)
    return render(
        request,
        "followup/indicator_signoff.html",
        {"group": group_obj, "year": year, "figures": group_year(group_obj, year)},
    )
