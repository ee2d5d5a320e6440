"""The county survey: the secretariat's screens (surveys, questions, contact persons, commentary).

The contact person's answer is in ``views_response``, the CSV import in ``views_import``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from agreements.models import LocalGroup
from bus_portal.access import RoleRequiredMixin, role_required
from bus_portal.audit import events_for
from bus_portal.errors import DomainError
from bus_portal.pagination import OpenEndedPaginator
from bus_portal.roles import Role
from bus_portal.views_generic import ServiceFormMixin
from followup import services
from followup.access import get_survey
from followup.audit import Purpose
from followup.edit_state import VersionedEditMixin
from followup.forms import (
    CommentaryForm,
    ContactForm,
    QuestionEditForm,
    QuestionForm,
    ReopenForm,
    SurveyEditForm,
    SurveyForm,
    answer_codes_text,
)
from followup.models import (
    Commentary,
    Question,
    Reminder,
    Response,
    Section,
    Survey,
    SurveyContact,
    year_bounds,
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


def _groups_per_year(years: list[int]) -> dict[int, int]:
    """How many local groups were in force during each of ``years``, from one query."""
    periods = list(LocalGroup.objects.order_by().values_list("valid_from", "valid_to"))
    counts = {}
    for year in years:
        first, last = year_bounds(year)
        counts[year] = sum(
            1
            for start, end in periods
            if (start is None or start <= last) and (end is None or end >= first)
        )
    return counts


class SurveyListView(RoleRequiredMixin, ListView):
    required_roles = SECRETARIAT
    template_name = "followup/survey_list.html"
    context_object_name = "surveys"
    paginator_class = OpenEndedPaginator
    paginate_by = 25

    def get_queryset(self):
        return Survey.objects.annotate(
            submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED))
        ).order_by("-year")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        groups = _groups_per_year([survey.year for survey in context["surveys"]])
        for survey in context["surveys"]:
            survey.group_count = groups[survey.year]
        return context


class SurveyCreateView(ServiceFormMixin, FormView):
    required_roles = SECRETARIAT
    template_name = "followup/survey_form.html"
    form_class = SurveyForm
    once_per_submission = True

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        survey = services.create_survey(
            year=form.cleaned_data["year"],
            deadline=form.cleaned_data["deadline"],
            opens_on=form.cleaned_data["opens_on"],
            introduction=form.cleaned_data["introduction"],
            questions=form.cleaned_data["questions"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The survey was created. Open it when it is ready."))
        return redirect("followup:survey_detail", year=survey.year)


class SurveyEditView(SurveyYearMixin, VersionedEditMixin, ServiceFormMixin, FormView):
    """The secretariat changes a survey: dates and introduction, and its questions until it is
    opened. Two people saving at once: the second gets 409 and the merge."""

    required_roles = SECRETARIAT
    template_name = "followup/survey_edit.html"
    form_class = SurveyEditForm

    def edit_salt(self) -> str:
        return f"survey:{self.survey.pk}"

    def saved_values(self) -> dict[str, Any]:
        survey = Survey.objects.get(pk=self.survey.pk)
        return {
            "deadline": survey.deadline,
            "opens_on": survey.opens_on,
            "introduction": survey.introduction,
            "questions": list(survey.questions.order_by("pk")),
        }

    def saved_version(self) -> int:
        return Survey.objects.values_list("lock_version", flat=True).get(pk=self.survey.pk)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "survey": self.survey}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            survey=self.survey, missing=self.survey.missing_for_editing(), **kwargs
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        data = form.cleaned_data
        services.update_survey(
            survey=self.survey,
            user=self.request.user,
            expected_version=data["lock_version"],
            deadline=data["deadline"],
            opens_on=data["opens_on"],
            introduction=data["introduction"],
            questions=data["questions"] if self.survey.questions_editable else None,
            request=self.request,
        )
        messages.success(self.request, _("The survey was saved."))
        return redirect("followup:survey_detail", year=self.survey.year)


class SurveyDetailView(SurveyYearMixin, RoleRequiredMixin, TemplateView):
    """Response tracking: which groups have answered, which are drafting, which are silent."""

    required_roles = SECRETARIAT
    template_name = "followup/survey_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        survey = self.survey
        responses: dict[int, list[Response]] = {}
        groups = {group.pk: group for group in survey.local_groups()}
        for response in (
            Response.objects.filter(survey=survey)
            .select_related("group")
            .order_by("group__name", "participants")
        ):
            responses.setdefault(response.group_id, []).append(response)
            groups.setdefault(response.group_id, response.group)  # answered, if out of its period
        rows = []
        for group in sorted(groups.values(), key=lambda g: (g.name, g.pk)):
            group_responses = responses.get(group.pk, [])
            submitted = [r for r in group_responses if r.status == Response.Status.SUBMITTED]
            rows.append({"group": group, "responses": group_responses, "answered": bool(submitted)})
        reopenings = (
            events_for(survey).filter(purpose=Purpose.SURVEY_REOPENED).order_by("-at", "-id")[:10]
        )
        context.update(
            survey=survey,
            rows=rows,
            answered=sum(r["answered"] for r in rows),
            reminders=Reminder.objects.filter(survey=survey).order_by("-sent_at")[:10],
            reopenings=[
                {
                    "at": event.at,
                    "actor": event.actor,
                    "reason": event.changes.get("reason", ["", ""])[-1],
                }
                for event in reopenings
            ],
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


class SurveyReopenView(SurveyYearMixin, ServiceFormMixin, FormView):
    """Reopening a closed survey (whose report may be published) asks for the reason, which the
    log keeps with the secretariat member's name."""

    required_roles = SECRETARIAT
    template_name = "followup/survey_reopen.html"
    form_class = ReopenForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            survey=self.survey, missing=self.survey.missing_for_reopening(), **kwargs
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.reopen_survey(
            survey=self.survey,
            user=self.request.user,
            reason=form.cleaned_data["reason"],
            request=self.request,
        )
        messages.success(
            self.request,
            _("The survey is open again. Close it when the late answers are in."),
        )
        return redirect("followup:survey_detail", year=self.survey.year)


class CommentaryView(SurveyYearMixin, VersionedEditMixin, ServiceFormMixin, FormView):
    required_roles = SECRETARIAT
    template_name = "followup/commentary_form.html"
    form_class = CommentaryForm

    def edit_salt(self) -> str:
        return f"commentary:{self.survey.pk}"

    def saved_values(self) -> dict[str, Any]:
        return dict(
            Commentary.objects.filter(survey=self.survey)
            .order_by("pk")
            .values_list("section", "text")
        )

    def saved_version(self) -> int:
        return Survey.objects.values_list("commentary_version", flat=True).get(pk=self.survey.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(survey=self.survey, **kwargs)

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.save_commentary(
            survey=self.survey,
            texts={s: form.cleaned_data[s] for s in Section.values},
            user=self.request.user,
            expected_version=form.cleaned_data["lock_version"],
            request=self.request,
        )
        messages.success(self.request, _("The commentary was saved."))
        return redirect("followup:report", year=self.survey.year)


class QuestionListView(RoleRequiredMixin, ListView):
    required_roles = SECRETARIAT
    template_name = "followup/question_list.html"
    context_object_name = "questions"
    paginator_class = OpenEndedPaginator
    paginate_by = 50

    def get_queryset(self):
        asked = Survey.questions.through.objects.filter(question=OuterRef("pk")).exclude(
            survey__status=Survey.Status.DRAFT
        )
        return (
            Question.objects.annotate(asked=Exists(asked))
            .prefetch_related("answer_options")
            .order_by("order", "code")
        )


class QuestionCreateView(ServiceFormMixin, FormView):
    required_roles = SECRETARIAT
    template_name = "followup/question_form.html"
    form_class = QuestionForm
    once_per_submission = True

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        assert isinstance(form, QuestionForm)
        services.create_question(
            question=form.instance,
            options=form.cleaned_data["answer_codes"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The question was added to the bank."))
        return redirect("followup:question_list")


class QuestionEditView(VersionedEditMixin, ServiceFormMixin, UpdateView):
    """Reword a question or change its answer codes, until a survey with it has been opened.
    Two of the secretariat saving at once: the second gets 409 and the merge."""

    required_roles = SECRETARIAT
    template_name = "followup/question_form.html"
    form_class = QuestionEditForm
    context_object_name = "question"

    def get_object(self, queryset: Any = None) -> Question:
        # The question bank is county-wide like the surveys: the role check is the scope.
        return get_object_or_404(
            Question.objects.prefetch_related("answer_options"), pk=self.kwargs["pk"]
        )

    def edit_salt(self) -> str:
        return f"question:{self.object.pk}"

    def saved_values(self) -> dict[str, Any]:
        question = Question.objects.prefetch_related("answer_options").get(pk=self.object.pk)
        return {
            "section": question.section,
            "kind": question.kind,
            "text": question.text,
            "order": question.order,
            "answer_codes": answer_codes_text(question.choices),
        }

    def saved_version(self) -> int:
        return Question.objects.values_list("lock_version", flat=True).get(pk=self.object.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(missing=self.object.missing_for_editing(), **kwargs)

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        assert isinstance(form, QuestionEditForm)
        data = form.cleaned_data
        services.update_question(
            question=self.object,
            text=data["text"],
            section=data["section"],
            kind=data["kind"],
            order=data["order"],
            options=form.answer_pairs,
            user=self.request.user,
            expected_version=data["lock_version"],
            request=self.request,
        )
        messages.success(self.request, _("The question was saved."))
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
        # The groups in force today, and any other that still has a contact person.
        groups = LocalGroup.objects.filter(
            Q(pk__in=LocalGroup.objects.valid_on(timezone.localdate()).values("pk"))
            | Q(pk__in=list(contacts))
        ).order_by("name")
        rows = [(group, contacts.get(group.pk, [])) for group in groups]
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
