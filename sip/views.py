"""SIP screens that list and change plans. Pages that show a plan's content are in
sip/read_views.py, forum cases in sip/forum_views.py, consents in sip/consent_views.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from agreements.models import LocalGroup, Unit
from bus_portal.access import RoleRequiredMixin
from bus_portal.errors import DomainError
from bus_portal.pagination import open_ended_page
from bus_portal.roles import SIP_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from sip import services
from sip.access import NewestVisiblePlans, get_plan_for_user
from sip.forms import (
    AgreeForm,
    CloseForm,
    FollowUpForm,
    MeasureFormSet,
    ParticipantFormSet,
    PlanForm,
    ReviseForm,
    plan_data,
    principals_for_group,
    units_for_group,
)
from sip.models import Plan


class PlanListView(RoleRequiredMixin, View):
    """The plans the user's units draft or take part in; names only where consent covers them."""

    required_roles = SIP_ROLES
    paginate_by = 50

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        status = request.GET.get("status", "")
        plans = NewestVisiblePlans(user, status if status in Plan.Status.values else None)
        # Not counted: "Page n" with a next link, from 51 rows read in the page's one query.
        page = open_ended_page(request, plans, self.paginate_by)
        covered = [(plan, plans.is_covered(plan)) for plan in page.object_list]
        # Names on the list are personal data too: one audit row per child shown, in one insert.
        services.record_list_read(
            user=user, plans=[plan for plan, ok in covered if ok], request=request
        )
        # Reversed and translated once, not once a row.
        marker = 987654321
        url = reverse("sip:plan_detail", kwargs={"pk": marker})
        labels = {value: str(label) for value, label in Plan.Status.choices}
        rows = [
            (plan, ok, url.replace(str(marker), str(plan.pk)), labels.get(plan.status, plan.status))
            for plan, ok in covered
        ]
        return render(
            request,
            "sip/plan_list.html",
            {
                "rows": rows,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "query_string": urlencode({"status": status}) if status else "",
                "statuses": Plan.Status.choices,
                "status": status,
                "can_create": user.has_role(Role.CASE_OFFICER),
            },
        )


def _raw_initial(data: Any, form_class: type[forms.BaseForm], prefix: str | None = None) -> dict:
    """Turn posted values back into initial values so a re-rendered form shows no errors yet."""
    initial = {}
    for name, field in form_class.base_fields.items():
        key = f"{prefix}-{name}" if prefix else name
        if hasattr(data, "getlist") and field.widget.__class__.__name__.startswith(
            "CheckboxSelect"
        ):
            initial[name] = data.getlist(key)
        elif key in data:
            initial[name] = data.get(key)
    return initial


class PlanFormView(ServiceFormMixin, FormView):
    """The plan form with its participant and measure formsets, including rows added without JS.

    ``get_form`` builds all three; the page is valid when all three are. A POST with ``add_row``
    (the "add" button without JavaScript) shows everything again, unbound, with one more row.
    """

    required_roles = (Role.CASE_OFFICER,)
    template_name = "sip/plan_form.html"
    plan: Plan | None = None
    local_group: LocalGroup | None = None
    owner_units: list[Unit] | None = None

    def get_form(self, form_class: Any = None) -> PlanForm:
        return self.build(self.request.POST if self.request.method == "POST" else None)

    def build(self, data: Any) -> PlanForm:
        """The plan form; its formsets go to ``self.participants`` and ``self.measures``."""
        plan = self.plan
        group = plan.local_group if plan else self.local_group
        # Loaded once and shared by the form and every participant and measure row.
        units, principals = list(units_for_group(group)), list(principals_for_group(group))
        kwargs = {"owner_units": self.owner_units, "local_group": group, "principals": principals}
        row_kwargs = {
            "participants": {"units": units},
            "measures": {"units": units, "principals": principals},
        }
        # Rows a version refers to are not offered for removal.
        signed, evaluated = plan.recorded_row_ids() if plan else (set(), set())
        recorded = {"participants": signed, "measures": evaluated}
        self.row_added = data is not None and "add_row" in data
        if self.row_added:
            target = data.get("add_row")
            form = PlanForm(instance=plan, initial=_raw_initial(data, PlanForm), **kwargs)
            formsets = {}
            for prefix, cls in (("participants", ParticipantFormSet), ("measures", MeasureFormSet)):
                total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
                rows = [
                    _raw_initial(data, cls.form, f"{prefix}-{i}")
                    for i in range(total)
                    if not data.get(f"{prefix}-{i}-DELETE")
                ]
                if prefix == target:
                    rows.append({})
                formsets[prefix] = cls(
                    initial=rows,
                    prefix=prefix,
                    form_kwargs=row_kwargs[prefix],
                    recorded_ids=recorded[prefix],
                )
                formsets[prefix].extra = 0
            self.participants, self.measures = formsets["participants"], formsets["measures"]
            return form
        if data is not None:
            self.participants = ParticipantFormSet(
                data,
                prefix="participants",
                form_kwargs=row_kwargs["participants"],
                recorded_ids=signed,
            )
            self.measures = MeasureFormSet(
                data,
                prefix="measures",
                form_kwargs=row_kwargs["measures"],
                recorded_ids=evaluated,
            )
            return PlanForm(data, instance=plan, **kwargs)
        initial = {}
        if plan:
            initial = PlanForm.initial_from_child(plan.child)
            initial["lock_version"] = plan.lock_version
        self.participants = ParticipantFormSet(
            initial=[
                {"id": p.pk, "kind": p.kind, "unit": p.unit_id, "name": p.name, "role": p.role}
                for p in (plan.participants.all() if plan else [])
            ],
            prefix="participants",
            form_kwargs=row_kwargs["participants"],
            recorded_ids=signed,
        )
        self.measures = MeasureFormSet(
            initial=[
                {
                    "id": m.pk,
                    "description": m.description,
                    "principal": m.principal_id,
                    "unit": m.unit_id,
                    "other_actor": m.other_actor,
                    "responsible": m.responsible,
                    "starts_on": m.starts_on,
                    "ends_on": m.ends_on,
                }
                for m in (plan.measures.all() if plan else [])
            ],
            prefix="measures",
            form_kwargs=row_kwargs["measures"],
            recorded_ids=evaluated,
        )
        if not plan:
            self.participants.extra = 1
            self.measures.extra = 1
        return PlanForm(instance=plan, initial=initial, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if self.row_added:
            return self.render_to_response(self.get_context_data(form=form))
        # Every part validated, so every error shows at once.
        valid = [form.is_valid(), self.participants.is_valid(), self.measures.is_valid()]
        return self.form_valid(form) if all(valid) else self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(participants=self.participants, measures=self.measures, plan=self.plan)
        return context


class PlanCreateView(PlanFormView):
    @cached_property
    def owner_units(self) -> list[Unit]:  # type: ignore[override]
        user = self.request.user
        return [m.unit for m in user.active_memberships if m.role == Role.CASE_OFFICER]

    @cached_property
    def local_group(self) -> LocalGroup | None:  # type: ignore[override]
        # Derived from the drafting unit's area; asked on the form when it cannot be.
        units = self.owner_units
        return services.local_group_for_unit(units[0]) if len(units) == 1 else None

    def perform(self, form: PlanForm) -> HttpResponse:
        plan = services.create_plan(
            user=self.request.user,
            owner_unit=form.cleaned_data.get("owner_unit") or form.single_owner_unit,
            local_group=self.local_group or form.cleaned_data["local_group"],
            child=form.child_data(),
            data=plan_data(form, self.participants, self.measures),
            request=self.request,
        )
        messages.success(self.request, _("The draft plan was saved."))
        return redirect(plan)


class PlanEditView(PlanFormView):
    """A draft or a revision in progress; an agreed plan is sent to its page to start a revision.

    Optimistic locking: a save over someone else's is refused with 409 and what changed.
    """

    @cached_property
    def plan(self) -> Plan:  # type: ignore[override]
        return get_plan_for_user(self.request, self.kwargs["pk"], write=True)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refuse_agreed() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refuse_agreed() or super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.plan.in_revision:
            in_force = self.plan.version_in_force()
            kwargs["revision_number"] = (in_force.number if in_force else 0) + 1
        return super().get_context_data(**kwargs)

    def refuse_agreed(self) -> HttpResponse | None:
        """An agreed plan is not edited: back to its page, which offers "Revise the plan"."""
        if self.plan.can_edit():
            return None
        messages.warning(
            self.request,
            _("The plan is agreed and cannot be edited. To change it, start a revision."),
        )
        return redirect("sip:plan_detail", pk=self.plan.pk)

    def perform(self, form: PlanForm) -> HttpResponse:
        plan = services.update_plan(
            plan=self.plan,
            user=self.request.user,
            expected_version=form.cleaned_data["lock_version"] or 0,
            child=form.child_data(),
            data=plan_data(form, self.participants, self.measures),
            request=self.request,
        )
        if plan.in_revision:
            messages.success(
                self.request,
                _(
                    "The revision was saved as a draft. The agreed version stays in force "
                    "until the revision is agreed."
                ),
            )
        else:
            messages.success(self.request, _("The plan was saved."))
        return redirect("sip:plan_detail", pk=self.plan.pk)

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, services.StaleEdit):
            return super().refused(form, error)
        # The user's input stays, now carrying the current version: the next save overwrites
        # the other one knowingly.
        data = self.request.POST.copy()
        data["lock_version"] = str(error.current_version)
        form = self.build(data)
        for part in (form, self.participants, self.measures):
            part.is_valid()
        response = self.render_to_response(self.get_context_data(form=form, stale=error))
        response.status_code = 409
        return response


class PlanWriteMixin:
    """A form page acting on one plan the user may change; back to the plan afterwards."""

    required_roles = (Role.CASE_OFFICER,)
    kwargs: dict[str, Any]
    request: HttpRequest

    @cached_property
    def plan(self) -> Plan:
        return get_plan_for_user(self.request, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)  # type: ignore[misc]

    def get_success_url(self) -> str:
        return reverse("sip:plan_detail", kwargs={"pk": self.plan.pk})


class PlanAgreeView(PlanWriteMixin, ServiceFormMixin, FormView):
    template_name = "sip/plan_agree.html"
    form_class = AgreeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        latest = self.plan.version_in_force()
        return super().get_context_data(
            missing=self.plan.missing_for_agreement(),
            next_number=(latest.number if latest else 0) + 1,
            **kwargs,
        )

    def perform(self, form: AgreeForm) -> None:
        services.agree_plan(
            plan=self.plan,
            user=self.request.user,
            signed_participant_ids=[int(pk) for pk in form.cleaned_data["signed"]],
            meeting_on=form.cleaned_data["meeting_on"],
            request=self.request,
        )
        messages.success(self.request, _("The plan is agreed."))


class PlanFollowUpView(PlanWriteMixin, ServiceFormMixin, FormView):
    template_name = "sip/plan_followup.html"
    form_class = FollowUpForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "plan": self.plan}

    def perform(self, form: FollowUpForm) -> None:
        version = services.record_follow_up(
            plan=self.plan,
            user=self.request.user,
            meeting_on=form.cleaned_data["meeting_on"],
            evaluations=form.evaluations(),
            summary=form.cleaned_data["summary"],
            next_follow_up_on=form.cleaned_data["next_follow_up_on"],
            request=self.request,
        )
        messages.success(
            self.request, _("The follow-up was saved as version %(n)s.") % {"n": version.number}
        )


class PlanReviseView(PlanWriteMixin, ServiceFormMixin, FormView):
    """Confirm, then open the agreed plan for change as the draft of its next version."""

    template_name = "sip/plan_revise.html"
    form_class = ReviseForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        in_force = self.plan.version_in_force()
        return super().get_context_data(
            in_force=in_force,
            next_number=(in_force.number if in_force else 0) + 1,
            can_revise=self.plan.can_revise(),
            **kwargs,
        )

    def perform(self, form: ReviseForm) -> HttpResponse:
        services.start_revision(plan=self.plan, user=self.request.user, request=self.request)
        messages.success(
            self.request,
            _(
                "The revision is started. Change the plan and agree it again; until then the "
                "agreed version stays in force."
            ),
        )
        return redirect("sip:plan_edit", pk=self.plan.pk)


class PlanCloseView(PlanWriteMixin, ServiceFormMixin, FormView):
    template_name = "sip/plan_close.html"
    form_class = CloseForm

    def perform(self, form: CloseForm) -> None:
        services.close_plan(
            plan=self.plan,
            user=self.request.user,
            reason=form.cleaned_data["reason"],
            request=self.request,
        )
        messages.success(self.request, _("The plan is closed."))
