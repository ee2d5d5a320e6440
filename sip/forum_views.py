"""BUS individforum: raise a case, record consent, keep the protocol, print it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from bus_portal.access import RoleRequiredMixin
from bus_portal.audit import events_for
from bus_portal.documents import document_response
from bus_portal.models import AuditAction
from bus_portal.roles import Role
from sip import documents, forum_services, services
from sip.access import consent_gate, get_forum_case_for_user
from sip.consent_views import record_consent_from_form
from sip.forms import CloseForm, ConsentForm, ForumCaseForm, ProtocolForm, principals_for_group
from sip.models import ForumCase
from sip.paging import SingleQueryPaginator

FORUM_ROLES = (Role.CASE_OFFICER, Role.UNIT_CHIEF)


class ForumCaseListView(RoleRequiredMixin, ListView):
    required_roles = FORUM_ROLES
    template_name = "sip/forum_list.html"
    paginate_by = 50
    paginator_class = SingleQueryPaginator

    def get_queryset(self):
        return (
            ForumCase.objects.visible_to(self.request.user)
            .select_related("raising_unit", "local_group__sip_rules")
            .order_by("-need_noticed_on", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        today = timezone.localdate()
        for case in context["object_list"]:
            deadline = case.deadline()
            days_left = (deadline - today).days
            rows.append(
                {"case": case, "deadline": deadline, "days_left": days_left, "overdue": -days_left}
            )
        context["rows"] = rows
        context["can_create"] = self.request.user.has_role(Role.UNIT_CHIEF)
        return context


def _chief_units(user):
    return [m.unit for m in user.active_memberships if m.role == Role.UNIT_CHIEF]


class ForumCaseCreateView(RoleRequiredMixin, View):
    required_roles = (Role.UNIT_CHIEF,)

    def _form(self, request, data=None):
        units = _chief_units(request.user)
        group = services.local_group_for_unit(units[0]) if units else None
        return ForumCaseForm(data, chief_units=units, local_group=group), group

    def get(self, request):
        form, _group = self._form(request)
        return render(request, "sip/forum_form.html", {"form": form})

    def post(self, request):
        form, group = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            unit = data.get("raising_unit") or form.single_unit
            group = services.local_group_for_unit(unit) or group or data.get("local_group")
            if group is None:
                form.add_error(None, _("Your unit belongs to no single local BUS group."))
            else:
                try:
                    case = forum_services.raise_forum_case(
                        user=request.user,
                        raising_unit=unit,
                        local_group=group,
                        child=form.child_data(),
                        need_noticed_on=data["need_noticed_on"],
                        question=data["question"],
                        invited_units=list(data["invited_units"]),
                        invited_officers=data["invited_officers"],
                        request=request,
                    )
                except services.SipError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("The case was raised for BUS individforum."))
                    return redirect(case)
        return render(request, "sip/forum_form.html", {"form": form})


class ForumCaseDetailView(RoleRequiredMixin, View):
    required_roles = FORUM_ROLES

    def get(self, request, pk):
        case = get_forum_case_for_user(request, pk)
        refused = consent_gate(request, case)
        if refused:
            return refused
        services.record_read(
            user=request.user,
            obj=case,
            child=case.child,
            purpose=_("Individforum case read"),
            request=request,
        )
        is_chief = bool(
            request.user.unit_ids_with_role(Role.UNIT_CHIEF) & case.participating_unit_ids()
        )
        deadline = case.deadline()
        return render(
            request,
            "sip/forum_detail.html",
            {
                "case": case,
                "deadline": deadline,
                "days_left": (deadline - timezone.localdate()).days,
                "overdue": (timezone.localdate() - deadline).days,
                "can_write": case.user_can_write(request.user),
                "missing": case.missing_for_protocol(),
                "events": list(events_for(case)[:50]) if is_chief else None,
            },
        )


class ForumConsentCreateView(RoleRequiredMixin, View):
    required_roles = FORUM_ROLES

    def _form(self, case, data=None, files=None):
        unit_principals = {u.principal_id for u in case.invited_units.all()}
        unit_principals.add(case.raising_unit.principal_id)
        principals = principals_for_group(case.local_group).filter(pk__in=unit_principals)
        return ConsentForm(data, files, principals=principals, child=case.child)

    def get(self, request, pk):
        case = get_forum_case_for_user(request, pk, write=True)
        return render(request, "sip/consent_form.html", {"case": case, "form": self._form(case)})

    def post(self, request, pk):
        case = get_forum_case_for_user(request, pk, write=True)
        form = self._form(case, request.POST, request.FILES)
        if record_consent_from_form(request, purpose=case, form=form):
            return redirect(case)
        return render(request, "sip/consent_form.html", {"case": case, "form": form})


class ForumProtocolView(RoleRequiredMixin, View):
    # Broad role here so another organisation gets 404 from the scoped lookup, not 403.
    required_roles = FORUM_ROLES

    def get(self, request, pk):
        case = get_forum_case_for_user(request, pk, write=True)
        form = ProtocolForm(instance=case)
        return render(
            request,
            "sip/forum_protocol.html",
            {"case": case, "form": form, "missing": case.missing_for_protocol()},
        )

    def post(self, request, pk):
        case = get_forum_case_for_user(request, pk, write=True)
        form = ProtocolForm(request.POST, instance=ForumCase.objects.get(pk=case.pk))
        if form.is_valid():
            protocol = {name: form.cleaned_data[name] for name in ProtocolForm.Meta.fields}
            try:
                forum_services.record_protocol(
                    case=case, user=request.user, protocol=protocol, request=request
                )
            except services.SipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The protocol was recorded."))
                return redirect(case)
        return render(
            request,
            "sip/forum_protocol.html",
            {"case": case, "form": form, "missing": case.missing_for_protocol()},
        )


class ForumCloseView(RoleRequiredMixin, View):
    # Broad role here so another organisation gets 404 from the scoped lookup, not 403.
    required_roles = FORUM_ROLES

    def get(self, request, pk):
        case = get_forum_case_for_user(request, pk, write=True)
        return render(request, "sip/forum_close.html", {"case": case, "form": CloseForm()})

    def post(self, request, pk):
        case = get_forum_case_for_user(request, pk, write=True)
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                forum_services.close_forum_case(
                    case=case,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except services.SipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The case is closed."))
                return redirect(case)
        return render(request, "sip/forum_close.html", {"case": case, "form": form})


class ForumPdfView(RoleRequiredMixin, View):
    required_roles = FORUM_ROLES

    def get(self, request, pk):
        case = get_forum_case_for_user(request, pk)
        refused = consent_gate(request, case)
        if refused:
            return refused
        doc = documents.forum_protocol_pdf(case)
        services.record_read(
            user=request.user,
            obj=case,
            child=case.child,
            action=AuditAction.PRINT,
            purpose=_("Forum protocol printed"),
            request=request,
        )
        return document_response(doc)
