"""The counterpart's response, written in the report: by a contact asked for it (a POST from the
report's page, made once however often it is sent) and corrected by its author (a page of its
own, guarded by the response's ``lock_version``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from bus_portal.errors import DomainError
from bus_portal.views_generic import ServiceFormMixin
from deviations import counterpart_services
from deviations.access import get_deviation_for_user, get_response_for_user
from deviations.counterparts import CounterpartResponse
from deviations.forms import RESPONSE_PREFIX, CorrectResponseForm, CounterpartResponseForm
from deviations.models import Deviation
from deviations.views import detail_context, earlier_send


def responses_url(deviation: Deviation) -> str:
    return reverse("deviations:detail", kwargs={"pk": deviation.pk}) + "#responses"


class RespondView(ServiceFormMixin, SingleObjectMixin, FormView):
    """A counterpart's contact writes its principal's response. Only someone asked for it, while
    it is still missing (403 otherwise; 404 for a report the user does not see). A refused
    response comes back on the report's page with its text and the reason."""

    form_class = CounterpartResponseForm
    prefix = RESPONSE_PREFIX
    template_name = "deviations/deviation_detail.html"
    once_per_submission = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = get_deviation_for_user(request, kwargs["pk"])
        self.principals = counterpart_services.open_principals(self.object, request.user)
        if not self.principals:
            # A repeated send of a response this user wrote goes where the first one went.
            earlier = earlier_send(request, RESPONSE_PREFIX)
            if earlier is None:
                raise PermissionDenied
            return earlier
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "principals": self.principals}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return detail_context(self.request, self.object, response_form=kwargs["form"])

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        counterpart_services.respond(
            deviation=self.object,
            user=self.request.user,
            principal=form.cleaned_data["principal"],
            text=form.cleaned_data["text"],
            request=self.request,
        )
        messages.success(self.request, _("Your response is saved in the report."))
        return HttpResponseRedirect(responses_url(self.object))


class CorrectResponseView(ServiceFormMixin, FormView):
    """The author corrects the response while the report is open; the earlier text is kept and
    shown with it. A correction over a newer text (a redaction, another tab) is refused with 409
    and the text saved now; the form keeps the author's own."""

    form_class = CorrectResponseForm
    template_name = "deviations/response_correct.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.response = get_response_for_user(request, kwargs["pk"], kwargs["response"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"text": self.response.text, "lock_version": self.response.lock_version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        response: CounterpartResponse = self.response
        return super().get_context_data(
            deviation=response.deviation,
            counterpart_response=response,
            versions=response.versions.all(),
            **kwargs,
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        counterpart_services.correct_response(
            response=self.response,
            user=self.request.user,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["lock_version"],
            request=self.request,
        )
        messages.success(self.request, _("The response is corrected; the earlier text is kept."))
        return HttpResponseRedirect(responses_url(self.response.deviation))

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        if isinstance(error, counterpart_services.StaleResponse):
            # The next save goes over the text shown now, with this user's own in the form.
            data = form.data.copy()
            data["lock_version"] = str(error.current_version)
            form.data = data
            self.response.text = error.current
            return self.render_to_response(
                self.get_context_data(form=form, stale=error), status=409
            )
        return super().refused(form, error)
