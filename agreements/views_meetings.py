"""Screens for meetings: logging and correcting one, deleting or withdrawing it, its addenda,
its page, publishing its minutes and moving its assignments on."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from agreements import access, edit_state, forms, overview, rules, services
from agreements.models import Body, BodyMember, Meeting, Term
from agreements.views import (
    AddRowFormsetMixin,
    ConfirmRemoveView,
    LockedEditMixin,
    ObjectFormView,
    message_result,
)
from agreements.views_notices import notice_context
from bus_portal import audit
from bus_portal.concurrency import State
from bus_portal.documents import document_response


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
        return {
            **super().get_form_kwargs(),
            "body": self.body,
            "editing": self.meeting is not None,
        }

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
            Meeting.objects.counted()
            .filter(body=self.body)
            .exclude(pk=self.meeting.pk if self.meeting else None)
            .select_related("host_principal", "chair__unit__principal")
            .order_by("-held_on", "-id")
            .first()
        )
        held = Meeting.objects.counted().filter(body=self.body).in_term(term).count()
        return {
            "last_meeting": previous,
            "term_compliance": rules.TermCompliance(
                term=term, held=held, required=self.body.min_meetings_per_term
            ),
        }


class MeetingCreateView(MeetingFormView):
    """A member of the body logs a new meeting; open assignments go on its agenda. Sent twice,
    the form logs it once."""

    once_per_submission = True

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


class MeetingEditView(LockedEditMixin, MeetingFormView):
    """A member of the body corrects a meeting while its minutes are a draft.

    Two members saving the same minutes: the second save is refused (409) with what the first
    changed and the form holding both (``LockedEditMixin``).
    """

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    def saved_state(self, obj: Any) -> State:
        return edit_state.meeting_state(obj)

    def posted_state(self, form: BaseForm) -> State:
        return edit_state.posted_meeting_state(form)

    def merged_form(self, state: State, saved: State, fresh: Any) -> BaseForm:
        return forms.MeetingForm(
            body=self.body,
            editing=True,
            initial={**edit_state.meeting_initial(state), **self.lock_initial(fresh, saved)},
        )

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
        saved = edit_state.meeting_state(self.meeting)
        return {**edit_state.meeting_initial(saved), **self.lock_initial(self.meeting, saved)}

    def perform(self, form: forms.MeetingForm) -> HttpResponse:  # type: ignore[override]
        services.update_meeting(
            meeting=self.meeting,
            data=form.meeting_input(self.formset),
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The meeting was saved."))
        return redirect("agreements:meeting_detail", pk=self.meeting.pk)


class MeetingDeleteView(ConfirmRemoveView):
    """Delete a draft meeting logged by mistake (a test, a duplicate)."""

    heading = gettext_lazy("Delete the meeting")
    explanation = gettext_lazy(
        "The meeting is deleted with its attendees, agenda, decisions and the assignments given "
        "at it, and no longer counts in the meeting rules. Who deleted it and when is recorded."
    )
    context_object_name = "meeting"

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    def missing(self) -> list[str]:
        return services.missing_for_deletion(self.object)

    def cancel_url(self) -> str:
        return reverse("agreements:meeting_detail", args=[self.object.pk])

    def perform(self, form: BaseForm) -> HttpResponse:
        body = services.delete_meeting(
            meeting=self.object, user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The meeting was deleted."))
        return redirect("agreements:body_detail", pk=body.pk)


class MeetingWithdrawView(ObjectFormView):
    """Withdraw checked or published minutes of a meeting logged by mistake: they stay readable,
    marked withdrawn with who, when and why, and no longer count in the rules."""

    template_name = "agreements/meeting_withdraw.html"
    form_class = forms.ReasonForm
    context_object_name = "meeting"

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        if self.object.can_withdraw():
            return None
        if self.object.can_delete():
            return redirect("agreements:meeting_delete", pk=self.object.pk)
        messages.info(self.request, _("The meeting is already withdrawn."))
        return redirect("agreements:meeting_detail", pk=self.object.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["open_assignments"] = self.object.assignments.open().count()
        return context

    def perform(self, form: BaseForm) -> HttpResponse:
        services.withdraw_meeting(
            meeting=self.object,
            reason=form.cleaned_data["reason"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The meeting was withdrawn."))
        return redirect("agreements:meeting_detail", pk=self.object.pk)


class MeetingAddendumView(ObjectFormView):
    """Add an addendum to checked or published minutes (they themselves never change). The form
    is under the minutes on the meeting's page; this page shows it again when it is empty."""

    template_name = "agreements/meeting_addendum.html"
    form_class = forms.AddendumForm
    context_object_name = "meeting"
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        if self.object.can_add_addendum():
            return None
        return redirect("agreements:meeting_edit", pk=self.object.pk)

    def perform(self, form: BaseForm) -> HttpResponse:
        services.add_addendum(
            meeting=self.object,
            text=form.cleaned_data["text"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The addendum was added."))
        return redirect(reverse("agreements:meeting_detail", args=[self.object.pk]) + "#addenda")


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
            agenda=agenda,
            decisions=decisions,
            assignments=meeting.assignments.select_related("body").order_by("due_on", "id"),
            addenda=meeting.addenda.select_related("created_by").order_by("created_at", "id"),
            can_edit=can_edit,
            **notice_context(meeting, self.request.user),
            addendum_form=forms.AddendumForm() if can_edit and meeting.can_add_addendum() else None,
            status_form=forms.AssignmentStatusForm(),
            events=audit.events_for(meeting)[:20] if can_edit else None,
        )
        return context


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
            messages.success(
                request, _("The minutes were published. The members were told by e-mail.")
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
