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

A create page sets ``once_per_submission = True`` and its form derives from
``bus_portal.submissions.OneTimeTokenForm``: the token is claimed in the transaction that runs
``perform``, and a second send of the same form goes to what the first one created.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from bus_portal import submissions
from bus_portal.access import RoleRequiredMixin
from bus_portal.errors import DomainError


class ServiceFormMixin(RoleRequiredMixin):
    """``form_valid`` calls ``perform(form)``; a ``DomainError`` becomes a non-field form error."""

    #: HTTP status of the page shown again after a refusal (e.g. 409 for a stale edit).
    refused_status: int = 200
    #: Claim the form's one-time token with the create, so a repeated send creates nothing.
    once_per_submission: bool = False

    def perform(self, form: forms.BaseForm) -> HttpResponse | None:
        raise NotImplementedError(f"{type(self).__name__} must define perform(form)")

    def form_valid(self, form: forms.BaseForm) -> HttpResponse:
        try:
            if self.once_per_submission:
                return self.perform_once(form)
            return self.perform_and_respond(form)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.refused(form, exc)

    def perform_and_respond(self, form: forms.BaseForm) -> HttpResponse:
        response = self.perform(form)
        if response is None:
            return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]
        return response

    def perform_once(self, form: forms.BaseForm) -> HttpResponse:
        token = form.sent_token  # type: ignore[attr-defined]
        request = self.request  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                submissions.claim(token, request.user)
                response = self.perform_and_respond(form)
                submissions.finish(token, response.get("Location", ""))
        except submissions.AlreadySubmitted as earlier:
            if not earlier.url:
                raise DomainError(
                    _("This form has already been sent. Reload the page to start a new one.")
                ) from None
            messages.info(request, _("The form had already been sent; this is what it saved."))
            return HttpResponseRedirect(earlier.url)
        return response

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        """The page again, with the error on the form (override to add context to it)."""
        response: Any = self.form_invalid(form)  # type: ignore[attr-defined]
        if self.refused_status != 200:
            response.status_code = self.refused_status
        return response
