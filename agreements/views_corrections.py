"""Corrections of an agreement's records entered by mistake: parties and their contact persons,
signatories and signatures, plan items and attachments.

Editing pages are guarded by optimistic locking (``LockedEditMixin``); removals have a
confirmation page. Each service checks that the record may still change in place and audits the
correction; the agreement's page lists the trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import access, forms, services
from agreements.models import Attachment, Party, PlanItem, Signatory
from agreements.views import ConfirmRemoveView, LockedEditMixin, ObjectFormView


def _agreement_url(agreement_id: int, anchor: str = "") -> str:
    url = reverse("agreements:agreement_detail", args=[agreement_id])
    return f"{url}#{anchor}" if anchor else url


# Parties ------------------------------------------------------------------------------------


class PartyEditView(LockedEditMixin, ObjectFormView):
    """Correct a party: its contact person at any time, which principal it is before signing."""

    template_name = "agreements/party_edit.html"
    form_class = forms.PartyEditForm
    context_object_name = "party"

    def get_object(self, queryset: Any = None) -> Party:
        return access.get_party_for_user(self.request, self.kwargs["pk"], write=True)

    def principal_changes(self) -> bool:
        return self.object.revision.can_change_parties()

    def state_names(self) -> list[str]:
        names = ["contact_person", "contact_email"]
        return ["principal", *names] if self.principal_changes() else names

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "principal_changes": self.principal_changes()}

    def get_initial(self) -> dict[str, Any]:
        party = self.object
        return {
            "principal": party.principal_id,
            "contact_person": party.contact_person,
            "contact_email": party.contact_email,
            **super().get_initial(),
        }

    def perform(self, form: BaseForm) -> HttpResponse:
        services.update_party(
            party=self.object,
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The party was corrected."))
        return redirect(_agreement_url(self.object.revision.agreement_id))


class PartyRemoveView(ConfirmRemoveView):
    heading = gettext_lazy("Remove party")
    explanation = gettext_lazy(
        "The party and the signatories named for it are removed from the revision. The removal "
        "is recorded in the agreement's history."
    )
    context_object_name = "party"

    def get_object(self, queryset: Any = None) -> Party:
        return access.get_party_for_user(self.request, self.kwargs["pk"], write=True)

    def missing(self) -> list[str]:
        if self.object.can_remove():
            return []
        return [
            _(
                "Someone has already signed this revision, so its parties no longer change. "
                "Withdraw the signatures recorded by mistake first, or start a new revision."
            )
        ]

    def cancel_url(self) -> str:
        return _agreement_url(self.object.revision.agreement_id)

    def perform(self, form: BaseForm) -> HttpResponse:
        services.remove_party(party=self.object, user=self.request.user, request=self.request)
        messages.success(
            self.request, _("%(party)s was removed as a party.") % {"party": self.object}
        )
        return redirect(self.cancel_url())


# Signatories --------------------------------------------------------------------------------


class SignatoryEditView(LockedEditMixin, ObjectFormView):
    template_name = "agreements/signatory_edit.html"
    form_class = forms.SignatoryEditForm
    context_object_name = "signatory"

    def get_object(self, queryset: Any = None) -> Signatory:
        return access.get_signatory_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        if self.object.can_edit():
            return None
        messages.error(
            self.request,
            _("%(name)s has signed; withdraw the signature first to correct it.")
            % {"name": self.object.name},
        )
        return redirect(_agreement_url(self.object.party.revision.agreement_id))

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.object.name, "title": self.object.title, **super().get_initial()}

    def perform(self, form: BaseForm) -> HttpResponse:
        services.update_signatory(
            signatory=self.object,
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The signatory was corrected."))
        return redirect(_agreement_url(self.object.party.revision.agreement_id))


class SignatoryRemoveView(ConfirmRemoveView):
    heading = gettext_lazy("Remove signatory")
    explanation = gettext_lazy(
        "The person is no longer named to sign for the party. The removal is recorded in the "
        "agreement's history."
    )
    context_object_name = "signatory"

    def get_object(self, queryset: Any = None) -> Signatory:
        return access.get_signatory_for_user(self.request, self.kwargs["pk"], write=True)

    def missing(self) -> list[str]:
        if self.object.can_edit():
            return []
        return [
            _("%(name)s has signed; withdraw the signature first to remove them.")
            % {"name": self.object.name}
        ]

    def cancel_url(self) -> str:
        return _agreement_url(self.object.party.revision.agreement_id)

    def perform(self, form: BaseForm) -> HttpResponse:
        services.remove_signatory(
            signatory=self.object, user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The signatory was removed."))
        return redirect(self.cancel_url())


class SignatureWithdrawView(ObjectFormView):
    """Withdraw a signature recorded by mistake, with the reason, while the revision is not yet
    signed by every party."""

    template_name = "agreements/signature_withdraw.html"
    form_class = forms.ReasonForm
    context_object_name = "signatory"

    def get_object(self, queryset: Any = None) -> Signatory:
        return access.get_signatory_for_user(self.request, self.kwargs["pk"], write=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        signatory = self.object
        missing = []
        if signatory.signed_on is None:
            missing.append(_("%(name)s has not signed.") % {"name": signatory.name})
        elif not signatory.can_withdraw_signature():
            missing.append(
                _(
                    "Every party has signed this revision; it cannot change. Start a new "
                    "revision to correct it."
                )
            )
        return super().get_context_data(
            missing=missing,
            cancel_url=_agreement_url(signatory.party.revision.agreement_id),
            **kwargs,
        )

    def perform(self, form: BaseForm) -> HttpResponse:
        services.withdraw_signature(
            signatory=self.object,
            reason=form.cleaned_data["reason"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(
            self.request,
            _("The signature of %(name)s was withdrawn.") % {"name": self.object.name},
        )
        return redirect(_agreement_url(self.object.party.revision.agreement_id))


# The local BUS plan --------------------------------------------------------------------------


class PlanItemEditView(LockedEditMixin, ObjectFormView):
    template_name = "agreements/plan_item_edit.html"
    form_class = forms.PlanItemEditForm
    context_object_name = "item"

    def get_object(self, queryset: Any = None) -> PlanItem:
        return access.get_plan_item_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        if self.object.can_change():
            return None
        messages.error(
            self.request,
            _("This focus area was decided at a meeting; correct it through the meeting."),
        )
        return redirect(_agreement_url(self.object.agreement_id, "plan"))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form: BaseForm) -> HttpResponse:
        services.update_plan_item(
            item=self.object,
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The plan item was corrected."))
        return redirect(_agreement_url(self.object.agreement_id, "plan"))


class PlanItemRemoveView(ConfirmRemoveView):
    heading = gettext_lazy("Remove plan item")
    explanation = gettext_lazy(
        "The item is removed from the local BUS plan. The removal is recorded in the "
        "agreement's history."
    )
    context_object_name = "item"

    def get_object(self, queryset: Any = None) -> PlanItem:
        return access.get_plan_item_for_user(self.request, self.kwargs["pk"], write=True)

    def missing(self) -> list[str]:
        if self.object.can_change():
            return []
        return [_("This focus area was decided at a meeting; correct it through the meeting.")]

    def cancel_url(self) -> str:
        return _agreement_url(self.object.agreement_id, "plan")

    def perform(self, form: BaseForm) -> HttpResponse:
        services.remove_plan_item(item=self.object, user=self.request.user, request=self.request)
        messages.success(self.request, _("The plan item was removed."))
        return redirect(self.cancel_url())


# Attachments --------------------------------------------------------------------------------


class AttachmentEditView(LockedEditMixin, ObjectFormView):
    template_name = "agreements/attachment_edit.html"
    form_class = forms.AttachmentEditForm
    context_object_name = "attachment"

    def get_object(self, queryset: Any = None) -> Attachment:
        return access.get_attachment_for_user(self.request, self.kwargs["pk"], write=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "instance": self.object,
            "agreement": self.object.agreement,
        }

    def perform(self, form: BaseForm) -> HttpResponse:
        services.update_attachment(
            attachment=self.object,
            expected_version=forms.expected_version(form),
            user=self.request.user,
            request=self.request,
            **forms.service_values(form),
        )
        messages.success(self.request, _("The attachment was corrected."))
        return redirect(_agreement_url(self.object.agreement_id, "attachments"))


class AttachmentRemoveView(ConfirmRemoveView):
    heading = gettext_lazy("Remove attachment")
    explanation = gettext_lazy(
        "The file is deleted. Its title, kind and who uploaded it when stay in the agreement's "
        "history."
    )
    context_object_name = "attachment"

    def get_object(self, queryset: Any = None) -> Attachment:
        return access.get_attachment_for_user(self.request, self.kwargs["pk"], write=True)

    def cancel_url(self) -> str:
        return _agreement_url(self.object.agreement_id, "attachments")

    def perform(self, form: BaseForm) -> HttpResponse:
        services.remove_attachment(
            attachment=self.object, user=self.request.user, request=self.request
        )
        messages.success(self.request, _("The attachment was removed."))
        return redirect(self.cancel_url())
