"""Importing responses from a CSV file: upload, preview (what each row will do), confirm."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from bus_portal.errors import DomainError
from bus_portal.views_generic import ServiceFormMixin
from followup.forms import ImportConfirmForm, ImportForm
from followup.importing import (
    Action,
    ImportFailed,
    ImportPlan,
    PlanChanged,
    confirm_import,
    load_plan,
    preview_import,
)
from followup.models import Answer, ImportPreview, Question
from followup.views import SECRETARIAT, SurveyYearMixin


class SurveyImportView(SurveyYearMixin, ServiceFormMixin, FormView):
    """Step 1: upload. A file with any error is refused whole, its errors listed by line."""

    required_roles = SECRETARIAT
    template_name = "followup/survey_import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["survey"] = self.survey
        context["refusal"] = self.survey.missing_for_import()
        context["columns"] = ["group", "areas", "participants"] + [
            q.code for q in self.survey.ordered_questions()
        ]
        return context

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        preview = preview_import(
            survey=self.survey,
            content=upload.read(),
            filename=upload.name or "",
            user=self.request.user,
        )
        return redirect(
            "followup:survey_import_preview", year=self.survey.year, token=preview.token
        )

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        # The file's errors by row and column, so the secretariat can fix them in the source.
        errors = error.errors if isinstance(error, ImportFailed) else []
        return self.render_to_response(self.get_context_data(form=form, import_errors=errors))


class ImportPreviewView(SurveyYearMixin, ServiceFormMixin, FormView):
    """Steps 2 and 3: what each row of the uploaded file will do, and the confirmation.

    A group that answered in the portal keeps its answer unless the secretariat chooses, for that
    group, to replace it. The confirmation writes once (one-time token); if the responses changed
    since the preview was shown, nothing is written and the new preview is shown (409).
    """

    required_roles = SECRETARIAT
    template_name = "followup/survey_import_preview.html"
    form_class = ImportConfirmForm
    once_per_submission = True

    @cached_property
    def preview(self) -> ImportPreview:
        # Only the person who uploaded the file confirms it.
        return get_object_or_404(
            ImportPreview.objects.select_related("survey"),
            pk=self.kwargs["token"],
            survey=self.survey,
            created_by=self.request.user,
        )

    @cached_property
    def plan(self) -> ImportPlan | DomainError:
        """The plan, or why the file no longer imports (the survey closed, a new conflict)."""
        try:
            return load_plan(self.preview)
        except DomainError as exc:
            return exc

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.gone() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.preview.confirmed_at is not None:
            # A resend after the import: the one-time token takes it to the result.
            return super().post(request, *args, **kwargs)
        return self.gone() or super().post(request, *args, **kwargs)

    def gone(self) -> HttpResponse | None:
        """An imported or expired preview is not shown again."""
        if self.preview.confirmed_at is not None:
            messages.info(self.request, _("The file has already been imported."))
            return redirect("followup:survey_detail", year=self.survey.year)
        if self.preview.is_expired:
            messages.warning(self.request, _("The preview has expired. Upload the file again."))
            return redirect("followup:survey_import", year=self.survey.year)
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        plan = self.plan
        conflicts = plan.conflict_groups if isinstance(plan, ImportPlan) else []
        return {**super().get_form_kwargs(), "conflict_groups": conflicts}

    def get_initial(self) -> dict[str, Any]:
        plan = self.plan
        return {"plan": plan.digest if isinstance(plan, ImportPlan) else ""}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan = self.plan
        context = super().get_context_data(survey=self.survey, preview=self.preview, **kwargs)
        if isinstance(plan, ImportPlan):
            form = context["form"]
            differences = _differences(plan)
            context.update(
                plan=plan,
                counts={action: plan.count(action) for action in Action.values},
                conflicts=[
                    {
                        "group": group,
                        "field": form[name],
                        "rows": [(row, differences.get(row.parsed.row, [])) for row in rows],
                    }
                    for group, rows, name in form.conflict_fields
                ],
            )
        else:
            context.update(problem=str(plan), import_errors=getattr(plan, "errors", []), plan=None)
        return context

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        assert isinstance(form, ImportConfirmForm)
        result = confirm_import(
            preview=self.preview,
            replace_groups=form.replace_groups(),
            expected_digest=form.cleaned_data.get("plan") or "",
            user=self.request.user,
            request=self.request,
        )
        messages.success(
            self.request,
            _(
                "Imported %(total)s responses: %(created)s new, %(updated)s replacing earlier "
                "imports, %(replaced_web)s replacing answers given in the portal. "
                "%(kept_web)s answers given in the portal were kept."
            )
            % {
                "total": result.total,
                "created": result.created,
                "updated": result.updated,
                "replaced_web": result.replaced_web,
                "kept_web": result.kept_web,
            },
        )
        return redirect("followup:survey_detail", year=self.survey.year)

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        if ImportPreview.objects.filter(pk=self.preview.pk, confirmed_at__isnull=False).exists():
            # Confirmed meanwhile from another tab: show the result, not the preview.
            messages.info(self.request, _("The file has already been imported."))
            return redirect("followup:survey_detail", year=self.survey.year)
        if not isinstance(error, PlanChanged):
            return super().refused(form, error)
        # Plan again from the records as they are now; the choices made so far are kept.
        self.__dict__.pop("plan", None)
        fresh = self.get_form_class()(**{**self.get_form_kwargs(), "data": None, "files": None})
        for name in fresh.fields:
            if name.startswith("group_") and form.cleaned_data.get(name):
                fresh.initial[name] = form.cleaned_data[name]
        response = self.render_to_response(self.get_context_data(form=fresh, changed=error))
        response.status_code = 409
        return response


def _differences(plan: ImportPlan) -> dict[int, list[tuple[str, str, str]]]:
    """For each conflicting row (by line): the questions whose answer in the portal differs
    from the file's, as (question, in the portal, in the file). One query for all rows."""
    conflicts = [row for row in plan.rows if row.action == Action.CONFLICT and row.existing]
    stored: dict[int, dict[int, Answer]] = {}
    for answer in Answer.objects.filter(response__in=[row.existing for row in conflicts]):
        stored.setdefault(answer.response_id, {})[answer.question_id] = answer
    questions: list[Question] = plan.survey.ordered_questions()
    differences: dict[int, list[tuple[str, str, str]]] = {}
    for row in conflicts:
        assert row.existing is not None
        given = stored.get(row.existing.pk, {})
        file_answers = {question.pk: value for question, value in row.parsed.answers.items()}
        lines = []
        for question in questions:
            portal = _answer_text(question, given.get(question.pk))
            choices, text = file_answers.get(question.pk, ([], ""))
            in_file = (
                ", ".join(question.label_for(code) for code in choices)
                if question.is_choice
                else text
            )
            if portal != in_file:
                lines.append((question.text, portal, in_file))
        differences[row.parsed.row] = lines
    return differences


def _answer_text(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return ""
    if question.is_choice:
        return ", ".join(question.label_for(code) for code in answer.choices)
    return answer.text
