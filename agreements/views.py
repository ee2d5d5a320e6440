"""The county overview, a group's page and agreements; the form-page base of the app's views.

Form pages are Django's generic views with ``ServiceFormMixin``: the form validates, ``perform``
calls the service, and a refusal from the service is shown on the form. Most are about one object
the user must be allowed to change (``ObjectFormView``). Actions without a page of their own are
small POST-only views; exports come from ``services.export_*``, which render and audit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Model, Prefetch
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from agreements import access, edit_state, forms, overview, services, trail
from agreements.models import (
    Agreement,
    Assignment,
    BodyMember,
    LocalGroup,
    OriginalsStep,
    Term,
)
from agreements.models.agreements import current_revision_annotations, take_status_fields
from bus_portal.concurrency import State, three_way
from bus_portal.documents import document_response
from bus_portal.errors import DomainError
from bus_portal.pagination import open_ended_page
from bus_portal.submissions import TOKEN_FIELD
from bus_portal.views_generic import ServiceFormMixin

# Meetings per page of a meeting log: a body meets a few times a term, for many years.
LOG_PAGE_SIZE = 25
# Local groups per page of the county overview: a county of a few dozen fits on one page, the
# country (hundreds) does not.
OVERVIEW_PAGE_SIZE = 50


class ObjectFormView(ServiceFormMixin, SingleObjectMixin, FormView):
    """A form page about one object: add a party to a revision, check a meeting's minutes …

    Django's recipe for a form about an object (``SingleObjectMixin`` with ``FormView``).
    ``get_object`` fetches the object with the access helpers (another organisation's is a 404,
    one the user may only read a 403); it runs in ``get`` and ``post``, after the login check.
    The object is in the template context under its model name or ``context_object_name``.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.unavailable() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.unavailable() or super().post(request, *args, **kwargs)

    def get_object(self, queryset: Any = None) -> Model:
        raise NotImplementedError(f"{type(self).__name__} must define get_object()")

    def unavailable(self) -> HttpResponse | None:
        """Where to send the user instead of the form once the object can no longer change."""
        return None


class LockedEditMixin:
    """An edit form two people may save at once: optimistic locking, as SIP's plan edit.

    The form carries the record's ``lock_version`` and, signed, the state it was loaded with
    (its base; ``agreements.edit_state``). The service refuses a save against a newer version
    (``StaleEdit``); the page then answers 409 with what the other person changed since the
    base, field by field, and the form again holding their version with this user's changes on
    top (``bus_portal.concurrency.three_way``). Where both changed a field, the form holds the
    user's value and the page shows theirs beside it, so nothing is replaced unseen.

    ``locked_object()`` is the record edited (``None`` on a create page: nothing to lock). The
    state is the form's own fields (``state_names()``); a form with rows overrides
    ``saved_state``, ``posted_state`` and ``merged_form``.
    """

    request: HttpRequest
    kwargs: dict[str, Any]

    def locked_object(self) -> Model | None:
        return self.object  # type: ignore[attr-defined]

    def state_names(self) -> list[str]:
        form_class = self.get_form_class()  # type: ignore[attr-defined]
        return [
            name
            for name in form_class.base_fields
            if name not in forms.LOCK_FIELDS and name != TOKEN_FIELD
        ]

    def saved_state(self, obj: Model) -> State:
        return edit_state.object_state(obj, self.state_names())

    def posted_state(self, form: BaseForm) -> State:
        return edit_state.form_state(form, self.state_names())

    def lock_initial(self, obj: Model, saved: State) -> dict[str, Any]:
        return {"lock_version": obj.lock_version, "base": edit_state.sign(obj, saved)}  # type: ignore[attr-defined]

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()  # type: ignore[misc]
        obj = self.locked_object()
        if obj is not None and obj.pk:
            initial.update(self.lock_initial(obj, self.saved_state(obj)))
        return initial

    def fresh_object(self, obj: Model) -> Model:
        """The record as saved now (the other person's version)."""
        return type(obj)._default_manager.get(pk=obj.pk)

    def merged_form(self, state: State, saved: State, fresh: Model) -> BaseForm:
        """An unbound form showing ``state``, for a save against ``fresh``."""
        kwargs = self.get_form_kwargs()  # type: ignore[attr-defined]
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        if "instance" in kwargs:
            kwargs["instance"] = fresh
        kwargs["initial"] = {**edit_state.initial(state), **self.lock_initial(fresh, saved)}
        return self.get_form_class()(**kwargs)  # type: ignore[attr-defined]

    def refused(self, form: BaseForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, services.StaleEdit):
            return super().refused(form, error)  # type: ignore[misc]
        obj = self.locked_object()
        assert obj is not None
        fresh = self.fresh_object(obj)
        theirs = self.saved_state(fresh)
        merge = three_way(
            edit_state.unsign(fresh, form.cleaned_data.get("base", "")),
            theirs,
            self.posted_state(form),
        )
        describe = edit_state.Describer(form)
        context = self.get_context_data(  # type: ignore[attr-defined]
            form=self.merged_form(merge.state, theirs, fresh),
            stale=error,
            their_changes=describe.rows(merge.theirs),
            your_changes=describe.rows(merge.yours),
            conflicts=len(merge.conflicts),
        )
        response = self.render_to_response(context)  # type: ignore[attr-defined]
        response.status_code = 409
        return response


class ConfirmRemoveView(ObjectFormView):
    """A confirmation page for removing a record entered by mistake: GET asks, POST removes.

    ``missing()`` says what stands in the way (the page then explains instead of offering the
    button, and a POST is refused the same way by the service).
    """

    template_name = "agreements/confirm_remove.html"
    form_class = forms.ConfirmForm
    heading = ""
    explanation = ""

    def missing(self) -> list[str]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            heading=self.heading,
            explanation=self.explanation,
            missing=self.missing(),
            cancel_url=self.cancel_url(),
            **kwargs,
        )

    def cancel_url(self) -> str:
        raise NotImplementedError


class AddRowFormsetMixin:
    """A form page with a formset under the form, saved together.

    "Add row" (without JavaScript) shows the page again with one more empty row and saves nothing.
    ``get_formset(data)`` builds the formset from ``data``: the POST data (with that extra row
    counted in) or ``None`` on GET.
    """

    formset_prefix: str
    request: HttpRequest

    def get_formset(self, data: QueryDict | None) -> BaseFormSet:
        raise NotImplementedError(f"{type(self).__name__} must define get_formset(data)")

    @cached_property
    def formset(self) -> BaseFormSet:
        data = self.request.POST if self.request.method == "POST" else None
        if data is not None and "add_row" in data:
            data = data.copy()
            total = f"{self.formset_prefix}-TOTAL_FORMS"
            data[total] = str(forms.bumped_total(data.get(total)))
        return self.get_formset(data)

    def form_valid(self, form: BaseForm) -> HttpResponse:
        if "add_row" in self.request.POST or not self.formset.is_valid():
            return self.form_invalid(form)  # type: ignore[attr-defined]
        return super().form_valid(form)  # type: ignore[misc]


def message_result(
    request: HttpRequest, form: BaseForm, action: Callable[..., object], success: str
) -> None:
    """Run a POST-only action's service once its form is valid, and say how it went.

    The page the action returns to shows the message: the success text, the service's refusal
    (a ``DomainError``), or the form's errors.
    """
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return
    try:
        action(**form.cleaned_data)
    except services.AgreementsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)


# County overview and groups ------------------------------------------------------------------


class CountyOverviewView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = forms.OverviewFilterForm(self.request.GET or None)
        area = status = None
        if form.is_valid():
            area = form.cleaned_data["area"]
            status = form.cleaned_data["status"]
        county, entries = overview.group_statuses(area=area, status=status or "")
        # A page of groups at a time: at national scale the table has hundreds of rows.
        page = open_ended_page(self.request, entries, OVERVIEW_PAGE_SIZE)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            rows=overview.group_rows(page.object_list),
            group_count=len(entries),
            page_obj=page,
            query_string=query.urlencode(),
            county=county,
            term=Term.of(timezone.localdate()),
        )
        return context


class GroupDetailView(LoginRequiredMixin, TemplateView):
    """A group's agreement, bodies, rules, open assignments and meeting log in a fixed number of queries."""

    template_name = "agreements/group_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The agreement's status comes annotated on the group row (no revisions prefetched).
        group = get_object_or_404(
            LocalGroup.objects.visible_to(user)
            .select_related("agreement")
            .annotate(**current_revision_annotations("agreement")),
            pk=kwargs["pk"],
        )
        today = timezone.localdate()
        try:
            agreement = take_status_fields(group.agreement, group)
        except Agreement.DoesNotExist:
            agreement = None
        bodies = []
        if agreement:
            bodies = list(
                agreement.bodies.select_related("parent")
                .annotate(user_is_member=access.is_member_expression(user))
                .prefetch_related(
                    Prefetch(
                        "members",
                        queryset=BodyMember.objects.select_related(
                            "unit__principal", "user"
                        ).order_by("role", "name"),
                    )
                )
                .order_by("position", "id")
            )
        all_meetings = overview.body_meetings(user, bodies) if bodies else []
        term = Term.parse(self.request.GET.get("term", ""))
        page = open_ended_page(
            self.request, overview.visible_log(all_meetings, term), LOG_PAGE_SIZE
        )
        areas, principals = overview.group_names(group)
        context.update(
            group=group,
            areas=areas,
            principals=principals,
            agreement=agreement,
            bodies=bodies,
            meetings=page.object_list,
            page_obj=page,
            query_string=f"term={term.code}" if term else "",
            selected_term=term,
            terms=sorted({m.term for m in all_meetings}, reverse=True),
            flags=overview.rule_flags(bodies, all_meetings, today),
            assignments=Assignment.objects.open()
            .filter(body__in=bodies)
            .select_related("body", "meeting__body")
            .order_by("due_on", "id")
            if bodies
            else [],
            can_create=agreement is None
            and (access.is_admin(user) or access.is_steering_member(user, group)),
            missing=list(
                overview.rules.missing_services(
                    m.unit.service_type
                    for b in bodies
                    for m in b.active_members(today)
                    if m.unit_id
                )
            ),
            today=today,
        )
        context["missing_labels"] = [
            str(overview.REQUIRED_REPRESENTATION_LABELS[key]) for key in context["missing"]
        ]
        return context


@login_required
def group_meetings_csv(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.get_group_for_user(request, pk)
    term = Term.parse(request.GET.get("term", ""))
    return document_response(
        services.export_meetings_csv(group=group, term=term, user=request.user, request=request)
    )


class AgreementCreateView(ObjectFormView):
    """A steering member (or admin) creates the agreement of a group that has none."""

    template_name = "agreements/agreement_create.html"
    form_class = forms.AgreementCreateForm
    context_object_name = "group"
    once_per_submission = True

    def get_object(self, queryset: Any = None) -> LocalGroup:
        return access.get_group_for_user(self.request, self.kwargs["pk"], write=True)

    def unavailable(self) -> HttpResponse | None:
        # A second send of the create form is taken to the agreement by its token; any other
        # visit to a group that has one goes to its page.
        existing = Agreement.objects.filter(local_group=self.object).first()
        if existing is None or self.request.method == "POST":
            return None
        return redirect("agreements:agreement_detail", pk=existing.pk)

    def get_initial(self) -> dict[str, Any]:
        return {"title": _("Local BUS agreement for %(g)s") % {"g": self.object.name}}

    def perform(self, form: BaseForm) -> HttpResponse:
        agreement = services.create_local_agreement(
            local_group=self.object,
            title=form.cleaned_data["title"],
            template=form.cleaned_data["template"],
            user=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("The agreement was created. Fill in the first revision."))
        return redirect("agreements:agreement_detail", pk=agreement.pk)


# Agreements ----------------------------------------------------------------------------------


class AgreementDetailView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agreement = access.get_agreement_for_user(self.request, kwargs["pk"])
        in_force = agreement.current_revision
        upcoming = agreement.upcoming_revision
        current = in_force or upcoming or agreement.latest_revision
        can_edit = access.can_edit_agreement(agreement, self.request.user)
        today = timezone.localdate()
        context.update(
            agreement=agreement,
            current=current,
            in_force=in_force,
            upcoming=upcoming if upcoming != current else None,
            draft=agreement.draft_revision,
            reviews=agreement.reviews.select_related("reviewed_by", "revision").order_by(
                "-reviewed_on", "-id"
            )[:20],
            trail=trail.agreement_trail(agreement) if can_edit else None,
            sections=current.ordered_sections() if current else [],
            revisions=list(reversed(agreement.ordered_revisions())),
            attachments=agreement.attachments.select_related("revision").order_by(
                "-uploaded_at", "id"
            ),
            plan_items=agreement.plan_items.select_related("meeting__body").order_by(
                "-year", "kind", "id"
            ),
            bodies=agreement.bodies.select_related("parent").order_by("position", "id"),
            can_edit=can_edit,
            routing=agreement.originals_routing() if agreement.is_county else {},
            routing_steps=OriginalsStep.Step.choices,
            routing_form=forms.OriginalsStepForm() if can_edit and agreement.is_county else None,
            sign_form=forms.SignForm(initial={"signed_on": today}),
            review_form=forms.ReviewForm(
                initial={
                    "reviewed_on": today,
                    "next_review": today + datetime.timedelta(days=365),
                }
            )
            if can_edit and in_force is not None
            else None,
            today=today,
        )
        return context


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request, pk)
    return document_response(
        services.export_agreement_pdf(agreement=agreement, user=request.user, request=request)
    )
