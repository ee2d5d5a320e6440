"""SIP screens. Forum case screens are in sip/forum_views.py."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from bus_portal.access import RoleRequiredMixin
from bus_portal.audit import events_for
from bus_portal.documents import document_response
from bus_portal.models import AuditAction
from bus_portal.pagination import open_ended_page
from bus_portal.roles import Role
from sip import documents, fhir, services
from sip.access import NewestVisiblePlans, consent_gate, get_plan_for_user, plan_versions
from sip.forms import (
    AgreeForm,
    CloseForm,
    FollowUpForm,
    MeasureFormSet,
    ParticipantFormSet,
    PlanForm,
    plan_data,
    principals_for_group,
    units_for_group,
)
from sip.models import Plan

SIP_ROLES = (Role.CASE_OFFICER, Role.UNIT_CHIEF)


class PlanListView(RoleRequiredMixin, View):
    """The plans the user's units draft or take part in; names only where consent covers them."""

    required_roles = SIP_ROLES
    paginate_by = 50

    def get(self, request):
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


def _raw_initial(data, form_class, prefix: str | None = None) -> dict:
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


class PlanFormMixin:
    """The plan form with its participant and measure formsets, including rows added without JS."""

    template_name = "sip/plan_form.html"

    def build(self, data=None, *, plan: Plan | None, owner_units=None, local_group=None):
        group = plan.local_group if plan else local_group
        # Loaded once and shared by the form and every participant and measure row.
        units, principals = list(units_for_group(group)), list(principals_for_group(group))
        kwargs = {"owner_units": owner_units, "local_group": group, "principals": principals}
        row_kwargs = {
            "participants": {"units": units},
            "measures": {"units": units, "principals": principals},
        }
        if data is not None and "add_row" in data:
            # Without JavaScript: re-render everything unbound with one more empty row.
            target = data.get("add_row")
            initial = _raw_initial(data, PlanForm)
            form = PlanForm(instance=plan, initial=initial, **kwargs)
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
                formsets[prefix] = cls(initial=rows, prefix=prefix, form_kwargs=row_kwargs[prefix])
                formsets[prefix].extra = 0
            return form, formsets["participants"], formsets["measures"], True
        if data is None:
            initial = {}
            if plan:
                initial = PlanForm.initial_from_child(plan.child)
                initial["lock_version"] = plan.lock_version
            form = PlanForm(instance=plan, initial=initial, **kwargs)
            participants = ParticipantFormSet(
                initial=[
                    {"id": p.pk, "kind": p.kind, "unit": p.unit_id, "name": p.name, "role": p.role}
                    for p in (plan.participants.all() if plan else [])
                ],
                prefix="participants",
                form_kwargs=row_kwargs["participants"],
            )
            measures = MeasureFormSet(
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
            )
            if not plan:
                participants.extra = 1
                measures.extra = 1
            return form, participants, measures, False
        form = PlanForm(data, instance=plan, **kwargs)
        participants = ParticipantFormSet(
            data, prefix="participants", form_kwargs=row_kwargs["participants"]
        )
        measures = MeasureFormSet(data, prefix="measures", form_kwargs=row_kwargs["measures"])
        return form, participants, measures, False

    def render_form(self, request, form, participants, measures, *, plan=None, status=200, **extra):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "participants": participants,
                "measures": measures,
                "plan": plan,
                **extra,
            },
            status=status,
        )


def _owner_units(user):
    return [m.unit for m in user.active_memberships if m.role == Role.CASE_OFFICER]


class PlanCreateView(RoleRequiredMixin, PlanFormMixin, View):
    required_roles = (Role.CASE_OFFICER,)

    def _context(self, request):
        owner_units = _owner_units(request.user)
        group = None
        if len(owner_units) == 1:
            group = services.local_group_for_unit(owner_units[0])
        return owner_units, group

    def get(self, request):
        owner_units, group = self._context(request)
        form, participants, measures, _added = self.build(
            None, plan=None, owner_units=owner_units, local_group=group
        )
        return self.render_form(request, form, participants, measures)

    def post(self, request):
        owner_units, group = self._context(request)
        form, participants, measures, added = self.build(
            request.POST, plan=None, owner_units=owner_units, local_group=group
        )
        if added:
            return self.render_form(request, form, participants, measures)
        if form.is_valid() & participants.is_valid() & measures.is_valid():
            local_group = group or form.cleaned_data["local_group"]
            try:
                plan = services.create_plan(
                    user=request.user,
                    owner_unit=form.cleaned_data.get("owner_unit") or form.single_owner_unit,
                    local_group=local_group,
                    child=form.child_data(),
                    data=plan_data(form, participants, measures),
                    request=request,
                )
            except services.SipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The draft plan was saved."))
                return redirect(plan)
        return self.render_form(request, form, participants, measures, status=200)


class PlanEditView(RoleRequiredMixin, PlanFormMixin, View):
    required_roles = (Role.CASE_OFFICER,)

    def get(self, request, pk):
        plan = get_plan_for_user(request, pk, write=True)
        form, participants, measures, _added = self.build(None, plan=plan)
        return self.render_form(request, form, participants, measures, plan=plan)

    def post(self, request, pk):
        plan = get_plan_for_user(request, pk, write=True)
        form, participants, measures, added = self.build(request.POST, plan=plan)
        if added:
            return self.render_form(request, form, participants, measures, plan=plan)
        if form.is_valid() & participants.is_valid() & measures.is_valid():
            try:
                services.update_plan(
                    plan=plan,
                    user=request.user,
                    expected_version=form.cleaned_data["lock_version"] or 0,
                    child=form.child_data(),
                    data=plan_data(form, participants, measures),
                    request=request,
                )
            except services.StaleEdit as stale:
                # Keep the user's input; the next save overwrites knowingly.
                data = request.POST.copy()
                data["lock_version"] = str(stale.current_version)
                form, participants, measures, _a = self.build(data, plan=plan)
                form.is_valid(), participants.is_valid(), measures.is_valid()
                return self.render_form(
                    request, form, participants, measures, plan=plan, stale=stale, status=409
                )
            except services.SipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The plan was saved."))
                return redirect("sip:plan_detail", pk=plan.pk)
        return self.render_form(request, form, participants, measures, plan=plan)


class PlanDetailView(RoleRequiredMixin, View):
    required_roles = SIP_ROLES

    def get(self, request, pk):
        plan = get_plan_for_user(request, pk)
        refused = consent_gate(request, plan)
        if refused:
            return refused
        services.record_read(
            user=request.user, obj=plan, child=plan.child, purpose=_("SIP read"), request=request
        )
        is_chief = bool(
            request.user.unit_ids_with_role(Role.UNIT_CHIEF) & plan.participating_unit_ids()
        )
        versions = plan_versions(plan)
        return render(
            request,
            "sip/plan_detail.html",
            {
                "plan": plan,
                "child": plan.child,
                "versions": versions,
                "missing": plan.missing_for_agreement() if plan.status == Plan.Status.DRAFT else [],
                "can_write": plan.user_can_write(request.user),
                "consents": plan.consents.all(),
                "today": timezone.localdate(),
                "events": list(events_for(plan)[:50]) if is_chief else None,
            },
        )


class PlanActionView(RoleRequiredMixin, View):
    """GET shows the form (the confirmation step), POST acts through a service."""

    required_roles = (Role.CASE_OFFICER,)
    template_name = ""
    form_class = None

    def form_kwargs(self, plan):
        return {"plan": plan}

    def get(self, request, pk):
        plan = get_plan_for_user(request, pk, write=True)
        return self.show(request, plan, self.form_class(**self.form_kwargs(plan)))

    def show(self, request, plan, form, status=200):
        return render(
            request,
            self.template_name,
            {"plan": plan, "form": form, **self.extra_context(plan)},
            status=status,
        )

    def extra_context(self, plan) -> dict:
        return {}

    def post(self, request, pk):
        plan = get_plan_for_user(request, pk, write=True)
        form = self.form_class(request.POST, **self.form_kwargs(plan))
        if form.is_valid():
            try:
                self.act(request, plan, form)
            except services.SipError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("sip:plan_detail", pk=plan.pk)
        return self.show(request, plan, form)


class PlanAgreeView(PlanActionView):
    template_name = "sip/plan_agree.html"
    form_class = AgreeForm

    def extra_context(self, plan):
        return {"missing": plan.can_be_agreed()}

    def act(self, request, plan, form):
        services.agree_plan(
            plan=plan,
            user=request.user,
            signed_participant_ids=[int(pk) for pk in form.cleaned_data["signed"]],
            meeting_on=form.cleaned_data["meeting_on"],
            request=request,
        )
        messages.success(request, _("The plan is agreed."))


class PlanFollowUpView(PlanActionView):
    template_name = "sip/plan_followup.html"
    form_class = FollowUpForm

    def act(self, request, plan, form):
        version = services.record_follow_up(
            plan=plan,
            user=request.user,
            meeting_on=form.cleaned_data["meeting_on"],
            evaluations=form.evaluations(),
            summary=form.cleaned_data["summary"],
            next_follow_up_on=form.cleaned_data["next_follow_up_on"],
            request=request,
        )
        messages.success(
            request, _("The follow-up was saved as version %(n)s.") % {"n": version.number}
        )


class PlanCloseView(PlanActionView):
    template_name = "sip/plan_close.html"
    form_class = CloseForm

    def form_kwargs(self, plan):
        return {}

    def act(self, request, plan, form):
        services.close_plan(
            plan=plan, user=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, _("The plan is closed."))


class PlanVersionView(RoleRequiredMixin, View):
    """One frozen version, with what differs from the version before it."""

    required_roles = SIP_ROLES

    def get(self, request, pk, number):
        plan = get_plan_for_user(request, pk)
        refused = consent_gate(request, plan)
        if refused:
            return refused
        versions = {v.number: v for v in plan_versions(plan, content=True)}
        version = versions.get(number)
        if version is None:
            from django.http import Http404

            raise Http404
        previous = versions.get(number - 1)
        diff = []
        if previous:
            keys = list(dict.fromkeys([*previous.content, *version.content]))
            diff = [
                (key, previous.content.get(key, ""), version.content.get(key, ""))
                for key in keys
                if previous.content.get(key, "") != version.content.get(key, "")
            ]
        services.record_read(
            user=request.user,
            obj=plan,
            child=plan.child,
            purpose=_("SIP version %(n)s read") % {"n": number},
            request=request,
        )
        return render(
            request,
            "sip/plan_version.html",
            {
                "plan": plan,
                "version": version,
                "previous": previous,
                "diff": diff,
                "signoffs": version.signoffs.all(),
                "evaluations": version.evaluations.all(),
            },
        )


class _PlanOutputView(RoleRequiredMixin, View):
    required_roles = SIP_ROLES

    def get(self, request, pk):
        plan = get_plan_for_user(request, pk)
        refused = consent_gate(request, plan)
        if refused:
            return refused
        return self.output(request, plan)


class PlanPdfView(_PlanOutputView):
    def output(self, request, plan):
        doc = documents.plan_pdf(plan)
        services.record_read(
            user=request.user,
            obj=plan,
            child=plan.child,
            action=AuditAction.PRINT,
            purpose=_("SIP printed as PDF"),
            request=request,
        )
        return document_response(doc)


class MyPlanPdfView(_PlanOutputView):
    def output(self, request, plan):
        doc = documents.my_plan_pdf(plan)
        services.record_read(
            user=request.user,
            obj=plan,
            child=plan.child,
            action=AuditAction.PRINT,
            purpose=_("“My plan” printed"),
            request=request,
        )
        return document_response(doc)


class MyPlanView(_PlanOutputView):
    def output(self, request, plan):
        services.record_read(
            user=request.user,
            obj=plan,
            child=plan.child,
            purpose=_("“My plan” read"),
            request=request,
        )
        return render(request, "sip/my_plan.html", documents.my_plan_context(plan))


class PlanFhirView(_PlanOutputView):
    def output(self, request, plan):
        bundle = fhir.plan_bundle(plan)
        services.record_read(
            user=request.user,
            obj=plan,
            child=plan.child,
            action=AuditAction.EXPORT,
            purpose=_("SIP exported as FHIR"),
            request=request,
        )
        response = HttpResponse(
            json.dumps(bundle, ensure_ascii=False, indent=2),
            content_type="application/fhir+json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="sip-{plan.pk}-fhir.json"'
        response["Cache-Control"] = "no-store, private"
        return response
