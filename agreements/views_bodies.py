"""Screens for bodies and their members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, UpdateView

from agreements import access, forms, overview, services
from agreements.models import Body, BodyMember
from agreements.views import LOG_PAGE_SIZE, LockedEditMixin
from bus_portal.pagination import open_ended_page
from bus_portal.views_generic import ServiceFormMixin


class BodyDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/body_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        body = access.get_body_for_user(self.request, kwargs["pk"])
        today = timezone.localdate()
        # Every meeting for the rules; the log shows the visible ones a page at a time.
        all_meetings = overview.body_meetings(self.request.user, [body])
        page = open_ended_page(self.request, overview.visible_log(all_meetings), LOG_PAGE_SIZE)
        context.update(
            body=body,
            agreement=body.agreement,
            members=body.members.select_related("unit__principal", "user").order_by(
                "role", "name", "id"
            ),
            meetings=page.object_list,
            page_obj=page,
            flags=overview.rule_flags([body], all_meetings, today),
            assignments=services.open_assignments_for(body),
            can_edit=access.can_edit_body(body, self.request.user),
            can_log=access.can_edit_meetings(body, self.request.user),
            today=today,
        )
        context["body_compliance"] = context["flags"]["compliance"][body.pk]
        context["body_repeated"] = context["flags"]["repeated"][body.pk]
        return context


class CreateOrEditMixin(LockedEditMixin):
    """An ``UpdateView`` that adds a record (no primary key yet: created once per form, by its
    one-time token) or edits one (optimistic locking)."""

    object: Any

    @property
    def once_per_submission(self) -> bool:  # type: ignore[override]
        return self.object.pk is None

    def locked_object(self) -> Any:
        return self.object if self.object.pk else None


class BodyFormView(CreateOrEditMixin, ServiceFormMixin, UpdateView):
    """Add a body under an agreement (``agreement_pk``) or edit one (``pk``): the agreement's editors."""

    template_name = "agreements/body_form.html"
    form_class = forms.BodyForm

    def get_object(self, queryset: Any = None) -> Body:
        if "agreement_pk" in self.kwargs:
            agreement = access.get_agreement_for_user(
                self.request, self.kwargs["agreement_pk"], write=True
            )
            return Body(agreement=agreement)
        return access.get_body_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agreement": self.object.agreement}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(agreement=self.object.agreement, **kwargs)

    def perform(self, form: BaseForm) -> HttpResponse:
        body = services.save_body(
            body=form.save(commit=False),
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The body was saved."))
        return redirect("agreements:body_detail", pk=body.pk)


class MemberFormView(CreateOrEditMixin, ServiceFormMixin, UpdateView):
    """Add a member to a body (``body_pk``) or edit one (``pk``): the agreement's editors."""

    template_name = "agreements/member_form.html"
    form_class = forms.BodyMemberForm
    context_object_name = "member"

    def get_object(self, queryset: Any = None) -> BodyMember:
        if "body_pk" in self.kwargs:
            body = access.get_body_for_user(self.request, self.kwargs["body_pk"], write=True)
            return BodyMember(body=body)
        return access.get_member_for_user(self.request, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(body=self.object.body, **kwargs)

    def fresh_object(self, obj: Any) -> Any:
        fresh = BodyMember.objects.get(pk=obj.pk)
        fresh.body = obj.body
        return fresh

    def perform(self, form: BaseForm) -> HttpResponse:
        services.save_member(
            member=form.save(commit=False),
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The member was saved."))
        return redirect("agreements:body_detail", pk=self.object.body_id)
