"""The county survey as the contact person answers it: the surveys, starting and saving an answer."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from agreements.models import LocalGroup
from bus_portal.views_generic import ServiceFormMixin
from followup import services
from followup.access import get_contact_group_for_user, get_response_for_user
from followup.edit_state import VersionedEditMixin
from followup.forms import ResponseForm, StartResponseForm
from followup.models import (
    Question,
    Response,
    Survey,
    contact_group_ids,
    in_force_during,
)
from followup.views import SurveyYearMixin


class ContactRequiredMixin(LoginRequiredMixin):
    """For the survey contact persons: anyone else is refused (403)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not contact_group_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MySurveysView(ContactRequiredMixin, TemplateView):
    """The surveys the contact person's groups are asked to answer, with their own responses."""

    template_name = "followup/my_surveys.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        groups = list(
            LocalGroup.objects.filter(pk__in=contact_group_ids(self.request.user)).order_by("name")
        )
        surveys = list(Survey.objects.exclude(status=Survey.Status.DRAFT).order_by("-year"))
        responses: dict[tuple[int, int], list[Response]] = {}
        for response in Response.objects.filter(group__in=groups).order_by("participants"):
            responses.setdefault((response.survey_id, response.group_id), []).append(response)
        context["entries"] = [
            {
                "survey": survey,
                "group": group,
                "responses": responses.get((survey.pk, group.pk), []),
            }
            for survey in surveys
            for group in groups
            # A group answers the surveys of the years it was in force (or any it answered).
            if in_force_during(group, survey.year) or (survey.pk, group.pk) in responses
        ]
        return context


class ResponseStartView(SurveyYearMixin, ServiceFormMixin, FormView):
    """The contact person starts the group's answer, jointly or for one principal."""

    template_name = "followup/response_start.html"
    form_class = StartResponseForm
    once_per_submission = True

    @cached_property
    def group(self) -> LocalGroup:
        return get_contact_group_for_user(self.request, self.kwargs["group"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        existing = Response.objects.filter(survey=self.survey, group=self.group).order_by(
            "participants"
        )
        return super().get_context_data(
            survey=self.survey, group=self.group, existing=existing, **kwargs
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        response = services.start_response(
            survey=self.survey,
            group=self.group,
            participants=form.cleaned_data["participants"],
            user=self.request.user,
            request=self.request,
        )
        return redirect("followup:response_edit", pk=response.pk)


class ResponseEditView(VersionedEditMixin, ServiceFormMixin, FormView):
    """Answer the survey: save a draft as often as needed, then submit. Two people of the group
    (or an import) saving over each other: the later save gets 409 and the merge."""

    template_name = "followup/response_form.html"
    form_class = ResponseForm

    @cached_property
    def survey_response(self) -> Response:
        return get_response_for_user(self.request, self.kwargs["pk"], write=True)

    def edit_salt(self) -> str:
        return f"response:{self.survey_response.pk}"

    def saved_values(self) -> dict[str, Any]:
        response = self.survey_response
        values: dict[str, Any] = {"areas": list(response.areas.order_by("pk"))}
        for answer in response.answers.select_related("question").order_by("pk"):
            question = answer.question
            if question.kind == Question.Kind.SINGLE:
                values[f"q_{question.code}"] = answer.choices[0] if answer.choices else ""
            elif question.is_choice:
                values[f"q_{question.code}"] = answer.choices
            else:
                values[f"q_{question.code}"] = answer.text
        return values

    def saved_version(self) -> int:
        return Response.objects.values_list("lock_version", flat=True).get(
            pk=self.survey_response.pk
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        survey = self.survey_response.survey
        return {
            **super().get_form_kwargs(),
            "survey": survey,
            "questions": survey.ordered_questions(),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            response=self.survey_response,
            survey=self.survey_response.survey,
            editable=self.survey_response.can_edit(),
            **kwargs,
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        assert isinstance(form, ResponseForm)
        submit = self.request.POST.get("action") == "submit"
        services.save_response(
            response=self.survey_response,
            answers=form.answers(),
            areas=form.cleaned_data["areas"],
            user=self.request.user,
            submit=submit,
            expected_version=form.cleaned_data["lock_version"],
            request=self.request,
        )
        if submit:
            messages.success(self.request, _("Thank you! The answer has been submitted."))
            return redirect("followup:my_surveys")
        messages.success(self.request, _("The draft was saved."))
        return redirect("followup:response_edit", pk=self.survey_response.pk)


class ResponseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "followup/response_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        response = get_response_for_user(self.request, self.kwargs["pk"])
        answers = {
            a.question_id: a for a in response.answers.select_related("question").order_by("pk")
        }
        rows = []
        for question in response.survey.ordered_questions():
            answer = answers.get(question.pk)
            if answer is None or answer.is_empty:
                value = ""
            elif question.is_choice:
                value = ", ".join(question.label_for(c) for c in answer.choices)
            else:
                value = answer.text
            rows.append((question, value))
        return super().get_context_data(
            response=response,
            rows=rows,
            areas=response.areas.order_by("name"),
            can_edit=response.group_id in contact_group_ids(self.request.user)
            and response.can_edit(),
            **kwargs,
        )
