"""Screens for agreements, bodies and meetings; actions are small POST-only views."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agreements import access, documents, forms, overview, services
from agreements.models import (
    Agreement,
    Assignment,
    Body,
    BodyMember,
    LocalGroup,
    Term,
)
from agreements.models.agreements import current_revision_annotations, take_status_fields
from bus_portal import audit
from bus_portal.documents import document_response
from bus_portal.models import AuditAction

# Meetings per page of a meeting log: a body meets a few times a term, for many years.
LOG_PAGE_SIZE = 25
# Local groups per page of the county overview: a county of a few dozen fits on one page, the
# country (hundreds) does not.
OVERVIEW_PAGE_SIZE = 50


class FormPageMixin(LoginRequiredMixin):
    """GET shows the form; POST validates, calls ``act`` and redirects, or re-renders with errors."""

    template_name = ""

    def get_form(self, data=None, files=None):
        raise NotImplementedError

    def act(self, form):
        raise NotImplementedError

    def context(self, **kwargs):
        return kwargs

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                return self.act(form)
            except services.AgreementsError as exc:
                form.add_error(None, str(exc))
        return self.render(form)

    def setup_objects(self):
        pass

    def render(self, form):
        from django.shortcuts import render

        return render(self.request, self.template_name, self.context(form=form))


# County overview and groups ------------------------------------------------------------------


class CountyOverviewView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.OverviewFilterForm(self.request.GET or None)
        area = status = None
        if form.is_valid():
            area = form.cleaned_data["area"]
            status = form.cleaned_data["status"]
        county, entries = overview.group_statuses(area=area, status=status or "")
        # A page of groups at a time: at national scale the table has hundreds of rows.
        page = Paginator(entries, OVERVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            rows=overview.group_rows(page.object_list),
            group_count=len(entries),
            page_obj=page,
            query_string=query.urlencode(),
            county=county,
            term=Term.of(timezone.localdate()),
        )
        return context


def _group_for_user(request, pk) -> LocalGroup:
    return get_object_or_404(LocalGroup.objects.prefetch_related("areas", "principals"), pk=pk)


class GroupDetailView(LoginRequiredMixin, TemplateView):
    """A group's agreement, bodies, rules, open assignments and meeting log in a fixed number of queries."""

    template_name = "agreements/group_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The agreement's status comes annotated on the group row (no revisions prefetched).
        group = get_object_or_404(
            LocalGroup.objects.select_related("agreement").annotate(
                **current_revision_annotations("agreement")
            ),
            pk=kwargs["pk"],
        )
        today = timezone.localdate()
        try:
            agreement = take_status_fields(group.agreement, group)
        except Agreement.DoesNotExist:
            agreement = None
        bodies = []
        if agreement:
            bodies = list(
                agreement.bodies.select_related("parent")
                .annotate(user_is_member=access.is_member_expression(user))
                .prefetch_related(
                    Prefetch(
                        "members",
                        queryset=BodyMember.objects.select_related(
                            "unit__principal", "user"
                        ).order_by("role", "name"),
                    )
                )
                .order_by("position", "id")
            )
        all_meetings = overview.body_meetings(user, bodies) if bodies else []
        term = Term.parse(self.request.GET.get("term", ""))
        page = Paginator(overview.visible_log(all_meetings, term), LOG_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        areas, principals = overview.group_names(group)
        context.update(
            group=group,
            areas=areas,
            principals=principals,
            agreement=agreement,
            bodies=bodies,
            meetings=page.object_list,
            page_obj=page,
            query_string=f"term={term.code}" if term else "",
            selected_term=term,
            terms=sorted({m.term for m in all_meetings}, reverse=True),
            flags=overview.rule_flags(bodies, all_meetings, today),
            assignments=Assignment.objects.open()
            .filter(body__in=bodies)
            .select_related("body", "meeting__body")
            .order_by("due_on", "id")
            if bodies
            else [],
            can_create=agreement is None
            and (access.is_admin(user) or access.is_steering_member(user, group)),
            missing=list(
                overview.rules.missing_services(
                    m.unit.service_type
                    for b in bodies
                    for m in b.active_members(today)
                    if m.unit_id
                )
            ),
            today=today,
        )
        context["missing_labels"] = [
            str(overview.REQUIRED_REPRESENTATION_LABELS[key]) for key in context["missing"]
        ]
        return context


class GroupMeetingsCsvView(LoginRequiredMixin, View):
    def get(self, request, pk):
        group = _group_for_user(request, pk)
        bodies = list(Body.objects.filter(agreement__local_group=group))
        term = Term.parse(request.GET.get("term", ""))
        meetings = overview.meeting_log(request.user, bodies, term=term)
        doc = documents.meetings_csv(group, meetings, term)
        audit.record(
            user=request.user,
            action=AuditAction.EXPORT,
            obj=group,
            purpose=_("Meetings CSV"),
            request=request,
        )
        return document_response(doc)


class AgreementCreateView(FormPageMixin, View):
    template_name = "agreements/agreement_create.html"

    def setup_objects(self):
        self.group = _group_for_user(self.request, self.kwargs["pk"])
        if not (
            access.is_admin(self.request.user)
            or access.is_steering_member(self.request.user, self.group)
        ):
            raise PermissionDenied
        if Agreement.objects.filter(local_group=self.group).exists():
            raise PermissionDenied

    def get_form(self, data=None, files=None):
        return forms.AgreementCreateForm(
            data, initial={"title": _("Local BUS agreement for %(g)s") % {"g": self.group.name}}
        )

    def act(self, form):
        agreement = services.create_local_agreement(
            local_group=self.group,
            title=form.cleaned_data["title"],
            template=form.cleaned_data["template"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The agreement was created. Fill in the first revision."))
        return redirect("agreements:agreement_detail", pk=agreement.pk)

    def context(self, **kwargs):
        return {**kwargs, "group": self.group}


# Agreements and revisions --------------------------------------------------------------------


class AgreementDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = access.get_agreement_for_user(self.request, kwargs["pk"])
        current = agreement.current_revision or agreement.latest_revision
        sections = list(current.sections.all()) if current else []
        can_edit = access.can_edit_agreement(agreement, self.request.user)
        routing = {}
        if agreement.is_county:
            for step in agreement.originals_steps.select_related("principal").order_by(
                "principal__name", "step"
            ):
                routing.setdefault(step.principal, []).append(step)
        context.update(
            agreement=agreement,
            current=current,
            draft=agreement.draft_revision,
            sections=sections,
            revisions=list(reversed(agreement.ordered_revisions())),
            attachments=agreement.attachments.select_related("revision").order_by(
                "-uploaded_at", "id"
            ),
            plan_items=agreement.plan_items.select_related("meeting__body").order_by(
                "-year", "kind", "id"
            ),
            bodies=agreement.bodies.select_related("parent").order_by("position", "id"),
            can_edit=can_edit,
            routing=routing,
            routing_steps=[(value, label) for value, label in forms.OriginalsStep.Step.choices],
            routing_form=forms.OriginalsStepForm() if can_edit and agreement.is_county else None,
            sign_form=forms.SignForm(initial={"signed_on": timezone.localdate()}),
            review_form=forms.ReviewForm(
                initial={
                    "reviewed_on": timezone.localdate(),
                    "next_review": timezone.localdate() + datetime.timedelta(days=365),
                }
            )
            if can_edit and current is not None and current.is_fully_signed
            else None,
            today=timezone.localdate(),
        )
        return context


class AgreementPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        agreement = access.get_agreement_for_user(request, pk)
        doc = documents.agreement_pdf(agreement)
        audit.record(
            user=request.user,
            action=AuditAction.PRINT,
            obj=agreement,
            purpose=_("Agreement PDF"),
            request=request,
        )
        return document_response(doc)
