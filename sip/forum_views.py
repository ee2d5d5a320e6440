"""BUS individforum: raise a case, keep the protocol, print it. Consents are in consent_views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from agreements.models import LocalGroup, Unit
from bus_portal.access import RoleRequiredMixin
from bus_portal.audit import events_for
from bus_portal.documents import document_response
from bus_portal.models import AuditAction
from bus_portal.pagination import OpenEndedPaginator
from bus_portal.roles import SIP_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from sip import documents, forum_services, services
from sip.access import get_forum_case_for_user
from sip.audit import Purpose
from sip.forms import CloseForm, ForumCaseForm, ProtocolForm
from sip.models import ForumCase
from sip.read_views import ConsentGatedReadMixin
from sip.views import RecordedChildMixin


class ForumCaseListView(RoleRequiredMixin, ListView):
    required_roles = SIP_ROLES
    template_name = "sip/forum_list.html"
    paginate_by = 50
    paginator_class = OpenEndedPaginator

    def get_queryset(self) -> QuerySet[ForumCase]:
        return (
            ForumCase.objects.visible_to(self.request.user)
            .select_related("raising_unit", "local_group__sip_rules")
            .order_by("-need_noticed_on", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
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


class ForumCaseCreateView(RecordedChildMixin, ServiceFormMixin, FormView):
    once_per_submission = True
    required_roles = (Role.UNIT_CHIEF,)
    template_name = "sip/forum_form.html"
    form_class = ForumCaseForm

    @cached_property
    def chief_units(self) -> list[Unit]:
        return [m.unit for m in self.request.user.active_memberships if m.role == Role.UNIT_CHIEF]

    @cached_property
    def local_group(self) -> LocalGroup | None:
        units = self.chief_units
        return services.local_group_for_unit(units[0]) if units else None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "chief_units": self.chief_units,
            "local_group": self.local_group,
            "recorded_children": self.recorded_children,
        }

    def form_with(self, data: QueryDict) -> ForumCaseForm:
        form = ForumCaseForm(**{**self.get_form_kwargs(), "data": data})
        form.is_valid()
        return form

    def perform(self, form: ForumCaseForm) -> HttpResponse:
        data = form.cleaned_data
        unit = data.get("raising_unit") or form.single_unit
        group = services.local_group_for_unit(unit) or self.local_group or data.get("local_group")
        if group is None:
            raise services.SipError(_("Your unit belongs to no single local BUS group."))
        case = forum_services.raise_forum_case(
            user=self.request.user,
            raising_unit=unit,
            local_group=group,
            child=form.child_data(),
            need_noticed_on=data["need_noticed_on"],
            question=data["question"],
            invited_units=list(data["invited_units"]),
            invited_officers=data["invited_officers"],
            request=self.request,
        )
        messages.success(self.request, _("The case was raised for BUS individforum."))
        return redirect(case)


class ForumCaseReadMixin(ConsentGatedReadMixin):
    object: ForumCase

    def get_object(self) -> ForumCase:
        return get_forum_case_for_user(self.request, self.kwargs["pk"])  # type: ignore[attr-defined]


class ForumCaseDetailView(ForumCaseReadMixin, TemplateView):
    template_name = "sip/forum_detail.html"
    purpose = Purpose.FORUM_CASE_READ

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        case, user = self.object, self.request.user
        is_chief = bool(user.unit_ids_with_role(Role.UNIT_CHIEF) & case.participating_unit_ids())
        deadline = case.deadline()
        today = timezone.localdate()
        return super().get_context_data(
            case=case,
            deadline=deadline,
            days_left=(deadline - today).days,
            overdue=(today - deadline).days,
            can_write=case.user_can_write(user),
            missing=case.missing_for_protocol(),
            events=list(events_for(case)[:50]) if is_chief else None,
            **kwargs,
        )


class ForumPdfView(ForumCaseReadMixin, View):
    audit_action = AuditAction.PRINT
    purpose = Purpose.FORUM_PROTOCOL_PDF

    def render_output(self) -> HttpResponse:
        return document_response(documents.forum_protocol_pdf(self.object))


class ForumCaseWriteMixin:
    """A form page acting on one case the user may change; back to the case afterwards.

    The broad role group lets another organisation's staff get 404 from the scoped lookup rather
    than 403; the write check on the case itself asks for a unit chief.
    """

    required_roles = SIP_ROLES
    kwargs: dict[str, Any]
    request: HttpRequest

    @cached_property
    def case(self) -> ForumCase:
        return get_forum_case_for_user(self.request, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(case=self.case, **kwargs)  # type: ignore[misc]

    def get_success_url(self) -> str:
        return self.case.get_absolute_url()


class ForumProtocolView(ForumCaseWriteMixin, ServiceFormMixin, FormView):
    template_name = "sip/forum_protocol.html"
    form_class = ProtocolForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.case}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(missing=self.case.missing_for_protocol(), **kwargs)

    def perform(self, form: ProtocolForm) -> None:
        protocol = {name: form.cleaned_data[name] for name in ProtocolForm.Meta.fields}
        forum_services.record_protocol(
            case=self.case, user=self.request.user, protocol=protocol, request=self.request
        )
        messages.success(self.request, _("The protocol was recorded."))


class ForumCloseView(ForumCaseWriteMixin, ServiceFormMixin, FormView):
    template_name = "sip/forum_close.html"
    form_class = CloseForm

    def perform(self, form: CloseForm) -> None:
        forum_services.close_forum_case(
            case=self.case,
            user=self.request.user,
            reason=form.cleaned_data["reason"],
            request=self.request,
        )
        messages.success(self.request, _("The case is closed."))
