"""Recording, withdrawing and reading consents (for plans; forum consents are in forum_views)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from bus_portal.access import RoleRequiredMixin
from bus_portal.roles import Role
from sip import services
from sip.access import (
    consent_gate,
    get_consent_for_user,
    get_forum_case_for_user,
    get_plan_for_user,
)
from sip.forms import ConsentForm, WithdrawForm, principals_for_group
from sip.models import Consent

SIP_ROLES = (Role.CASE_OFFICER, Role.UNIT_CHIEF)


def record_consent_from_form(request, *, purpose, form: ConsentForm) -> bool:
    """Record a consent for a plan or a forum case from a valid form; False leaves the form
    (with its input) to be shown again with the errors or the refusal message."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.record_consent(
            user=request.user,
            purpose=purpose,
            person=data["person"],
            person_name=data["person_name"],
            principals=list(data["principals"]),
            given_on=data["given_on"],
            form=data["form"],
            document=data["document"],
            child_is_mature=data["child_is_mature"],
            exclusions=data["exclusions"],
            valid_until=data["valid_until"],
            request=request,
        )
    except services.SipError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, _("The consent was recorded."))
    return True


class ConsentCreateView(RoleRequiredMixin, View):
    required_roles = (Role.CASE_OFFICER,)

    def _form(self, request, plan, data=None, files=None):
        principals = principals_for_group(plan.local_group).filter(
            pk__in=[plan.owner_unit.principal_id]
            + [p.unit.principal_id for p in plan.participants.all() if p.unit_id]
        )
        return ConsentForm(data, files, principals=principals, child=plan.child)

    def get(self, request, pk):
        plan = get_plan_for_user(request, pk, write=True)
        return render(
            request, "sip/consent_form.html", {"plan": plan, "form": self._form(request, plan)}
        )

    def post(self, request, pk):
        plan = get_plan_for_user(request, pk, write=True)
        form = self._form(request, plan, request.POST, request.FILES)
        if record_consent_from_form(request, purpose=plan, form=form):
            return redirect("sip:plan_detail", pk=plan.pk)
        return render(request, "sip/consent_form.html", {"plan": plan, "form": form})


class ConsentWithdrawView(RoleRequiredMixin, View):
    """Confirmation page and POST: withdrawal stops sharing at once."""

    required_roles = SIP_ROLES

    def _target(self, consent):
        if consent.plan_id:
            return reverse("sip:plan_detail", kwargs={"pk": consent.plan_id})
        return reverse("sip:forum_detail", kwargs={"pk": consent.forum_case_id})

    def get(self, request, pk):
        consent = get_consent_for_user(request, pk)
        return render(
            request,
            "sip/consent_withdraw.html",
            {
                "consent": consent,
                "form": WithdrawForm(initial={"withdrawn_by": consent.person_name}),
                "back": self._target(consent),
            },
        )

    def post(self, request, pk):
        consent = get_consent_for_user(request, pk)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw_consent(
                    consent=consent,
                    user=request.user,
                    withdrawn_by=form.cleaned_data["withdrawn_by"],
                    request=request,
                )
            except services.SipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The consent was withdrawn. Sharing stopped at once."))
            return HttpResponseRedirect(self._target(consent))
        return render(
            request,
            "sip/consent_withdraw.html",
            {"consent": consent, "form": form, "back": self._target(consent)},
        )


class ConsentDocumentView(RoleRequiredMixin, View):
    """The signed consent form, for those who may read the plan or case it belongs to."""

    required_roles = SIP_ROLES

    def get(self, request, pk):
        consent = Consent.objects.filter(pk=pk).only("id", "plan_id", "forum_case_id").first()
        if consent is None:
            raise Http404
        if consent.plan_id:
            owner = get_plan_for_user(request, consent.plan_id)
            refused = consent_gate(request, owner)
            if refused:
                return refused
        else:
            owner = get_forum_case_for_user(request, consent.forum_case_id)
            refused = consent_gate(request, owner)
            if refused:
                return refused
        consent = owner.consents.get(pk=pk)
        if not consent.document:
            raise Http404
        services.record_read(
            user=request.user,
            obj=consent,
            child=owner.child,
            purpose=_("Signed consent form read"),
            request=request,
        )
        response = FileResponse(
            consent.document.open("rb"),
            as_attachment=True,
            filename=f"samtycke-{consent.pk}.{consent.document.name.rsplit('.', 1)[-1]}",
        )
        response["Cache-Control"] = "no-store, private"
        return response
