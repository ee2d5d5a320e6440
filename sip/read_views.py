"""Pages and documents that show a child's data, all through ``ConsentGatedReadMixin``.

Every output — the plan, a version, the PDF, "My plan" and its PDF, the FHIR export, the forum
case and its protocol PDF, a signed consent form — is read in the same order: the object through
the user's scoped lookup (404 outside the user's units), the consent gate (403 without valid
consent), the output, then one audit row with the output's action and purpose code. A new output
declares its purpose and renders; it cannot skip the gate or the audit. Refusals (the 404, the
"no valid consent" page) are audited as "denied" by the wrapper every sip view has
(``sip.auditing``), which also sees that the mixin's row is the request's only one.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from bus_portal.access import RoleRequiredMixin
from bus_portal.audit import events_for
from bus_portal.documents import document_response
from bus_portal.models import AuditAction
from bus_portal.roles import SIP_ROLES, Role
from bus_portal.uploads import extension_for
from sip import documents, fhir, services
from sip.access import consent_gate, get_plan_for_user, plan_versions
from sip.audit import Purpose
from sip.meeting_context import meeting_context
from sip.models import ForumCase, Plan, PlanVersion, SignOff, shown_content


def stored_document(document: FieldFile, content_type: str, filename: str) -> FileResponse:
    """An uploaded document as an attachment, served as the type its content was checked to be
    at upload (never the name's or the browser's) under a generated name (``filename`` without
    the extension), never the uploader's; 404 when the row has no file or outlived it."""
    if not document:
        raise Http404
    try:
        handle = document.open("rb")
    except FileNotFoundError:
        # The row outlived its file (a restore, a storage move): nothing to serve.
        raise Http404 from None
    content_type = content_type or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.{extension_for(content_type)}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


class ConsentGatedReadMixin(RoleRequiredMixin):
    """Get the object for the user, check consent, render, and audit the read.

    Subclasses define ``get_object()`` (a scoped lookup of a plan or forum case), ``purpose``
    and, for prints and exports, ``audit_action``. Template pages add ``TemplateView``; documents
    override ``render_output()``. A 404 raised while rendering (a version that does not exist)
    leaves no read row; ``sip.auditing`` records it as denied.
    """

    required_roles = SIP_ROLES
    audit_action: str = AuditAction.VIEW
    purpose: Purpose
    object: Plan | ForumCase

    def get_object(self) -> Plan | ForumCase:
        raise NotImplementedError(f"{type(self).__name__} must define get_object()")

    def audited_object(self) -> models.Model:
        """The row the audit names: the plan or case itself unless a view reads a part of it."""
        return self.object

    def audit_changes(self) -> dict | None:
        """What of the object was read, as data (e.g. {"version": 2}); None for the whole."""
        return None

    def render_output(self) -> HttpResponse:
        return self.render_to_response(self.get_context_data())  # type: ignore[attr-defined]

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        refused = consent_gate(request, self.object)
        if refused is not None:
            return refused
        response = self.render_output()
        services.record_read(
            user=request.user,
            obj=self.audited_object(),
            action=self.audit_action,
            purpose=self.purpose,
            changes=self.audit_changes(),
            request=request,
        )
        return response


class PlanReadMixin(ConsentGatedReadMixin):
    object: Plan

    def get_object(self) -> Plan:
        return get_plan_for_user(self.request, self.kwargs["pk"])  # type: ignore[attr-defined]


class PlanDetailView(PlanReadMixin, TemplateView):
    template_name = "sip/plan_detail.html"
    purpose = Purpose.PLAN_READ

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan, user = self.object, self.request.user
        is_chief = bool(user.unit_ids_with_role(Role.UNIT_CHIEF) & plan.participating_unit_ids())
        versions = plan_versions(plan)
        return super().get_context_data(
            **meeting_context(plan, user, versions),
            plan=plan,
            child=plan.child,
            versions=versions,
            # The working copy, or during a revision the version in force (sip.models.versions).
            content=shown_content(plan, versions),
            missing=plan.missing_for_agreement() if plan.can_edit() else [],
            can_write=plan.user_can_write(user),
            consents=plan.consents.all(),
            today=timezone.localdate(),
            events=list(events_for(plan)[:50]) if is_chief else None,
            **kwargs,
        )


class PlanVersionView(PlanReadMixin, TemplateView):
    """One frozen version, with what differs from the version before it."""

    template_name = "sip/plan_version.html"
    purpose = Purpose.PLAN_VERSION_READ

    def audit_changes(self) -> dict:
        return {"version": self.kwargs["number"]}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        number = self.kwargs["number"]
        versions = {v.number: v for v in plan_versions(self.object, content=True)}
        version = versions.get(number)
        if version is None:
            raise Http404
        previous = versions.get(number - 1)
        # Compared by codes as stored; labelled here, in the reader's language.
        diff = [
            (
                PlanVersion.field_label(code),
                PlanVersion.field_text(code, old),
                PlanVersion.field_text(code, new),
            )
            for code, old, new in (version.changes_since(previous) if previous else [])
        ]
        return super().get_context_data(
            plan=self.object,
            version=version,
            previous=previous,
            diff=diff,
            content=version.content_rows(),
            signoffs=version.signoffs.all(),
            evaluations=version.evaluations.all(),
            **kwargs,
        )


class PlanPdfView(PlanReadMixin, View):
    audit_action = AuditAction.PRINT
    purpose = Purpose.PLAN_PDF

    def render_output(self) -> HttpResponse:
        return document_response(documents.plan_pdf(self.object))


class MyPlanView(PlanReadMixin, TemplateView):
    template_name = "sip/my_plan.html"
    purpose = Purpose.MY_PLAN_READ

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**documents.my_plan_context(self.object), **kwargs)


class MyPlanPdfView(PlanReadMixin, View):
    audit_action = AuditAction.PRINT
    purpose = Purpose.MY_PLAN_PDF

    def render_output(self) -> HttpResponse:
        return document_response(documents.my_plan_pdf(self.object))


class PlanFhirView(PlanReadMixin, View):
    audit_action = AuditAction.EXPORT
    purpose = Purpose.PLAN_FHIR

    def render_output(self) -> HttpResponse:
        bundle = fhir.plan_bundle(self.object)
        response = HttpResponse(
            json.dumps(bundle, ensure_ascii=False, indent=2),
            content_type="application/fhir+json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="sip-{self.object.pk}-fhir.json"'
        response["Cache-Control"] = "no-store, private"
        return response


class FamilyAgreementDocumentView(PlanReadMixin, View):
    """The document the family's agreement to an agreed version was given in, for those who may
    read the plan."""

    purpose = Purpose.FAMILY_AGREEMENT_READ

    def audit_changes(self) -> dict:
        return {"signoff": self.kwargs["signoff"]}

    def render_output(self) -> HttpResponse:
        signoff = (
            SignOff.objects.filter(
                pk=self.kwargs["signoff"],
                version__plan=self.object,
                method=SignOff.Method.DOCUMENT,
            )
            .only("id", "document", "document_type")
            .first()
        )
        if signoff is None:
            raise Http404
        stem = pgettext("file name", "agreement")
        return stored_document(
            signoff.document, signoff.document_type, f"{stem}-{self.object.pk}-{signoff.pk}"
        )
