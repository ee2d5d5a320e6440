"""Revisions, parties and signatures, originals routing, attachments and the BUS plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agreements import access, forms, services
from agreements.diff import compare_revisions
from agreements.models import (
    Attachment,
    Party,
    PlanItem,
    Revision,
    Signatory,
)
from agreements.views import FormPageMixin
from bus_portal import audit
from bus_portal.models import AuditAction


class RevisionCreateView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        agreement = access.get_agreement_for_user(request, pk, write=True)
        try:
            revision = services.start_revision(
                agreement=agreement, user=request.user, request=request
            )
        except services.AgreementsError as exc:
            messages.error(request, str(exc))
            return redirect("agreements:agreement_detail", pk=agreement.pk)
        messages.success(request, _("A new revision was started as a copy of the latest one."))
        return redirect("agreements:revision_edit", pk=revision.pk)


def _revision_for_user(request, pk, *, write=False) -> Revision:
    revision = get_object_or_404(Revision.objects.only("id", "agreement_id"), pk=pk)
    agreement = access.get_agreement_for_user(request, revision.agreement_id, write=write)
    for candidate in agreement.revisions.all():
        if candidate.pk == revision.pk:
            candidate.agreement = agreement
            return candidate
    raise Http404


class RevisionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/revision_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = _revision_for_user(self.request, kwargs["pk"])
        context.update(
            revision=revision,
            agreement=revision.agreement,
            sections=revision.sections.order_by("position", "id"),
            can_edit=access.can_edit_agreement(revision.agreement, self.request.user),
        )
        return context


class RevisionEditView(FormPageMixin, View):
    template_name = "agreements/revision_edit.html"

    def setup_objects(self):
        self.revision = _revision_for_user(self.request, self.kwargs["pk"], write=True)
        if self.revision.is_locked:
            messages.error(
                self.request,
                _("Someone has already signed this revision; start a new revision to change it."),
            )
            raise _Redirect(reverse("agreements:revision_detail", args=[self.revision.pk]))

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except _Redirect as exc:
            return redirect(exc.url)

    def get_form(self, data=None, files=None):
        initial = [
            {"key": s.key, "heading": s.heading, "text": s.text}
            for s in self.revision.sections.order_by("position", "id")
        ]
        if data is not None and "add_row" in data:
            data = data.copy()
            data["sections-TOTAL_FORMS"] = str(forms.bumped_total(data.get("sections-TOTAL_FORMS")))
        self.formset = forms.SectionFormSet(data, initial=initial, prefix="sections")
        return forms.RevisionForm(data, instance=self.revision)

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = self.get_form(request.POST)
        if "add_row" in request.POST:
            return self.render(form)
        if form.is_valid() and self.formset.is_valid():
            sections = []
            for sub in self.formset.forms:
                if not sub.has_changed() and not sub.initial:
                    continue
                data = sub.cleaned_data
                if not data:
                    continue
                sections.append({**data, "delete": data.get("DELETE", False)})
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.update_revision(
                    revision=self.revision,
                    fields=fields,
                    sections=sections,
                    user=request.user,
                    request=request,
                )
            except services.AgreementsError as exc:
                form.add_error(None, str(exc))
                return self.render(form)
            messages.success(request, _("The revision was saved."))
            return redirect("agreements:agreement_detail", pk=self.revision.agreement_id)
        return self.render(form)

    def context(self, **kwargs):
        return {
            **kwargs,
            "revision": self.revision,
            "formset": self.formset,
            "agreement": self.revision.agreement,
        }


class _Redirect(Exception):
    def __init__(self, url):
        self.url = url


class RevisionCompareView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/revision_compare.html"

    def get_context_data(self, **kwargs):
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
            rows=compare_revisions(
                list(old.sections.order_by("position", "id")),
                list(new.sections.order_by("position", "id")),
            ),
        )
        return context


class PartyCreateView(FormPageMixin, View):
    template_name = "agreements/party_form.html"

    def setup_objects(self):
        self.revision = _revision_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form(self, data=None, files=None):
        return forms.PartyForm(data)

    def act(self, form):
        services.add_party(
            revision=self.revision,
            user=self.request.user,
            request=self.request,
            **form.cleaned_data,
        )
        messages.success(self.request, _("The party was added."))
        return redirect("agreements:agreement_detail", pk=self.revision.agreement_id)

    def context(self, **kwargs):
        return {**kwargs, "revision": self.revision, "agreement": self.revision.agreement}


def _party_for_user(request, pk) -> Party:
    party = get_object_or_404(Party.objects.select_related("revision", "principal"), pk=pk)
    access.get_agreement_for_user(request, party.revision.agreement_id, write=True)
    return party


class SignatoryCreateView(FormPageMixin, View):
    template_name = "agreements/signatory_form.html"

    def setup_objects(self):
        self.party = _party_for_user(self.request, self.kwargs["pk"])

    def get_form(self, data=None, files=None):
        return forms.SignatoryForm(data)

    def act(self, form):
        services.add_signatory(
            party=self.party, user=self.request.user, request=self.request, **form.cleaned_data
        )
        messages.success(self.request, _("The signatory was added."))
        return redirect("agreements:agreement_detail", pk=self.party.revision.agreement_id)

    def context(self, **kwargs):
        return {**kwargs, "party": self.party}


class SignView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        signatory = get_object_or_404(Signatory.objects.select_related("party__revision"), pk=pk)
        agreement = access.get_agreement_for_user(
            request, signatory.party.revision.agreement_id, write=True
        )
        form = forms.SignForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                services.sign(
                    signatory=signatory,
                    signed_on=form.cleaned_data["signed_on"],
                    user=request.user,
                    request=request,
                )
                messages.success(
                    request, _("The signature of %(name)s was recorded.") % {"name": signatory.name}
                )
            except services.AgreementsError as exc:
                messages.error(request, str(exc))
        return redirect("agreements:agreement_detail", pk=agreement.pk)


class OriginalsStepView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        agreement = access.get_agreement_for_user(request, pk, write=True)
        form = forms.OriginalsStepForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                services.record_originals_step(
                    agreement=agreement, user=request.user, request=request, **form.cleaned_data
                )
                messages.success(request, _("The step was recorded."))
            except services.AgreementsError as exc:
                messages.error(request, str(exc))
        return redirect(reverse("agreements:agreement_detail", args=[agreement.pk]) + "#routing")


class AttachmentCreateView(FormPageMixin, View):
    template_name = "agreements/attachment_form.html"

    def setup_objects(self):
        self.agreement = access.get_agreement_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form(self, data=None, files=None):
        return forms.AttachmentForm(data, files, agreement=self.agreement)

    def act(self, form):
        services.add_attachment(
            agreement=self.agreement,
            user=self.request.user,
            request=self.request,
            **form.cleaned_data,
        )
        messages.success(self.request, _("The attachment was uploaded."))
        return redirect("agreements:agreement_detail", pk=self.agreement.pk)

    def context(self, **kwargs):
        return {**kwargs, "agreement": self.agreement}


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        access.get_agreement_for_user(request, attachment.agreement_id)
        audit.record(
            user=request.user,
            action=AuditAction.EXPORT,
            obj=attachment,
            purpose=_("Attachment downloaded"),
            request=request,
        )
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.file.name.rsplit("/", 1)[-1],
        )
        response["Cache-Control"] = "no-store, private"
        return response


class PlanItemCreateView(FormPageMixin, View):
    template_name = "agreements/plan_item_form.html"

    def setup_objects(self):
        self.agreement = access.get_agreement_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form(self, data=None, files=None):
        return forms.PlanItemForm(
            data, initial={"year": timezone.localdate().year, "kind": PlanItem.Kind.GOAL}
        )

    def act(self, form):
        services.add_plan_item(
            agreement=self.agreement,
            user=self.request.user,
            request=self.request,
            **form.cleaned_data,
        )
        messages.success(self.request, _("The plan item was added."))
        return redirect(reverse("agreements:agreement_detail", args=[self.agreement.pk]) + "#plan")

    def context(self, **kwargs):
        return {**kwargs, "agreement": self.agreement}


class ReviewView(LoginRequiredMixin, View):
    """The steering group records its yearly review of the agreement in force."""

    http_method_names = ["post"]

    def post(self, request, pk):
        agreement = access.get_agreement_for_user(request, pk, write=True)
        form = forms.ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                services.record_review(
                    agreement=agreement, user=request.user, request=request, **form.cleaned_data
                )
                messages.success(request, _("The review was recorded."))
            except services.AgreementsError as exc:
                messages.error(request, str(exc))
        return redirect("agreements:agreement_detail", pk=agreement.pk)
