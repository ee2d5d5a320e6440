"""Screens for bodies, members and meetings."""

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, UpdateView

from agreements import access, documents, edit_state, forms, overview, rules, services, uploads
from agreements.models import Body, BodyMember, Meeting, MeetingPaper, Term
from agreements.views import (
    LOG_PAGE_SIZE,
    AddRowFormsetMixin,
    ConfirmRemoveView,
    LockedEditMixin,
    ObjectFormView,
    message_result,
)
from bus_portal import audit
from bus_portal.concurrency import State
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


class CreateOrEditMixin(LockedEditMixin):
    """An ``UpdateView`` that adds a record (no primary key yet: created once per form, by its
    one-time token) or edits one (optimistic locking)."""

    object: Any

    @property
    def once_per_submission(self) -> bool:  # type: ignore[override]
        return self.object.pk is None

    def locked_object(self) -> Any:
        return self.object if self.object.pk else None


class BodyFormView(CreateOrEditMixin, ServiceFormMixin, UpdateView):
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
            body=form.save(commit=False),
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The body was saved."))
        return redirect("agreements:body_detail", pk=body.pk)


class MemberFormView(CreateOrEditMixin, ServiceFormMixin, UpdateView):
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

    def fresh_object(self, obj: Any) -> Any:
        fresh = BodyMember.objects.get(pk=obj.pk)
        fresh.body = obj.body
        return fresh

    def perform(self, form: BaseForm) -> HttpResponse:
        services.save_member(
            member=form.save(commit=False),
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
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


class MeetingCheckView(ObjectFormView):
    """Justering under one's own login: an appointed justerare confirms the minutes
    (time-stamped); when all have, the minutes are checked. Others: 403."""

    template_name = "agreements/meeting_check.html"
    form_class = forms.ConfirmForm

    def get_object(self, queryset: Any = None) -> Any:
        return access.get_checker_for_user(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.object.meeting
        agenda, decisions = overview.agenda_and_decisions(meeting)
        return super().get_context_data(
            checker=self.object,
            meeting=meeting,
            agenda=agenda,
            decisions=decisions,
            missing=services.missing_for_own_check(self.object),
            **kwargs,
        )

    def perform(self, form: BaseForm) -> HttpResponse:
        services.check_minutes(
            meeting=self.object.meeting, user=self.request.user, request=self.request
        )
        messages.success(self.request, _("You checked the minutes."))
        return redirect("agreements:meeting_detail", pk=self.object.meeting.pk)


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


# Notices, replies, justerare and papers --------------------------------------------------------


def notice_context(meeting: Meeting, user: Any) -> dict[str, Any]:
    """What the meeting page shows of the notice, the replies and the justering."""
    invitations = list(
        meeting.invitations.select_related("member__user", "member__unit").order_by(
            "member__name", "id"
        )
    )
    own = next((i for i in invitations if i.member.user_id == user.pk), None)
    checkers = documents.checkers(meeting)
    own_check = next((c for c in checkers if c.member.user_id == user.pk), None)
    attendees = list(meeting.attendees.select_related("member__unit__principal"))
    papers = list(meeting.papers.select_related("removed_by").order_by("uploaded_at", "id"))
    can_reply = (
        own is not None
        and not meeting.is_cancelled
        and meeting.minutes_status == "draft"
        and not meeting.is_withdrawn
    )
    return {
        "attendees": attendees,
        "absent": documents.absent_members(meeting, attendees) if meeting.is_past() else [],
        "invitations": invitations,
        "not_reached": [i for i in invitations if i.emailed_at is None],
        "own_invitation": own,
        "reply_form": forms.NoticeReplyForm(
            initial={"response": own.response, "substitute_name": own.substitute_name}
        )
        if can_reply and own is not None
        else None,
        "checkers": checkers,
        "own_check": own_check
        if own_check is not None and not services.missing_for_own_check(own_check)
        else None,
        "can_lead": access.can_lead_meeting(meeting, user),
        "notice_missing": services.missing_for_notice(meeting),
        "papers": [paper for paper in papers if not paper.is_removed],
        "removed_papers": [paper for paper in papers if paper.is_removed],
    }


class MeetingNoticeView(ObjectFormView):
    """The chair sends the notice (or an update of it) by hand: GET shows who the e-mail reaches
    and who not, POST sends."""

    template_name = "agreements/meeting_notice.html"
    form_class = forms.ConfirmForm
    context_object_name = "meeting"

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_to_lead(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.object
        members = [
            m
            for m in meeting.body.members.select_related("user", "unit").order_by("name", "id")
            if m.is_active_on(meeting.held_on)
        ]
        return super().get_context_data(
            missing=services.missing_for_notice(meeting),
            reached=[m for m in members if m.user is not None and m.user.email],
            not_reached=[m for m in members if m.user is None or not m.user.email],
            **kwargs,
        )

    def perform(self, form: BaseForm) -> HttpResponse:
        result = services.send_notice(
            meeting=self.object, user=self.request.user, request=self.request
        )
        messages.success(
            self.request,
            _("The notice was sent to %(n)s members by e-mail.") % {"n": len(result.emailed)},
        )
        if result.not_reached:
            messages.warning(
                self.request,
                _("Not reached by e-mail (they see the notice in the portal): %(names)s")
                % {"names": ", ".join(m.name for m in result.not_reached)},
            )
        return redirect("agreements:meeting_detail", pk=self.object.pk)


class MeetingCancelView(ObjectFormView):
    """Cancel a coming meeting; members who had the notice get a calendar cancellation."""

    template_name = "agreements/meeting_cancel.html"
    form_class = forms.ReasonForm
    context_object_name = "meeting"

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_to_lead(self.request, self.kwargs["pk"])

    def unavailable(self) -> HttpResponse | None:
        if self.object.is_cancelled:
            messages.info(self.request, _("The meeting is already cancelled."))
            return redirect("agreements:meeting_detail", pk=self.object.pk)
        return None

    def perform(self, form: BaseForm) -> HttpResponse:
        services.cancel_meeting(
            meeting=self.object,
            reason=form.cleaned_data["reason"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The meeting was cancelled."))
        return redirect("agreements:meeting_detail", pk=self.object.pk)


class MeetingReplyView(ObjectFormView):
    """A member replies to their notice: attending, absent or sending a substitute. A second
    reply replaces the first (the trail keeps both). Not invited: 403; hidden meeting: 404."""

    template_name = "agreements/meeting_reply.html"
    form_class = forms.NoticeReplyForm
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> Any:
        return access.get_invitation_for_user(self.request, self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {
            "response": self.object.response,
            "substitute_name": self.object.substitute_name,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            invitation=self.object, meeting=self.object.meeting, **kwargs
        )

    def perform(self, form: BaseForm) -> HttpResponse:
        services.reply_to_notice(
            invitation=self.object,
            response=form.cleaned_data["response"],
            substitute_name=form.cleaned_data.get("substitute_name", ""),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("Your reply was saved."))
        return redirect("agreements:meeting_detail", pk=self.object.meeting.pk)


class MeetingCheckersView(LockedEditMixin, ObjectFormView):
    """The chair appoints the justerare (one or two members with a login) at the meeting."""

    template_name = "agreements/meeting_checkers.html"
    form_class = forms.CheckersForm
    context_object_name = "meeting"

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_to_lead(self.request, self.kwargs["pk"])

    def unavailable(self) -> HttpResponse | None:
        if self.object.can_edit() and not self.object.is_cancelled:
            return None
        return redirect("agreements:meeting_detail", pk=self.object.pk)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "meeting": self.object}

    def saved_state(self, obj: Any) -> State:
        return {"checkers": edit_state.ids(obj.checkers.values_list("member_id", flat=True))}

    def posted_state(self, form: BaseForm) -> State:
        return {"checkers": edit_state.ids(form.cleaned_data.get("checkers") or [])}

    def get_initial(self) -> dict[str, Any]:
        saved = self.saved_state(self.object)
        return {
            "checkers": [c for c in saved["checkers"].split(",") if c],
            **self.lock_initial(self.object, saved),
        }

    def merged_form(self, state: State, saved: State, fresh: Any) -> BaseForm:
        return forms.CheckersForm(
            meeting=fresh,
            initial={
                "checkers": [c for c in state["checkers"].split(",") if c],
                **self.lock_initial(fresh, saved),
            },
        )

    def perform(self, form: BaseForm) -> HttpResponse:
        services.appoint_checkers(
            meeting=self.object,
            members=list(form.cleaned_data["checkers"]),
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The justerare were appointed."))
        return redirect("agreements:meeting_detail", pk=self.object.pk)


class PaperCreateView(ObjectFormView):
    """A member adds a paper to a coming meeting; the notice links it (login required)."""

    template_name = "agreements/paper_form.html"
    form_class = forms.PaperForm
    context_object_name = "meeting"
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> Meeting:
        return access.get_meeting_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        if self.object.can_edit() and not self.object.is_cancelled:
            return None
        return redirect("agreements:meeting_detail", pk=self.object.pk)

    def perform(self, form: BaseForm) -> HttpResponse:
        services.add_paper(
            meeting=self.object,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The paper was added."))
        return redirect(reverse("agreements:meeting_detail", args=[self.object.pk]) + "#papers")


class PaperRemoveView(ObjectFormView):
    """Remove a paper added by mistake (the wrong file, or one that should not be shared): the
    file is deleted and the meeting's page keeps its title with who, when and why."""

    template_name = "agreements/paper_remove.html"
    form_class = forms.ReasonForm
    context_object_name = "paper"

    def get_object(self, queryset: Any = None) -> MeetingPaper:
        return access.get_paper_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        if not self.object.is_removed:
            return None
        messages.info(self.request, _("The paper is already removed."))
        return redirect(
            reverse("agreements:meeting_detail", args=[self.object.meeting_id]) + "#papers"
        )

    def perform(self, form: BaseForm) -> HttpResponse:
        services.remove_paper(
            paper=self.object,
            reason=form.cleaned_data["reason"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The paper was removed."))
        return redirect(
            reverse("agreements:meeting_detail", args=[self.object.meeting_id]) + "#papers"
        )


@login_required
def paper_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's paper, for those who may read the meeting; served with its checked type."""
    paper = access.get_paper_for_user(request, pk)
    if paper.is_removed or not paper.file or not paper.file.storage.exists(paper.file.name):
        raise Http404
    content_type = paper.content_type or "application/octet-stream"
    stem = slugify(paper.title)[:60] or "handling"
    filename = f"{stem}-{paper.pk}.{uploads.extension_for(content_type)}"
    try:
        handle = services.open_paper(paper=paper, user=request.user, request=request)
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request, pk)
    return document_response(
        services.export_notice_pdf(meeting=meeting, user=request.user, request=request)
    )
