"""The county survey: the secretariat's screens, and the contact person's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView

from agreements.models import LocalGroup
from bus_portal.access import RoleRequiredMixin, role_required
from bus_portal.roles import Role
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


class SecretariatMixin(RoleRequiredMixin):
    required_roles = (Role.SECRETARIAT,)


class SurveyListView(SecretariatMixin, ListView):
    template_name = "followup/survey_list.html"
    context_object_name = "surveys"

    def get_queryset(self):
        return Survey.objects.annotate(
            submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED))
        ).order_by("-year")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["group_count"] = LocalGroup.objects.count()
        return context


class SurveyCreateView(SecretariatMixin, FormView):
    template_name = "followup/survey_form.html"
    form_class = SurveyForm

    def form_valid(self, form):
        try:
            survey = services.create_survey(
                year=form.cleaned_data["year"],
                deadline=form.cleaned_data["deadline"],
                introduction=form.cleaned_data["introduction"],
                questions=form.cleaned_data["questions"],
                actor=self.request.user,
            )
        except services.FollowupError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("The survey was created. Open it when it is ready."))
        return redirect("followup:survey_detail", year=survey.year)


class SurveyDetailView(SecretariatMixin, TemplateView):
    """Response tracking: which groups have answered, which are drafting, which are silent."""

    template_name = "followup/survey_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = get_survey(self.kwargs["year"])
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


def _survey_action(request, year, action, success):
    survey = get_survey(year)
    try:
        action(survey=survey, actor=request.user, request=request)
    except services.FollowupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("followup:survey_detail", year=survey.year)


@require_POST
@role_required(Role.SECRETARIAT)
def survey_open(request, year: int):
    return _survey_action(
        request,
        year,
        services.open_survey,
        _("The survey is open; the contact persons are invited."),
    )


@role_required(Role.SECRETARIAT)
def survey_close(request, year: int):
    """Closing ends answering for everyone, so it asks for confirmation first."""
    survey = get_survey(year)
    if request.method == "POST":
        return _survey_action(request, year, services.close_survey, _("The survey is closed."))
    return render(request, "followup/survey_close.html", {"survey": survey})


@require_POST
@role_required(Role.SECRETARIAT)
def survey_remind(request, year: int):
    return _survey_action(
        request,
        year,
        services.send_reminders,
        _("Reminders are on their way to the groups that have not answered."),
    )


class SurveyImportView(SecretariatMixin, FormView):
    template_name = "followup/survey_import.html"
    form_class = ImportForm

    def dispatch(self, request, *args, **kwargs):
        self.survey = get_survey(kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["survey"] = self.survey
        context["columns"] = ["group", "areas", "participants"] + [
            q.code for q in self.survey.ordered_questions()
        ]
        return context

    def form_valid(self, form):
        try:
            result = import_responses(
                survey=self.survey,
                content=form.cleaned_data["file"].read(),
                actor=self.request.user,
                request=self.request,
            )
        except ImportFailed as exc:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=exc.errors)
            )
        messages.success(
            self.request,
            _("Imported %(total)s responses (%(created)s new, %(updated)s replaced).")
            % {"total": result.total, "created": result.created, "updated": result.updated},
        )
        return redirect("followup:survey_detail", year=self.survey.year)


class CommentaryView(SecretariatMixin, FormView):
    template_name = "followup/commentary_form.html"
    form_class = CommentaryForm

    def dispatch(self, request, *args, **kwargs):
        self.survey = get_survey(kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            c.section: c.text for c in Commentary.objects.filter(survey=self.survey).order_by("pk")
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(survey=self.survey, **kwargs)

    def form_valid(self, form):
        services.save_commentary(
            survey=self.survey,
            texts={s: form.cleaned_data[s] for s in Section.values},
            actor=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The commentary was saved."))
        return redirect("followup:report", year=self.survey.year)


class QuestionListView(SecretariatMixin, ListView):
    template_name = "followup/question_list.html"
    context_object_name = "questions"

    def get_queryset(self):
        return Question.objects.order_by("order", "code")


class QuestionCreateView(SecretariatMixin, FormView):
    template_name = "followup/question_form.html"
    form_class = QuestionForm

    def form_valid(self, form):
        question = form.save(commit=False)
        pairs = form.cleaned_data["answer_codes"]
        question.options = [code for code, _label in pairs]
        question.option_labels = dict(pairs)
        services.create_question(question=question, actor=self.request.user)
        messages.success(self.request, _("The question was added to the bank."))
        return redirect("followup:question_list")


@role_required(Role.SECRETARIAT)
def contact_list(request):
    """Each group's survey contact person; the secretariat adds and removes them."""
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_contact(
            group=form.cleaned_data["group"],
            user=form.cleaned_data["user"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("The contact person was added."))
        return redirect("followup:contact_list")
    contacts: dict[int, list[SurveyContact]] = {}
    for contact in (
        SurveyContact.objects.active().select_related("user").order_by("user__last_name")
    ):
        contacts.setdefault(contact.group_id, []).append(contact)
    rows = [(group, contacts.get(group.pk, [])) for group in LocalGroup.objects.order_by("name")]
    return render(request, "followup/contact_list.html", {"form": form, "rows": rows})


@require_POST
@role_required(Role.SECRETARIAT)
def contact_remove(request, pk: int):
    contact = get_object_or_404(SurveyContact.objects.active(), pk=pk)
    services.remove_contact(contact=contact, actor=request.user, request=request)
    messages.success(request, _("The contact person was removed."))
    return redirect("followup:contact_list")


# --- The contact person ------------------------------------------------------------------------


class ContactRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not contact_group_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MySurveysView(ContactRequiredMixin, TemplateView):
    """The surveys the contact person's groups are asked to answer, with their own responses."""

    template_name = "followup/my_surveys.html"

    def get_context_data(self, **kwargs):
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


class ResponseStartView(LoginRequiredMixin, FormView):
    template_name = "followup/response_start.html"
    form_class = StartResponseForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.group = get_contact_group_for_user(request, kwargs["group"])
            self.survey = get_survey(kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        existing = Response.objects.filter(survey=self.survey, group=self.group).order_by(
            "participants"
        )
        return super().get_context_data(
            survey=self.survey, group=self.group, existing=existing, **kwargs
        )

    def form_valid(self, form):
        try:
            response = services.start_response(
                survey=self.survey,
                group=self.group,
                participants=form.cleaned_data["participants"],
                actor=self.request.user,
                request=self.request,
            )
        except services.FollowupError as exc:
            form.add_error("participants", str(exc))
            return self.form_invalid(form)
        return redirect("followup:response_edit", pk=response.pk)


class ResponseEditView(LoginRequiredMixin, View):
    """Answer the survey: save a draft as often as needed, then submit."""

    template_name = "followup/response_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.response = get_response_for_user(request, kwargs["pk"], write=True)
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        survey = self.response.survey
        questions = survey.ordered_questions()
        initial = {"areas": list(self.response.areas.all())}
        for answer in self.response.answers.select_related("question"):
            value = answer.text if not answer.question.is_choice else answer.choices
            if answer.question.kind == Question.Kind.SINGLE:
                value = answer.choices[0] if answer.choices else ""
            initial[f"q_{answer.question.code}"] = value
        return ResponseForm(data, survey=survey, questions=questions, initial=initial)

    def _render(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "response": self.response,
                "survey": self.response.survey,
                "editable": not self.response.can_be_edited(),
            },
        )

    def get(self, request, pk):
        return self._render(self._form())

    def post(self, request, pk):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        submit = request.POST.get("action") == "submit"
        try:
            services.save_response(
                response=self.response,
                answers=form.answers(),
                areas=form.cleaned_data["areas"],
                actor=request.user,
                submit=submit,
                request=request,
            )
        except services.FollowupError as exc:
            form.add_error(None, str(exc))
            return self._render(form)
        if submit:
            messages.success(request, _("Thank you! The answer has been submitted."))
            return redirect("followup:my_surveys")
        messages.success(request, _("The draft was saved."))
        return redirect("followup:response_edit", pk=self.response.pk)


class ResponseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "followup/response_detail.html"

    def get_context_data(self, **kwargs):
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
            and not response.can_be_edited(),
            **kwargs,
        )
