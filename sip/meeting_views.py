"""SIP meetings (convene, change, cancel, the letter to the family), answering an invitation,
and confirming an agreed version: each participant under their own login, the family's agreement
recorded by the case officer.

Every view is in ``sip/urls.py``'s plan group, so ``sip.auditing`` writes a row for each request;
the services write their own change rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView

from bus_portal.concurrency import three_way
from bus_portal.documents import document_response
from bus_portal.errors import DomainError
from bus_portal.roles import SIP_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from sip import confirmation_services, documents, edit_state, meeting_services
from sip.access import (
    consent_gate,
    get_invitation_for_user,
    get_meeting_for_user,
    get_plan_for_user,
)
from sip.audit import Purpose
from sip.meeting_forms import (
    CancelMeetingForm,
    ConfirmForm,
    FamilyAgreementForm,
    MeetingForm,
    ReplyForm,
)
from sip.meeting_services import Notified
from sip.models import MeetingInvitation, Plan, PlanParticipant, SipMeeting
from sip.read_views import PlanReadMixin
from sip.views import PlanWriteMixin


def _report(request: Any, notified: Notified, done: str) -> None:
    messages.success(
        request,
        done
        + " "
        + ngettext("%(n)s e-mail was sent.", "%(n)s e-mails were sent.", notified.sent)
        % {"n": notified.sent},
    )
    if notified.without_email:
        messages.warning(
            request,
            _(
                "No e-mail address in the portal for: %(names)s. They are invited in the portal "
                "and see the invitation in their to-do list."
            )
            % {"names": ", ".join(notified.without_email)},
        )


class MeetingFormMixin(PlanWriteMixin, ServiceFormMixin):
    template_name = "sip/meeting_form.html"
    form_class = MeetingForm
    meeting: SipMeeting | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "plan": self.plan, "meeting": self.meeting}  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MeetingCreateView(MeetingFormMixin, FormView):
    once_per_submission = True

    def perform(self, form: MeetingForm) -> HttpResponse:
        meeting, notified = meeting_services.convene_meeting(
            plan=self.plan,
            user=self.request.user,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            place=form.cleaned_data["place"],
            video_link=form.cleaned_data["video_link"],
            invitees=form.invitees(),
            request=self.request,
        )
        _report(self.request, notified, _("The meeting is convened."))
        return redirect(f"{self.get_success_url()}#meetings-title")


class MeetingEditView(MeetingFormMixin, FormView):
    """Change the time or place (everyone invited is told) and invite more."""

    @cached_property
    def meeting(self) -> SipMeeting:  # type: ignore[override]
        return get_meeting_for_user(self.request, self.plan, self.kwargs["meeting"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invitations = list(
            self.meeting.invitations.select_related("user", "unit__principal", "answered_by")
        )
        for invitation in invitations:
            invitation.meeting = self.meeting
        return super().get_context_data(invitations=invitations, **kwargs)

    def perform(self, form: MeetingForm) -> HttpResponse:
        _meeting, notified = meeting_services.change_meeting(
            meeting=self.meeting,
            user=self.request.user,
            expected_version=form.cleaned_data["lock_version"] or 0,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            place=form.cleaned_data["place"],
            video_link=form.cleaned_data["video_link"],
            invitees=form.invitees(),
            request=self.request,
        )
        _report(self.request, notified, _("The meeting was saved."))
        return redirect(f"{self.get_success_url()}#meetings-title")

    def refused(self, form: MeetingForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, meeting_services.StaleMeeting):
            return super().refused(form, error)
        # Someone saved the meeting since this form was opened: nothing is saved or sent. The
        # page shows what they changed, and the form with their meeting and this user's changes
        # on top (and whom they chose to invite), for this user to check and save.
        meeting = SipMeeting.objects.select_related("plan").get(pk=self.meeting.pk)
        theirs = edit_state.meeting_state(meeting)
        base = edit_state.unsign_meeting(meeting, form.cleaned_data.get("base", ""))
        merge = three_way(base, theirs, edit_state.posted_meeting_state(form, base, theirs))
        invite_more = {
            name: self.request.POST.getlist(name) for name in ("units", "other_units", "users")
        }
        initial = {
            **{name: merge.state.get(name, "") for name in edit_state.MEETING_FIELDS},
            **invite_more,
            "externals": self.request.POST.get("externals", ""),
            "lock_version": meeting.lock_version,
            "base": edit_state.sign_meeting(meeting, theirs),
        }
        self.__dict__["meeting"] = meeting
        context = self.get_context_data(
            form=MeetingForm(plan=self.plan, meeting=meeting, initial=initial),
            stale=error,
            their_changes=edit_state.describe_meeting(form, merge.theirs),
            your_changes=edit_state.describe_meeting(form, merge.yours),
            conflicts=len(merge.conflicts),
        )
        response = self.render_to_response(context)
        response.status_code = 409
        return response


class MeetingCancelView(PlanWriteMixin, ServiceFormMixin, FormView):
    template_name = "sip/meeting_cancel.html"
    form_class = CancelMeetingForm

    @cached_property
    def meeting(self) -> SipMeeting:
        return get_meeting_for_user(self.request, self.plan, self.kwargs["meeting"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def perform(self, form: CancelMeetingForm) -> None:
        notified = meeting_services.cancel_meeting(
            meeting=self.meeting, user=self.request.user, request=self.request
        )
        _report(self.request, notified, _("The meeting is cancelled."))


class MeetingLetterView(PlanReadMixin, View):
    """The printable invitation letter to the child and the guardians (plain Swedish)."""

    audit_action = "print"
    purpose = Purpose.MEETING_LETTER_PDF

    def audit_changes(self) -> dict:
        return {"meeting": self.kwargs["meeting"]}

    def render_output(self) -> HttpResponse:
        meeting = get_meeting_for_user(self.request, self.object, self.kwargs["meeting"])
        return document_response(documents.meeting_letter_pdf(meeting))


class InvitationReplyView(ServiceFormMixin, FormView):
    """Accept or decline an invitation; a second answer replaces the first (both are kept)."""

    required_roles = SIP_ROLES
    template_name = "sip/invitation_reply.html"
    form_class = ReplyForm

    @cached_property
    def invitation(self) -> MeetingInvitation:
        return get_invitation_for_user(self.request, self.kwargs["pk"], self.kwargs["invitation"])

    def get_initial(self) -> dict[str, Any]:
        return {"answer": self.invitation.answer, "reason": self.invitation.reason}

    def get_form_kwargs(self) -> dict[str, Any]:
        for_unit = self.invitation.kind == MeetingInvitation.Kind.UNIT
        return {**super().get_form_kwargs(), "for_unit": for_unit}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invitation = self.invitation
        return super().get_context_data(
            invitation=invitation,
            meeting=invitation.meeting,
            plan=invitation.meeting.plan,
            replies=list(invitation.replies.select_related("replied_by").order_by("-replied_at")),
            can_reply=invitation.meeting.can_reply(),
            **kwargs,
        )

    def perform(self, form: ReplyForm) -> HttpResponse:
        meeting_services.answer_invitation(
            invitation=self.invitation,
            user=self.request.user,
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
            request=self.request,
        )
        messages.success(self.request, _("Your answer was saved."))
        return redirect(self.request.path)


class PlanConfirmView(ServiceFormMixin, FormView):
    """A participating unit's staff confirm the agreed version under their own login."""

    required_roles = SIP_ROLES
    template_name = "sip/plan_confirm.html"
    form_class = ConfirmForm

    @cached_property
    def plan(self) -> Plan:
        return get_plan_for_user(self.request, self.kwargs["pk"])

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return consent_gate(request, self.plan) or FormView.get(self, request, *args, **kwargs)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return consent_gate(request, self.plan) or FormView.post(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = confirmation_services.confirmable_version(self.plan)
        mine = self.request.user.unit_ids_with_role(*SIP_ROLES)
        rows = confirmation_services.confirmation_rows(version) if version else []
        return super().get_context_data(
            plan=self.plan,
            version=version,
            rows=[row for row in rows if row.participant.unit_id in mine],
            due=[row for row in rows if row.participant.unit_id in mine and not row.signoff],
            **kwargs,
        )

    def perform(self, form: ConfirmForm) -> HttpResponse:
        signed = confirmation_services.confirm_participation(
            plan=self.plan, user=self.request.user, request=self.request
        )
        messages.success(
            self.request,
            ngettext(
                "Your unit's participation is confirmed.",
                "Your units' participation is confirmed.",
                len(signed),
            ),
        )
        return redirect("sip:plan_detail", pk=self.plan.pk)


class FamilyAgreementView(PlanWriteMixin, ServiceFormMixin, FormView):
    """The case officer records the family's agreement to the agreed version and how it was given
    (a unit's participation is confirmed by the unit itself)."""

    required_roles = (Role.CASE_OFFICER,)
    template_name = "sip/family_agreement.html"
    form_class = FamilyAgreementForm

    @cached_property
    def waiting(self) -> list[PlanParticipant]:
        version = confirmation_services.confirmable_version(self.plan)
        if version is None:
            return []
        return [
            r.participant
            for r in confirmation_services.pending_requests(version)
            if r.participant.unit_id is None
        ]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "participants": self.waiting}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            version=confirmation_services.confirmable_version(self.plan), **kwargs
        )

    def perform(self, form: FamilyAgreementForm) -> None:
        confirmation_services.record_family_agreement(
            plan=self.plan,
            user=self.request.user,
            participant=form.cleaned_data["participant"],
            method=form.cleaned_data["method"],
            document=form.cleaned_data.get("document"),
            request=self.request,
        )
        messages.success(self.request, _("The agreement was recorded."))
