"""Recording, withdrawing and reading consents, for plans and forum cases alike."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import FormView

from agreements.models import Principal
from bus_portal.roles import SIP_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from sip import consent_services
from sip.access import (
    get_consent_for_user,
    get_forum_case_for_user,
    get_plan_for_user,
)
from sip.audit import Purpose
from sip.consent_forms import ConsentForm, WithdrawForm
from sip.forms import principals_for_group
from sip.models import Consent, ForumCase, Plan
from sip.read_views import ConsentGatedReadMixin, stored_document


class ConsentCreateMixin(ServiceFormMixin, FormView):
    """Record one person's consent for a plan or a forum case (``consent_for``)."""

    once_per_submission = True

    template_name = "sip/consent_form.html"
    form_class = ConsentForm

    def consent_for(self) -> Plan | ForumCase:
        raise NotImplementedError

    def principals(self) -> QuerySet[Principal]:
        """The principals the consent may name: those of the units taking part."""
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "principals": self.principals(),
            "child": self.consent_for().child,
        }

    def perform(self, form: ConsentForm) -> None:
        data = form.cleaned_data
        consent_services.record_consent(
            user=self.request.user,
            purpose=self.consent_for(),
            person=data["person"],
            person_name=data["person_name"],
            principals=list(data["principals"]),
            given_on=data["given_on"],
            form=data["form"],
            document=data["document"],
            child_is_mature=data["child_is_mature"],
            exclusions=data["exclusions"],
            valid_until=data["valid_until"],
            request=self.request,
        )
        messages.success(self.request, _("The consent was recorded."))


class ConsentCreateView(ConsentCreateMixin):
    required_roles = (Role.CASE_OFFICER,)

    @cached_property
    def plan(self) -> Plan:
        return get_plan_for_user(self.request, self.kwargs["pk"], write=True)

    def consent_for(self) -> Plan:
        return self.plan

    def principals(self) -> QuerySet[Principal]:
        plan = self.plan
        return principals_for_group(plan.local_group).filter(
            pk__in=[plan.owner_unit.principal_id]
            + [p.unit.principal_id for p in plan.participants.all() if p.unit_id]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)

    def get_success_url(self) -> str:
        return reverse("sip:plan_detail", kwargs={"pk": self.plan.pk})


class ForumConsentCreateView(ConsentCreateMixin):
    # Broad role here so another organisation gets 404 from the scoped lookup, not 403.
    required_roles = SIP_ROLES

    @cached_property
    def case(self) -> ForumCase:
        return get_forum_case_for_user(self.request, self.kwargs["pk"], write=True)

    def consent_for(self) -> ForumCase:
        return self.case

    def principals(self) -> QuerySet[Principal]:
        case = self.case
        unit_principals = {u.principal_id for u in case.invited_units.all()}
        unit_principals.add(case.raising_unit.principal_id)
        return principals_for_group(case.local_group).filter(pk__in=unit_principals)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(case=self.case, **kwargs)

    def get_success_url(self) -> str:
        return self.case.get_absolute_url()


class ConsentWithdrawView(ServiceFormMixin, FormView):
    """Confirmation page and POST: withdrawal stops sharing at once."""

    required_roles = SIP_ROLES
    template_name = "sip/consent_withdraw.html"
    form_class = WithdrawForm

    @cached_property
    def consent(self) -> Consent:
        return get_consent_for_user(self.request, self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"withdrawn_by": self.consent.person_name}

    def get_success_url(self) -> str:
        consent = self.consent
        if consent.plan_id:
            return reverse("sip:plan_detail", kwargs={"pk": consent.plan_id})
        return reverse("sip:forum_detail", kwargs={"pk": consent.forum_case_id})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(consent=self.consent, back=self.get_success_url(), **kwargs)

    def perform(self, form: WithdrawForm) -> None:
        consent_services.withdraw_consent(
            consent=self.consent,
            user=self.request.user,
            withdrawn_by=form.cleaned_data["withdrawn_by"],
            request=self.request,
        )
        messages.success(self.request, _("The consent was withdrawn. Sharing stopped at once."))


class ConsentDocumentView(ConsentGatedReadMixin, View):
    """The signed consent form, for those who may read the plan or case it belongs to."""

    purpose = Purpose.CONSENT_DOCUMENT_READ

    def get_object(self) -> Plan | ForumCase:
        # Only which plan or case it belongs to; the consent itself is read through that one.
        consent = Consent.objects.filter(pk=self.kwargs["pk"]).only("plan_id", "forum_case_id")
        owner = consent.first()
        if owner is None:
            raise Http404
        if owner.plan_id:
            return get_plan_for_user(self.request, owner.plan_id)
        return get_forum_case_for_user(self.request, owner.forum_case_id)

    @cached_property
    def consent(self) -> Consent:
        return self.object.consents.get(pk=self.kwargs["pk"])

    def audited_object(self) -> Consent:
        return self.consent

    def render_output(self) -> HttpResponse:
        consent = self.consent
        stem = pgettext("file name", "consent")
        return stored_document(consent.document, consent.document_type, f"{stem}-{consent.pk}")
