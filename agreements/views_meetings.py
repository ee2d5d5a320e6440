"""Screens for bodies, members and meetings."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, UpdateView

from agreements import access, forms, overview, rules, services
from agreements.models import Body, BodyMember, Meeting, Term
from agreements.views import LOG_PAGE_SIZE, AddRowFormsetMixin, ObjectFormView, message_result
from bus_portal import audit
from bus_portal.documents import document_response
from bus_portal.pagination import open_ended_page
from bus_portal.views_generic import ServiceFormMixin


class BodyDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/body_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        body = access.get_body_for_user(self.request, kwargs["pk"])
        today = timezone.localdate()
        # Every meeting for the rules; the log shows the visible ones a page at a time.
        all_meetings = overview.body_meetings(self.request.user, [body])
        page = open_ended_page(self.request, overview.visible_log(all_meetings), LOG_PAGE_SIZE)
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


class BodyFormView(ServiceFormMixin, UpdateView):
    """Add a body under an agreement (``agreement_pk``) or edit one (``pk``): the agreement's editors."""

    template_name = "agreements/body_form.html"
    form_class = forms.BodyForm

    def get_object(self, queryset: Any = None) -> Body:
        if "agreement_pk" in self.kwargs:
            agreement = access.get_agreement_for_user(
                self.request, self.kwargs["agreement_pk"], write=True
            )
            return Body(agreement=agreement)
        return access.get_body_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agreement": self.object.agreement}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(agreement=self.object.agreement, **kwargs)

    def perform(self, form: BaseForm) -> HttpResponse:
        body = services.save_body(
            body=form.save(commit=False), user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The body was saved."))
        return redirect("agreements:body_detail", pk=body.pk)


class MemberFormView(ServiceFormMixin, UpdateView):
    """Add a member to a body (``body_pk``) or edit one (``pk``): the agreement's editors."""

    template_name = "agreements/member_form.html"
    form_class = forms.BodyMemberForm
    context_object_name = "member"

    def get_object(self, queryset: Any = None) -> BodyMember:
        if "body_pk" in self.kwargs:
            body = access.get_body_for_user(self.request, self.kwargs["body_pk"], write=True)
            return BodyMember(body=body)
        return access.get_member_for_user(self.request, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(body=self.object.body, **kwargs)

    def perform(self, form: BaseForm) -> HttpResponse:
        services.save_member(
            member=form.save(commit=False), user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The member was saved."))
        return redirect("agreements:body_detail", pk=self.object.body_id)


# Meetings ------------------------------------------------------------------------------------


class MeetingFormView(AddRowFormsetMixin, ObjectFormView):
    """Log a meeting in one screen: the chair fills in what happened and saves.

    The meeting form and a formset of new assignments; "add row" (without JavaScript) shows the
    page again with one more row and saves nothing.
    """

    template_name = "agreements/meeting_form.html"
    form_class = forms.MeetingForm
    formset_prefix = "assignments"

    @property
    def body(self) -> Body:
        raise NotImplementedError

    @property
    def meeting(self) -> Meeting | None:
        return None

    def save(self, data: services.MeetingInput) -> Meeting:
        raise NotImplementedError

    def get_formset(self, data: QueryDict | None) -> BaseFormSet:
        return forms.AssignmentFormSet(
            data, prefix=self.formset_prefix, form_kwargs={"body": self.body}
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "body": self.body}

    def perform(self, form: forms.MeetingForm) -> HttpResponse:  # type: ignore[override]
        meeting = self.save(form.meeting_input(self.formset))
        return redirect("agreements:meeting_detail", pk=meeting.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            formset=self.formset,
            body=self.body,
            meeting=self.meeting,
            carried=services.open_assignments_for(self.body) if self.meeting is None else None,
            **self.rule_hints(),
            **kwargs,
        )

    def rule_hints(self) -> dict[str, Any]:
        """What the rules say while the chair is logging: this term's count and the last chair."""
        term = Term.of(timezone.localdate())
        previous = (
            Meeting.objects.filter(body=self.body)
            .exclude(pk=self.meeting.pk if self.meeting else None)
            .select_related("host_principal", "chair__unit__principal")
            .order_by("-held_on", "-id")
            .first()
        )
        held = Meeting.objects.filter(body=self.body).in_term(term).count()
        return {
            "last_meeting": previous,
            "term_compliance": rules.TermCompliance(
                term=term, held=held, required=self.body.min_meetings_per_term
            ),
        }


class MeetingCreateView(MeetingFormView):
    """A member of the body logs a new meeting; open assignments go on its agenda."""

    def get_object(self, queryset: Any = None) -> Body:
        return access.get_body_for_meetings(self.request, self.kwargs["body_pk"])

    @property
    def body(self) -> Body:
        return self.object

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        own = BodyMember.objects.filter(body=self.body, user=self.request.user).first()
        members = [m for m in self.body.members.select_related("unit") if m.is_active_on(today)]
        return {
            "held_on": today,
            "chair": own,
            "convenor": own,
            "host_principal": own.unit.principal_id if own and own.unit_id else None,
            "attendees": members,
        }

    def save(self, data: services.MeetingInput) -> Meeting:
        meeting = services.create_meeting(
            body=self.body, data=data, user=self.request.user, request=self.request
        )
        messages.success(
            self.request, _("The meeting was logged. Open assignments were added to the agenda.")
        )
        return meeting


class MeetingEditView(MeetingFormView):
    """A member of the body corrects a meeting while its minutes are a draft."""

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    @property
    def body(self) -> Body:
        return self.object.body

    @property
    def meeting(self) -> Meeting:
        return self.object

    def unavailable(self) -> HttpResponse | None:
        # Checked or published minutes are changed by an addendum, from the meeting's page.
        if not self.meeting.can_edit():
            return redirect("agreements:meeting_detail", pk=self.meeting.pk)
        return None

    def get_initial(self) -> dict[str, Any]:
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

    def save(self, data: services.MeetingInput) -> Meeting:
        meeting = services.update_meeting(
            meeting=self.meeting, data=data, user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The meeting was saved."))
        return meeting


class MeetingDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
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


class MeetingCheckView(ObjectFormView):
    """Justering: a named checker confirms the minutes, which are then frozen."""

    template_name = "agreements/meeting_check.html"
    form_class = forms.CheckMinutesForm

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    def get_initial(self) -> dict[str, Any]:
        return {"checked_on": timezone.localdate()}

    def perform(self, form: BaseForm) -> HttpResponse:
        services.check_minutes(
            meeting=self.object, user=self.request.user, request=self.request, **form.cleaned_data
        )
        messages.success(self.request, _("The minutes were checked."))
        return redirect("agreements:meeting_detail", pk=self.object.pk)


class MeetingPublishView(LoginRequiredMixin, TemplateView):
    """Publishing cannot be undone: GET asks for confirmation, POST publishes."""

    template_name = "agreements/meeting_publish.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = access.get_meeting_for_user(self.request, kwargs["pk"], write=True)
        return super().get_context_data(
            meeting=meeting, missing=meeting.missing_for_publishing(), **kwargs
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = access.get_meeting_for_user(request, pk, write=True)
        try:
            services.publish_minutes(meeting=meeting, user=request.user, request=request)
        except services.AgreementsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The minutes were published."))
        return redirect("agreements:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request, pk, write=True)
    message_result(
        request,
        forms.AddendumForm(request.POST),
        partial(services.add_addendum, meeting=meeting, user=request.user, request=request),
        _("The addendum was added."),
    )
    return redirect("agreements:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_refresh_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request, pk, write=True)
    try:
        added = services.refresh_agenda(meeting=meeting, user=request.user, request=request)
    except services.AgreementsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s new agenda items were added.") % {"n": added})
    return redirect("agreements:meeting_detail", pk=meeting.pk)


@login_required
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request, pk)
    return document_response(
        services.export_minutes_pdf(meeting=meeting, user=request.user, request=request)
    )


@login_required
@require_POST
def assignment_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of either body (the one that gave it or the one it went to) move an assignment on."""
    assignment = access.get_assignment_for_user(request, pk, write=True)
    message_result(
        request,
        forms.AssignmentStatusForm(request.POST),
        partial(
            services.update_assignment, assignment=assignment, user=request.user, request=request
        ),
        _("The assignment was updated."),
    )
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("agreements:body_detail", pk=assignment.body_id)
