"""Revisions, parties and signatures, originals routing, reviews, attachments and the BUS plan."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import BaseForm, BaseFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from agreements import access, edit_state, forms, plausibility, services, uploads
from agreements.diff import compare_revisions
from agreements.models import Agreement, Party, PlanItem, Revision
from agreements.views import AddRowFormsetMixin, LockedEditMixin, ObjectFormView, message_result
from bus_portal.concurrency import State


@login_required
@require_POST
def revision_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request, pk, write=True)
    try:
        revision = services.start_revision(agreement=agreement, user=request.user, request=request)
    except services.AgreementsError as exc:
        messages.error(request, str(exc))
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    messages.success(request, _("A new revision was started as a copy of the latest one."))
    return redirect("agreements:revision_edit", pk=revision.pk)


class RevisionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/revision_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        revision = access.get_revision_for_user(self.request, kwargs["pk"])
        context.update(
            revision=revision,
            agreement=revision.agreement,
            sections=revision.ordered_sections(),
            can_edit=access.can_edit_agreement(revision.agreement, self.request.user),
        )
        return context


class RevisionEditView(LockedEditMixin, AddRowFormsetMixin, ObjectFormView):
    """The terms and text sections of a revision nobody has signed yet.

    "Add section" (without JavaScript) shows the page again with one more row and saves nothing.
    Two people saving the same revision: the second gets the conflict page (``LockedEditMixin``).
    """

    template_name = "agreements/revision_edit.html"
    form_class = forms.RevisionForm
    formset_prefix = "sections"

    def get_object(self, queryset: Any = None) -> Revision:
        return access.get_revision_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        if self.object.can_edit():
            return None
        messages.error(
            self.request,
            _("Someone has already signed this revision; start a new revision to change it."),
        )
        return redirect("agreements:revision_detail", pk=self.object.pk)

    def get_formset(self, data: QueryDict | None) -> BaseFormSet:
        initial = [
            {"id": s.pk, "key": s.key, "heading": s.heading, "text": s.text}
            for s in self.object.ordered_sections()
        ]
        return forms.SectionFormSet(data, initial=initial, prefix=self.formset_prefix)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            formset=self.formset, agreement=self.object.agreement, **kwargs
        )

    def saved_state(self, obj: Any) -> State:
        return edit_state.revision_state(obj)

    def posted_state(self, form: BaseForm) -> State:
        return edit_state.posted_revision_state(
            form,
            self.formset.sections(),  # type: ignore[attr-defined]
        )

    def merged_form(self, state: State, saved: State, fresh: Any) -> BaseForm:
        initial, rows = edit_state.revision_initial(state, saved)
        # The sections the form shows again: their version with this user's changes on top.
        self.formset = forms.SectionFormSet(initial=rows, prefix=self.formset_prefix)
        self.formset.extra = 0
        return forms.RevisionForm(
            instance=fresh, initial={**initial, **self.lock_initial(fresh, saved)}
        )

    def perform(self, form: BaseForm) -> HttpResponse:
        services.update_revision(
            revision=self.object,
            fields=forms.service_values(form),
            sections=self.formset.sections(),  # type: ignore[attr-defined]
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The revision was saved."))
        return redirect("agreements:agreement_detail", pk=self.object.agreement_id)


class RevisionCompareView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/revision_compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agreement = access.get_agreement_for_user(self.request, kwargs["pk"])
        revisions = agreement.ordered_revisions()
        if len(revisions) < 2:
            context.update(agreement=agreement, revisions=revisions, rows=None)
            return context
        by_number = {str(r.number): r for r in revisions}
        old = by_number.get(self.request.GET.get("from", ""), revisions[-2])
        new = by_number.get(self.request.GET.get("to", ""), revisions[-1])
        context.update(
            agreement=agreement,
            revisions=revisions,
            old=old,
            new=new,
            rows=compare_revisions(old.ordered_sections(), new.ordered_sections()),
        )
        return context


class PartyCreateView(ObjectFormView):
    template_name = "agreements/party_form.html"
    form_class = forms.PartyForm
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> Revision:
        return access.get_revision_for_user(self.request, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(agreement=self.object.agreement, **kwargs)

    def perform(self, form: BaseForm) -> HttpResponse:
        services.add_party(
            revision=self.object,
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The party was added."))
        return redirect("agreements:agreement_detail", pk=self.object.agreement_id)


class SignatoryCreateView(ObjectFormView):
    template_name = "agreements/signatory_form.html"
    form_class = forms.SignatoryForm
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> Party:
        return access.get_party_for_user(self.request, self.kwargs["pk"], write=True)

    def perform(self, form: BaseForm) -> HttpResponse:
        services.add_signatory(
            party=self.object,
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The signatory was added."))
        return redirect("agreements:agreement_detail", pk=self.object.revision.agreement_id)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    signatory = access.get_signatory_for_user(request, pk, write=True)
    message_result(
        request,
        forms.SignForm(request.POST, revision=signatory.party.revision),
        partial(services.sign, signatory=signatory, user=request.user, request=request),
        _("The signature of %(name)s was recorded.") % {"name": signatory.name},
    )
    return redirect("agreements:agreement_detail", pk=signatory.party.revision.agreement_id)


@login_required
@require_POST
def originals_step(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request, pk, write=True)
    message_result(
        request,
        forms.OriginalsStepForm(request.POST),
        partial(
            services.record_originals_step, agreement=agreement, user=request.user, request=request
        ),
        _("The step was recorded."),
    )
    return redirect(reverse("agreements:agreement_detail", args=[agreement.pk]) + "#routing")


class AttachmentCreateView(ObjectFormView):
    template_name = "agreements/attachment_form.html"
    form_class = forms.AttachmentForm
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> Agreement:
        return access.get_agreement_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agreement": self.object}

    def perform(self, form: BaseForm) -> HttpResponse:
        services.add_attachment(
            agreement=self.object,
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The attachment was uploaded."))
        return redirect(
            reverse("agreements:agreement_detail", args=[self.object.pk]) + "#attachments"
        )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The attachment as a download, with the type its content was checked to be; a row whose
    file is gone (a restore, a storage move) is a 404, not an error."""
    attachment = access.get_attachment_for_user(request, pk)
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise Http404
    content_type = attachment.content_type or "application/octet-stream"
    if attachment.content_type:
        stem = slugify(attachment.title)[:60] or "bilaga"
        filename = f"{stem}-{attachment.pk}.{uploads.extension_for(content_type)}"
    else:
        filename = attachment.file.name.rsplit("/", 1)[-1]
    try:
        handle = services.open_attachment(attachment=attachment, user=request.user, request=request)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


class PlanItemCreateView(ObjectFormView):
    template_name = "agreements/plan_item_form.html"
    form_class = forms.PlanItemForm
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> Agreement:
        return access.get_agreement_for_user(self.request, self.kwargs["pk"], write=True)

    def get_initial(self) -> dict[str, Any]:
        return {"year": timezone.localdate().year, "kind": PlanItem.Kind.GOAL}

    def perform(self, form: BaseForm) -> HttpResponse:
        services.add_plan_item(
            agreement=self.object,
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The plan item was added."))
        return redirect(reverse("agreements:agreement_detail", args=[self.object.pk]) + "#plan")


class ReviewCreateView(ObjectFormView):
    """The steering group records its yearly review of the agreement in force: who, when, what
    was found and the next review. The form is on the agreement's page; this page shows it
    again when something is wrong."""

    template_name = "agreements/review_form.html"
    form_class = forms.ReviewForm
    once_per_submission = True
    context_object_name = "agreement"

    def get_object(self, queryset: Any = None) -> Agreement:
        return access.get_agreement_for_user(self.request, self.kwargs["pk"], write=True)

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {"reviewed_on": today, "next_review": plausibility.add_years(today, 1)}

    def perform(self, form: BaseForm) -> HttpResponse:
        services.record_review(
            agreement=self.object,
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The review was recorded."))
        return redirect(reverse("agreements:agreement_detail", args=[self.object.pk]) + "#reviews")
