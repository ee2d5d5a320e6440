"""SIP screens that list and change plans. Pages that show a plan's content are in
sip/read_views.py, forum cases in sip/forum_views.py, consents in sip/consent_views.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from agreements.models import LocalGroup, Principal, Unit
from bus_portal.access import RoleRequiredMixin
from bus_portal.concurrency import State, three_way
from bus_portal.errors import DomainError
from bus_portal.pagination import open_ended_page
from bus_portal.roles import SIP_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from sip import auditing, edit_state, services
from sip.access import (
    NewestVisiblePlans,
    get_plan_for_user,
    plans_of_child,
    protected_children_of_units,
)
from sip.child_services import ChildAlreadyRecorded
from sip.forms import (
    CHILD_FIELDS,
    AgreeForm,
    ChildFieldsMixin,
    CloseForm,
    FollowUpForm,
    MeasureFormSet,
    ParticipantFormSet,
    PlanForm,
    ReviseForm,
    check_responsible_users,
    plan_data,
    principals_for_group,
    staff_of_units,
    units_for_group,
)
from sip.models import Child, Plan


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


class RecordedChildMixin:
    """A page that starts a plan or a forum case for a child the portal may already have.

    When the service finds the child recorded (``ChildAlreadyRecorded``: the same identity
    number, or the protected child the user chose), nothing is saved yet: the form comes back
    with the recorded child's details and guardians in place of what was typed, the child's
    other plans the user may see (a warning for an active one), and the record confirmed for the
    next save. Showing the record is audited like any read of a child's data.
    """

    request: HttpRequest

    @cached_property
    def recorded_children(self) -> QuerySet[Child]:
        return protected_children_of_units(self.request.user)

    def form_with(self, data: QueryDict) -> forms.BaseForm:
        """The page's form (and any formsets) bound to ``data`` and validated."""
        raise NotImplementedError

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, ChildAlreadyRecorded):
            return super().refused(form, error)  # type: ignore[misc]
        child = error.child
        data = self.request.POST.copy()
        for name in CHILD_FIELDS:
            data.pop(name, None)
        for name, value in ChildFieldsMixin.initial_from_child(child).items():
            if name != "protected_identity":
                data[name] = str(value)
            elif value:
                data[name] = "on"
        data["confirmed_child"] = str(child.pk)
        if child.protected_identity and not child.personal_number:
            data["protected_child"] = str(child.pk)
        auditing.record_child_shown(self.request, child)
        context = self.get_context_data(  # type: ignore[attr-defined]
            form=self.form_with(data),
            recorded_child=child,
            child_plans=plans_of_child(self.request.user, child),
        )
        return self.render_to_response(context)  # type: ignore[attr-defined]


class PlanFormView(ServiceFormMixin, FormView):
    """The plan form with its participant and measure formsets, including rows added without JS.

    ``get_form`` builds all three; the page is valid when all three are. A POST with ``add_row``
    (the "add" button without JavaScript) shows everything again, unbound, with one more row.
    An edit form is filled from the plan's state (``sip.edit_state``) and carries it, signed, as
    its base, for the conflict page.
    """

    required_roles = (Role.CASE_OFFICER,)
    template_name = "sip/plan_form.html"
    plan: Plan | None = None
    local_group: LocalGroup | None = None
    owner_units: list[Unit] | None = None
    recorded_children: QuerySet[Child] | None = None

    def get_form(self, form_class: Any = None) -> PlanForm:
        return self.build(self.request.POST if self.request.method == "POST" else None)

    @cached_property
    def choices(self) -> tuple[list[Unit], list[Principal]]:
        """The group's units and principals, loaded once for the form and every row."""
        group = self.plan.local_group if self.plan else self.local_group
        return list(units_for_group(group)), list(principals_for_group(group))

    @cached_property
    def owner_unit_ids(self) -> set[int]:
        if self.plan is not None:
            return {self.plan.owner_unit_id}
        return {unit.pk for unit in self.owner_units or []}

    @cached_property
    def staff(self) -> list:
        """Whom a measure may name as responsible in the portal: the staff (a SIP role) of the
        drafting unit, of the units taking part and of the measures' units (one query)."""
        unit_ids = set(self.owner_unit_ids)
        if self.plan is not None:
            unit_ids |= {p.unit_id for p in self.plan.participants.all() if p.unit_id}
            unit_ids |= {m.unit_id for m in self.plan.measures.all() if m.unit_id}
        return staff_of_units(unit_ids)

    def _parts(self, form_data: Any = None, **form_kwargs: Any) -> PlanForm:
        """The plan form; the formsets (built by the caller) go to ``self.participants`` and
        ``self.measures``."""
        units, principals = self.choices
        return PlanForm(
            form_data,
            instance=self.plan,
            owner_units=self.owner_units,
            local_group=self.plan.local_group if self.plan else self.local_group,
            principals=principals,
            recorded_children=self.recorded_children,
            **form_kwargs,
        )

    def _formsets(
        self, data: Any = None, rows: dict[str, list[dict]] | None = None, extra: int = 0
    ) -> None:
        units, principals = self.choices
        row_kwargs = {
            "participants": {"units": units},
            "measures": {"units": units, "principals": principals, "staff": self.staff},
        }
        # Rows a version refers to are not offered for removal.
        signed, evaluated = self.plan.recorded_row_ids() if self.plan else (set(), set())
        recorded = {"participants": signed, "measures": evaluated}
        built = {}
        for prefix, cls in (("participants", ParticipantFormSet), ("measures", MeasureFormSet)):
            formset = cls(
                data,
                initial=None if rows is None else rows[prefix],
                prefix=prefix,
                form_kwargs=row_kwargs[prefix],
                recorded_ids=recorded[prefix],
            )
            formset.extra = extra
            built[prefix] = formset
        self.participants, self.measures = built["participants"], built["measures"]

    def build(self, data: Any) -> PlanForm:
        self.row_added = data is not None and "add_row" in data
        if self.row_added:
            target = data.get("add_row")
            rows = {}
            for prefix, cls in (("participants", ParticipantFormSet), ("measures", MeasureFormSet)):
                total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
                rows[prefix] = [
                    _raw_initial(data, cls.form, f"{prefix}-{i}")
                    for i in range(total)
                    if not data.get(f"{prefix}-{i}-DELETE")
                ] + ([{}] if prefix == target else [])
            self._formsets(rows=rows)
            return self._parts(initial=_raw_initial(data, PlanForm))
        if data is not None:
            self._formsets(data)
            return self._parts(data)
        if self.plan is None:
            # A new plan starts with one empty participant and one empty measure.
            self._formsets(rows={"participants": [], "measures": []}, extra=1)
            return self._parts()
        state = edit_state.saved_state(self.plan)
        return self.from_state(state, saved=state, lock_version=self.plan.lock_version)

    def from_state(self, state: State, *, saved: State, lock_version: int) -> PlanForm:
        """An unbound edit form showing ``state``, for a save against ``saved`` at
        ``lock_version``."""
        assert self.plan is not None
        initial, participants, measures = edit_state.form_initial(state, saved)
        initial.update(lock_version=lock_version, base=edit_state.sign(self.plan, saved))
        self._formsets(rows={"participants": participants, "measures": measures})
        return self._parts(initial=initial)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if self.row_added:
            return self.render_to_response(self.get_context_data(form=form))
        # Every part validated, so every error shows at once.
        valid = [form.is_valid(), self.participants.is_valid(), self.measures.is_valid()]
        if all(valid):
            valid.append(
                check_responsible_users(self.measures, self.participants, self.owner_unit_ids)
            )
        return self.form_valid(form) if all(valid) else self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(participants=self.participants, measures=self.measures, plan=self.plan)
        return context


class PlanCreateView(RecordedChildMixin, PlanFormView):
    once_per_submission = True

    def form_with(self, data: QueryDict) -> forms.BaseForm:
        form = self.build(data)
        for part in (form, self.participants, self.measures):
            part.is_valid()
        return form

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
        # Someone saved since this form was opened. Nothing of theirs is replaced: the page shows
        # what they changed, and the form again with their version and this user's changes on
        # top, for this user to check and save.
        plan = Plan.objects.get(pk=self.plan.pk)
        theirs = edit_state.saved_state(plan)
        merge = three_way(
            edit_state.unsign(plan, form.cleaned_data.get("base", "")),
            theirs,
            edit_state.posted_state(form, self.participants, self.measures),
        )
        units, principals = self.choices
        describe = edit_state.Describer(
            form,
            units={str(u.pk): f"{u.name} – {u.principal.name}" for u in units},
            principals={str(p.pk): p.name for p in principals},
            users={str(u.pk): str(u) for u in self.staff},
        )
        merged_form = self.from_state(merge.state, saved=theirs, lock_version=plan.lock_version)
        context = self.get_context_data(
            form=merged_form,
            stale=error,
            their_changes=describe.rows(merge.theirs),
            your_changes=describe.rows(merge.yours),
            conflicts=len(merge.conflicts),
        )
        response = self.render_to_response(context)
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
    once_per_submission = True
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
            meeting_on=form.cleaned_data["meeting_on"],
            request=self.request,
        )
        messages.success(
            self.request,
            _(
                "The plan is agreed. Your unit's participation is confirmed under your login; "
                "the other participants confirm theirs."
            ),
        )


class PlanFollowUpView(PlanWriteMixin, ServiceFormMixin, FormView):
    once_per_submission = True
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
