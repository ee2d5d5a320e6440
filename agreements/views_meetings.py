"""Screens for bodies, members and meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agreements import access, documents, forms, overview, rules, services
from agreements.models import Assignment, Body, BodyMember, Meeting, Term
from agreements.views import LOG_PAGE_SIZE, FormPageMixin
from bus_portal import audit
from bus_portal.documents import document_response
from bus_portal.models import AuditAction


class BodyDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/body_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = access.get_body_for_user(self.request, kwargs["pk"])
        today = timezone.localdate()
        # Every meeting for the rules; the log shows the visible ones a page at a time.
        all_meetings = overview.body_meetings(self.request.user, [body])
        page = Paginator(overview.visible_log(all_meetings), LOG_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            body=body,
            agreement=body.agreement,
            members=body.members.select_related("unit__principal", "user").order_by(
                "role", "name", "id"
            ),
            meetings=page.object_list,
            page_obj=page,
            flags=overview.rule_flags([body], all_meetings, today),
            assignments=services.open_assignments_for(body),
            can_edit=access.can_edit_body(body, self.request.user),
            can_log=access.can_edit_meetings(body, self.request.user),
            today=today,
        )
        context["body_compliance"] = context["flags"]["compliance"][body.pk]
        context["body_repeated"] = context["flags"]["repeated"][body.pk]
        return context


class BodyFormView(FormPageMixin, View):
    template_name = "agreements/body_form.html"

    def setup_objects(self):
        if "agreement_pk" in self.kwargs:
            self.agreement = access.get_agreement_for_user(
                self.request, self.kwargs["agreement_pk"], write=True
            )
            self.body = Body(agreement=self.agreement)
        else:
            self.body = access.get_body_for_user(self.request, self.kwargs["pk"], write=True)
            self.agreement = self.body.agreement

    def get_form(self, data=None, files=None):
        return forms.BodyForm(data, instance=self.body, agreement=self.agreement)

    def act(self, form):
        body = services.save_body(
            body=form.save(commit=False), user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The body was saved."))
        return redirect("agreements:body_detail", pk=body.pk)

    def context(self, **kwargs):
        return {**kwargs, "body": self.body, "agreement": self.agreement}


class MemberFormView(FormPageMixin, View):
    template_name = "agreements/member_form.html"

    def setup_objects(self):
        if "body_pk" in self.kwargs:
            self.body = access.get_body_for_user(self.request, self.kwargs["body_pk"], write=True)
            self.member = BodyMember(body=self.body)
        else:
            member = get_object_or_404(BodyMember, pk=self.kwargs["pk"])
            self.body = access.get_body_for_user(self.request, member.body_id, write=True)
            self.member = member

    def get_form(self, data=None, files=None):
        return forms.BodyMemberForm(data, instance=self.member)

    def act(self, form):
        services.save_member(
            member=form.save(commit=False), user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The member was saved."))
        return redirect("agreements:body_detail", pk=self.body.pk)

    def context(self, **kwargs):
        return {**kwargs, "body": self.body, "member": self.member}


def _meeting_input(form, formset) -> services.MeetingInput:
    data = form.cleaned_data
    return services.MeetingInput(
        held_on=data["held_on"],
        place=data["place"],
        host_principal=data["host_principal"],
        chair=data.get("chair"),
        convenor=data.get("convenor"),
        minutes=data.get("minutes", ""),
        attendees=list(data.get("attendees") or []),
        guests=data.get("guests") or [],
        agenda=data.get("agenda") or [],
        decisions=data.get("decisions") or [],
        focus_areas=data.get("focus_areas") or [],
        assignments=[
            services.AssignmentInput(
                title=f.cleaned_data["title"],
                body=f.cleaned_data["body"],
                owner=f.cleaned_data.get("owner", ""),
                due_on=f.cleaned_data.get("due_on"),
            )
            for f in formset.forms
            if f.has_changed() and f.cleaned_data and f.cleaned_data.get("title")
        ],
    )


class MeetingFormView(LoginRequiredMixin, View):
    """Log a meeting in one screen: the chair fills what happened and saves."""

    template_name = "agreements/meeting_form.html"

    def setup_objects(self):
        if "body_pk" in self.kwargs:
            self.body = access.get_body_for_meetings(self.request, self.kwargs["body_pk"])
            self.meeting = None
        else:
            self.meeting = access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)
            self.body = self.meeting.body
            if not self.meeting.can_be_edited():
                return redirect("agreements:meeting_detail", pk=self.meeting.pk)
        return None

    def initial(self):
        if self.meeting is None:
            own = BodyMember.objects.filter(body=self.body, user=self.request.user).first()
            members = [
                m
                for m in self.body.members.select_related("unit")
                if m.is_active_on(timezone.localdate())
            ]
            principal = own.unit.principal_id if own and own.unit_id else None
            return {
                "held_on": timezone.localdate(),
                "chair": own,
                "convenor": own,
                "host_principal": principal,
                "attendees": members,
            }
        m = self.meeting
        decisions = list(m.decisions.order_by("position", "id"))
        return {
            "held_on": m.held_on,
            "place": m.place,
            "host_principal": m.host_principal_id,
            "chair": m.chair_id,
            "convenor": m.convenor_id,
            "attendees": [a.member_id for a in m.attendees.all() if a.member_id],
            "guests": "\n".join(
                f"{a.guest_name}, {a.guest_organisation}" if a.guest_organisation else a.guest_name
                for a in m.attendees.all()
                if not a.member_id
            ),
            "agenda": "\n".join(
                a.title for a in m.agenda_items.filter(source="").order_by("position", "id")
            ),
            "minutes": m.minutes,
            "decisions": "\n".join(d.text for d in decisions if not d.is_focus_area),
            "focus_areas": "\n".join(d.text for d in decisions if d.is_focus_area),
        }

    def forms(self, data=None):
        if data is not None and "add_row" in data:
            data = data.copy()
            data["assignments-TOTAL_FORMS"] = str(
                forms.bumped_total(data.get("assignments-TOTAL_FORMS"))
            )
        form = forms.MeetingForm(data, body=self.body, initial=self.initial())
        formset = forms.AssignmentFormSet(
            data, prefix="assignments", form_kwargs={"body": self.body}
        )
        return form, formset

    def render(self, form, formset):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "body": self.body,
                "meeting": self.meeting,
                "carried": services.open_assignments_for(self.body)
                if self.meeting is None
                else None,
                **self.rule_hints(),
            },
        )

    def rule_hints(self) -> dict:
        """What the rules say while the chair is logging: this term's count and the last chair."""
        today = timezone.localdate()
        previous = (
            Meeting.objects.filter(body=self.body)
            .exclude(pk=self.meeting.pk if self.meeting else None)
            .select_related("host_principal", "chair__unit__principal")
            .order_by("-held_on", "-id")
            .first()
        )
        held = Meeting.objects.filter(body=self.body).in_term(Term.of(today)).count()
        return {
            "last_meeting": previous,
            "term_compliance": rules.TermCompliance(
                term=Term.of(today), held=held, required=self.body.min_meetings_per_term
            ),
        }

    def get(self, request, *args, **kwargs):
        response = self.setup_objects()
        if response:
            return response
        return self.render(*self.forms())

    def post(self, request, *args, **kwargs):
        response = self.setup_objects()
        if response:
            return response
        form, formset = self.forms(request.POST)
        if "add_row" in request.POST:
            return self.render(form, formset)
        if form.is_valid() and formset.is_valid():
            data = _meeting_input(form, formset)
            try:
                if self.meeting is None:
                    meeting = services.create_meeting(
                        body=self.body, data=data, user=request.user, request=request
                    )
                    messages.success(
                        request,
                        _("The meeting was logged. Open assignments were added to the agenda."),
                    )
                else:
                    meeting = services.update_meeting(
                        meeting=self.meeting, data=data, user=request.user, request=request
                    )
                    messages.success(request, _("The meeting was saved."))
                return redirect("agreements:meeting_detail", pk=meeting.pk)
            except services.AgreementsError as exc:
                form.add_error(None, str(exc))
        return self.render(form, formset)


class MeetingDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = access.get_meeting_for_user(self.request, kwargs["pk"])
        can_edit = access.can_edit_meeting(meeting, self.request.user)
        agenda, decisions = overview.agenda_and_decisions(meeting)
        context.update(
            meeting=meeting,
            body=meeting.body,
            attendees=meeting.attendees.select_related("member__unit__principal"),
            agenda=agenda,
            decisions=decisions,
            assignments=meeting.assignments.select_related("body").order_by("due_on", "id"),
            addenda=meeting.addenda.select_related("created_by"),
            can_edit=can_edit,
            check_form=forms.CheckMinutesForm(initial={"checked_on": timezone.localdate()}),
            addendum_form=forms.AddendumForm(),
            status_form=forms.AssignmentStatusForm(),
            events=audit.events_for(meeting)[:20] if can_edit else None,
        )
        return context


class MeetingCheckView(FormPageMixin, View):
    template_name = "agreements/meeting_check.html"

    def setup_objects(self):
        self.meeting = access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form(self, data=None, files=None):
        return forms.CheckMinutesForm(data, initial={"checked_on": timezone.localdate()})

    def act(self, form):
        services.check_minutes(
            meeting=self.meeting, user=self.request.user, request=self.request, **form.cleaned_data
        )
        messages.success(self.request, _("The minutes were checked."))
        return redirect("agreements:meeting_detail", pk=self.meeting.pk)

    def context(self, **kwargs):
        return {**kwargs, "meeting": self.meeting}


class MeetingPublishView(LoginRequiredMixin, View):
    """GET asks for confirmation (publishing cannot be undone); POST publishes."""

    def get(self, request, pk):
        meeting = access.get_meeting_for_user(request, pk, write=True)
        return render(
            request,
            "agreements/meeting_publish.html",
            {"meeting": meeting, "missing": meeting.can_be_published()},
        )

    def post(self, request, pk):
        meeting = access.get_meeting_for_user(request, pk, write=True)
        try:
            services.publish_minutes(meeting=meeting, user=request.user, request=request)
            messages.success(request, _("The minutes were published."))
        except services.AgreementsError as exc:
            messages.error(request, str(exc))
        return redirect("agreements:meeting_detail", pk=meeting.pk)


class MeetingAddendumView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        meeting = access.get_meeting_for_user(request, pk, write=True)
        form = forms.AddendumForm(request.POST)
        if form.is_valid():
            try:
                services.add_addendum(
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    user=request.user,
                    request=request,
                )
                messages.success(request, _("The addendum was added."))
            except services.AgreementsError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, _("Write the correction."))
        return redirect("agreements:meeting_detail", pk=meeting.pk)


class MeetingRefreshAgendaView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        meeting = access.get_meeting_for_user(request, pk, write=True)
        try:
            added = services.refresh_agenda(meeting=meeting, user=request.user, request=request)
            messages.success(request, _("%(n)s new agenda items were added.") % {"n": added})
        except services.AgreementsError as exc:
            messages.error(request, str(exc))
        return redirect("agreements:meeting_detail", pk=meeting.pk)


class MeetingPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        meeting = access.get_meeting_for_user(request, pk)
        doc = documents.minutes_pdf(meeting)
        audit.record(
            user=request.user,
            action=AuditAction.PRINT,
            obj=meeting,
            purpose=_("Minutes PDF"),
            request=request,
        )
        return document_response(doc)


class AssignmentUpdateView(LoginRequiredMixin, View):
    """Members of either body (the one that gave it or the one it went to) move an assignment on."""

    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_object_or_404(Assignment.objects.select_related("meeting", "body"), pk=pk)
        meeting = access.get_meeting_for_user(request, assignment.meeting_id)
        if not (
            access.can_edit_meetings(assignment.body, request.user)
            or access.can_edit_meetings(meeting.body, request.user)
        ):
            raise PermissionDenied
        form = forms.AssignmentStatusForm(request.POST)
        if form.is_valid():
            try:
                services.update_assignment(
                    assignment=assignment, user=request.user, request=request, **form.cleaned_data
                )
                messages.success(request, _("The assignment was updated."))
            except services.AgreementsError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, _("Choose a status."))
        target = request.POST.get("next", "")
        if target.startswith("/") and not target.startswith("//"):
            return redirect(target)
        return redirect(reverse("agreements:body_detail", args=[assignment.body_id]))
