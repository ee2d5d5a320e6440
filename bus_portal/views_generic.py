"""The one form-view pattern: Django's generic views plus ``ServiceFormMixin``.

A form page is a ``FormView``, ``CreateView`` or ``UpdateView`` with ``ServiceFormMixin`` in front::

    class PlanCloseView(ServiceFormMixin, FormView):
        required_roles = (Role.CASE_OFFICER,)
        form_class = CloseForm
        template_name = "sip/plan_close.html"

        def perform(self, form):
            services.close_plan(plan=self.plan, user=self.request.user, **form.cleaned_data)
            return redirect(self.plan)

The form validates; ``perform`` calls the service and returns the response (or ``None`` to go to
``get_success_url()``). A ``DomainError`` from the service becomes a form error and the page is shown
again with the user's input kept. Roles are declared on the class (``RoleRequiredMixin``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse, HttpResponseRedirect

from bus_portal.access import RoleRequiredMixin
from bus_portal.errors import DomainError


class ServiceFormMixin(RoleRequiredMixin):
    """``form_valid`` calls ``perform(form)``; a ``DomainError`` becomes a non-field form error."""

    #: HTTP status of the page shown again after a refusal (e.g. 409 for a stale edit).
    refused_status: int = 200

    def perform(self, form: forms.BaseForm) -> HttpResponse | None:
        raise NotImplementedError(f"{type(self).__name__} must define perform(form)")

    def form_valid(self, form: forms.BaseForm) -> HttpResponse:
        try:
            response = self.perform(form)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.refused(form, exc)
        if response is None:
            return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]
        return response

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        """The page again, with the error on the form (override to add context to it)."""
        response: Any = self.form_invalid(form)  # type: ignore[attr-defined]
        if self.refused_status != 200:
            response.status_code = self.refused_status
        return response
