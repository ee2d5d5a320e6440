"""The county survey: the secretariat's screens, and the contact person's answer."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, FormView, ListView, TemplateView

from agreements.models import LocalGroup
from bus_portal.access import RoleRequiredMixin, role_required
from bus_portal.errors import DomainError
from bus_portal.roles import Role
from bus_portal.views_generic import ServiceFormMixin
from followup import services
from followup.access import get_contact_group_for_user, get_response_for_user, get_survey
from followup.forms import (
    CommentaryForm,
    ContactForm,
    ImportForm,
    QuestionForm,
    ResponseForm,
    StartResponseForm,
    SurveyForm,
)
from followup.importing import ImportFailed, import_responses
from followup.models import (
    Commentary,
    Question,
    Reminder,
    Response,
    Section,
    Survey,
    SurveyContact,
    contact_group_ids,
)

SECRETARIAT = (Role.SECRETARIAT,)


class SurveyYearMixin:
    """A page about one year's survey (``<int:year>`` in the URL); 404 for a year without one.

    Looked up on first use, inside the request handler, so the role check comes first.
    """

    kwargs: dict[str, Any]

    @cached_property
    def survey(self) -> Survey:
        return get_survey(self.kwargs["year"])


class SurveyListView(RoleRequiredMixin, ListView):
    required_roles = SECRETARIAT
    template_name = "followup/survey_list.html"
    context_object_name = "surveys"

    def get_queryset(self):
        return Survey.objects.annotate(
            submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED))
        ).order_by("-year")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["group_count"] = LocalGroup.objects.count()
        return context


class SurveyCreateView(ServiceFormMixin, FormView):
    required_roles = SECRETARIAT
    template_name = "followup/survey_form.html"
    form_class = SurveyForm

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        survey = services.create_survey(
            year=form.cleaned_data["year"],
            deadline=form.cleaned_data["deadline"],
            introduction=form.cleaned_data["introduction"],
            questions=form.cleaned_data["questions"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The survey was created. Open it when it is ready."))
        return redirect("followup:survey_detail", year=survey.year)


class SurveyDetailView(SurveyYearMixin, RoleRequiredMixin, TemplateView):
    """Response tracking: which groups have answered, which are drafting, which are silent."""

    required_roles = SECRETARIAT
    template_name = "followup/survey_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        survey = self.survey
        responses: dict[int, list[Response]] = {}
        for response in Response.objects.filter(survey=survey).order_by(
            "group__name", "participants"
        ):
            responses.setdefault(response.group_id, []).append(response)
        rows = []
        for group in LocalGroup.objects.order_by("name"):
            group_responses = responses.get(group.pk, [])
            submitted = [r for r in group_responses if r.status == Response.Status.SUBMITTED]
            rows.append({"group": group, "responses": group_responses, "answered": bool(submitted)})
        context.update(
            survey=survey,
            rows=rows,
            answered=sum(r["answered"] for r in rows),
            reminders=Reminder.objects.filter(survey=survey).order_by("-sent_at")[:10],
            questions=survey.ordered_questions(),
        )
        return context


def _survey_action(
    request: HttpRequest, year: int, action: Callable[..., object], success: str
) -> HttpResponse:
    survey = get_survey(year)
    try:
        action(survey=survey, user=request.user, request=request)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("followup:survey_detail", year=survey.year)


@require_POST
@role_required(*SECRETARIAT)
def survey_open(request: HttpRequest, year: int) -> HttpResponse:
    return _survey_action(
        request,
        year,
        services.open_survey,
        _("The survey is open; the contact persons are invited."),
    )


@require_POST
@role_required(*SECRETARIAT)
def survey_remind(request: HttpRequest, year: int) -> HttpResponse:
    return _survey_action(
        request,
        year,
        services.send_reminders,
        _("Reminders are on their way to the groups that have not answered."),
    )


class SurveyCloseView(SurveyYearMixin, ServiceFormMixin, FormView):
    """Closing ends answering for everyone, so it asks for confirmation first."""

    required_roles = SECRETARIAT
    template_name = "followup/survey_close.html"
    form_class = forms.Form  # the confirmation step has no fields: the POST is the confirmation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(survey=self.survey, **kwargs)

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.close_survey(survey=self.survey, user=self.request.user, request=self.request)
        messages.success(self.request, _("The survey is closed."))
        return redirect("followup:survey_detail", year=self.survey.year)

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        # Nothing to correct on a confirmation step: back to the survey, with the reason.
        messages.error(self.request, str(error))
        return redirect("followup:survey_detail", year=self.survey.year)


class SurveyImportView(SurveyYearMixin, ServiceFormMixin, FormView):
    required_roles = SECRETARIAT
    template_name = "followup/survey_import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["survey"] = self.survey
        context["columns"] = ["group", "areas", "participants"] + [
            q.code for q in self.survey.ordered_questions()
        ]
        return context

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        result = import_responses(
            survey=self.survey,
            content=form.cleaned_data["file"].read(),
            user=self.request.user,
            request=self.request,
        )
        messages.success(
            self.request,
            _("Imported %(total)s responses (%(created)s new, %(updated)s replaced).")
            % {"total": result.total, "created": result.created, "updated": result.updated},
        )
        return redirect("followup:survey_detail", year=self.survey.year)

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        # The file's errors by row and column, so the secretariat can fix them in the source.
        errors = error.errors if isinstance(error, ImportFailed) else []
        return self.render_to_response(self.get_context_data(form=form, import_errors=errors))


class CommentaryView(SurveyYearMixin, ServiceFormMixin, FormView):
    required_roles = SECRETARIAT
    template_name = "followup/commentary_form.html"
    form_class = CommentaryForm

    def get_initial(self) -> dict[str, Any]:
        return {
            c.section: c.text for c in Commentary.objects.filter(survey=self.survey).order_by("pk")
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(survey=self.survey, **kwargs)

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.save_commentary(
            survey=self.survey,
            texts={s: form.cleaned_data[s] for s in Section.values},
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The commentary was saved."))
        return redirect("followup:report", year=self.survey.year)


class QuestionListView(RoleRequiredMixin, ListView):
    required_roles = SECRETARIAT
    template_name = "followup/question_list.html"
    context_object_name = "questions"

    def get_queryset(self):
        return Question.objects.order_by("order", "code")


class QuestionCreateView(ServiceFormMixin, CreateView):
    required_roles = SECRETARIAT
    template_name = "followup/question_form.html"
    form_class = QuestionForm

    def perform(self, form: QuestionForm) -> HttpResponse:
        question = form.instance
        pairs = form.cleaned_data["answer_codes"]
        question.options = [code for code, _label in pairs]
        question.option_labels = dict(pairs)
        services.create_question(question=question, user=self.request.user, request=self.request)
        messages.success(self.request, _("The question was added to the bank."))
        return redirect("followup:question_list")


class ContactListView(ServiceFormMixin, FormView):
    """Each group's survey contact person; the secretariat adds and removes them."""

    required_roles = SECRETARIAT
    template_name = "followup/contact_list.html"
    form_class = ContactForm
    success_url = reverse_lazy("followup:contact_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        contacts: dict[int, list[SurveyContact]] = {}
        for contact in (
            SurveyContact.objects.active().select_related("user").order_by("user__last_name")
        ):
            contacts.setdefault(contact.group_id, []).append(contact)
        rows = [
            (group, contacts.get(group.pk, [])) for group in LocalGroup.objects.order_by("name")
        ]
        return super().get_context_data(rows=rows, **kwargs)

    def perform(self, form: forms.BaseForm) -> None:
        services.add_contact(
            group=form.cleaned_data["group"],
            person=form.cleaned_data["user"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The contact person was added."))


@require_POST
@role_required(*SECRETARIAT)
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    # Contact persons are county-wide like the surveys: the role check is the scope.
    contact = get_object_or_404(SurveyContact.objects.active(), pk=pk)
    services.remove_contact(contact=contact, user=request.user, request=request)
    messages.success(request, _("The contact person was removed."))
    return redirect("followup:contact_list")


# --- The contact person ------------------------------------------------------------------------


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
        ]
        return context


class ResponseStartView(SurveyYearMixin, ServiceFormMixin, FormView):
    """The contact person starts the group's answer, jointly or for one principal."""

    template_name = "followup/response_start.html"
    form_class = StartResponseForm

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


class ResponseEditView(ServiceFormMixin, FormView):
    """Answer the survey: save a draft as often as needed, then submit."""

    template_name = "followup/response_form.html"
    form_class = ResponseForm

    @cached_property
    def survey_response(self) -> Response:
        return get_response_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        survey = self.survey_response.survey
        return {
            **super().get_form_kwargs(),
            "survey": survey,
            "questions": survey.ordered_questions(),
        }

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"areas": list(self.survey_response.areas.all())}
        for answer in self.survey_response.answers.select_related("question"):
            value = answer.text if not answer.question.is_choice else answer.choices
            if answer.question.kind == Question.Kind.SINGLE:
                value = answer.choices[0] if answer.choices else ""
            initial[f"q_{answer.question.code}"] = value
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            response=self.survey_response,
            survey=self.survey_response.survey,
            editable=self.survey_response.can_edit(),
            **kwargs,
        )

    def perform(self, form: ResponseForm) -> HttpResponse:
        submit = self.request.POST.get("action") == "submit"
        services.save_response(
            response=self.survey_response,
            answers=form.answers(),
            areas=form.cleaned_data["areas"],
            user=self.request.user,
            submit=submit,
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
