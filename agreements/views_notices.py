"""Screens for a meeting's notice (kallelse), the members' replies, the justerare and the
meeting's papers (handlingar)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements import access, documents, edit_state, forms, overview, services, uploads
from agreements.models import Meeting, MeetingPaper
from agreements.views import LockedEditMixin, ObjectFormView
from bus_portal.concurrency import State
from bus_portal.documents import document_response


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
