"""Screens and actions for deviation reports. Services change state; views only call them.

Form pages are Django's generic views with ``ServiceFormMixin`` in front: the form validates,
``perform`` calls the service, and a rule the service refuses is shown on the form. Creates (a
report, a step, a comment) are made once however often the form is sent; the draft's edit is
guarded by its ``lock_version`` (409 with what changed). Marking a notification read is a small
POST-only function view. The secretariat's screens are in ``deviations.secretariat_views``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    UpdateView,
)
from django.views.generic.detail import SingleObjectMixin

from bus_portal.concurrency import three_way
from bus_portal.errors import DomainError
from bus_portal.models import FormSubmission
from bus_portal.pagination import OpenEndedPaginator
from bus_portal.roles import COUNTY_ROLES, Role
from bus_portal.submissions import TOKEN_FIELD
from bus_portal.views_generic import ServiceFormMixin
from deviations import counterpart_services, deidentify, edit_state, prefill, redaction, services
from deviations.access import get_deviation_for_redaction, get_deviation_for_user
from deviations.counterparts import counterpart_rows
from deviations.forms import (
    PLACEHOLDERS,
    RESPONSE_PREFIX,
    AssignForm,
    CommentForm,
    CounterpartResponseForm,
    DeviationForm,
    RedactForm,
    StepForm,
)
from deviations.models import REPORTER_ROLES, Deviation, Notification, Status
from deviations.notifications import REDACTED


def list_queryset(qs: QuerySet[Deviation]) -> QuerySet[Deviation]:
    return qs.select_related("reporter", "reporter_unit__principal", "area", "category")


class DeviationListView(LoginRequiredMixin, ListView):
    """Reports the user can see: their own, and those waiting for them."""

    template_name = "deviations/deviation_list.html"
    paginate_by = 25
    paginator_class = OpenEndedPaginator

    def get_queryset(self) -> QuerySet[Deviation]:
        return list_queryset(Deviation.objects.visible_to(self.request.user)).order_by(
            "-created_at", "-id"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_report"] = user.has_role(*REPORTER_ROLES)
        context["is_county"] = user.has_role(*COUNTY_ROLES)
        context["is_secretariat"] = user.has_role(Role.SECRETARIAT)
        page_ids = [d.pk for d in context["object_list"]]
        context["may_act_ids"] = set(
            Deviation.objects.waiting_for(user).filter(pk__in=page_ids).values_list("pk", flat=True)
        )
        return context


def transition_url(deviation: Deviation, to_status: str) -> str:
    # reverse(), not redirect(name, ...): redirect's own first parameter is called ``to``.
    return reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": to_status})


class DraftFormMixin(ServiceFormMixin):
    """The report form: a new report, or the reporter's draft (``self.object``)."""

    form_class = DeviationForm
    template_name = "deviations/deviation_form.html"
    object: Deviation | None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        deviation = services.save_draft(
            user=self.request.user,
            cleaned=form.cleaned_data,
            deviation=self.object,
            expected_version=form.cleaned_data.get("lock_version") if self.object else None,
            request=self.request,
        )
        if "submit" in self.request.POST and deviation.next_steps:
            # Sending is a step of its own, confirmed on the next page; the draft is saved first.
            return redirect(transition_url(deviation, deviation.next_steps[0]))
        messages.success(self.request, _("The draft is saved."))
        return redirect("deviations:detail", pk=deviation.pk)


class DeviationCreateView(DraftFormMixin, CreateView):
    required_roles = REPORTER_ROLES
    once_per_submission = True

    def get_initial(self) -> dict[str, Any]:
        user = self.request.user
        memberships = user.active_memberships
        initial: dict[str, Any] = {"event_date": timezone.localdate()}
        if memberships:
            unit = memberships[0].unit
            initial["reporter_unit"] = unit.pk
            initial["area"] = unit.area_id
        contact = [user.get_full_name() or user.username]
        contact += [x for x in (user.title, user.phone, user.email) if x]
        initial["contact_person"] = ", ".join(contact)
        # From a link elsewhere in the portal (a declined SIP invitation): initial values only.
        self.prefilled = prefill.initial_from(self.request.GET)
        return {**initial, **self.prefilled}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["prefilled"] = bool(getattr(self, "prefilled", None))
        return context


class DeviationUpdateView(DraftFormMixin, UpdateView):
    """The reporter's draft, or their report returned with a question.

    Optimistic locking: the form carries the version it was opened at and, signed, what it
    showed (``deviations.edit_state``). A save over someone else's (another tab, or a redaction
    meanwhile) is refused with 409: the page shows what changed since, and the form holds the
    saved report with this user's own changes on top.
    """

    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        deviation = get_deviation_for_user(self.request, self.kwargs["pk"])
        if not deviation.can_edit(self.request.user):
            raise PermissionDenied
        return deviation

    def get_initial(self) -> dict[str, Any]:
        assert self.object is not None
        state = edit_state.saved_state(self.object)
        return {
            **state,
            "lock_version": self.object.lock_version,
            "base": edit_state.sign(self.object, state),
        }

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, services.StaleEdit):
            return super().refused(form, error)
        # Nothing of theirs is replaced: the page shows what changed, and the form again with
        # the saved report and this user's changes on top, for this user to check and save.
        deviation = Deviation.objects.get(pk=self.kwargs["pk"])
        theirs = edit_state.saved_state(deviation)
        merge = three_way(
            edit_state.unsign(deviation, form.cleaned_data.get("base", "")),
            theirs,
            edit_state.posted_state(form),
        )
        merged = DeviationForm(
            initial={
                **merge.state,
                "lock_version": deviation.lock_version,
                "base": edit_state.sign(deviation, theirs),
            },
            instance=deviation,
            user=self.request.user,
        )
        describe = edit_state.Describer(merged)
        self.object = deviation
        context = self.get_context_data(
            form=merged,
            stale=error,
            their_changes=describe.rows(merge.theirs),
            your_changes=describe.rows(merge.yours),
            conflicts=len(merge.conflicts),
        )
        response = self.render_to_response(context)
        response.status_code = 409
        return response


def step_label(deviation: Deviation, target: str) -> str:
    """What the button for a step says."""
    if target == Status.RETURNED:
        return _("Return to the reporter with a question")
    if deviation.is_returned:
        return _("Send back: %(status)s") % {"status": Status(target).label}
    return str(Status(target).label)


def detail_context(request: HttpRequest, deviation: Deviation, **extra: Any) -> dict[str, Any]:
    """The report's page: what it says, where it is, and what this user may do with it."""
    user = request.user
    can_act = deviation.can_act(user)
    question = None
    if deviation.is_returned:
        question = (
            deviation.steps.filter(to_status=Status.RETURNED)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
    context: dict[str, Any] = {
        "deviation": deviation,
        "object": deviation,
        "steps": deviation.steps.select_related("actor"),
        "comments": deviation.comments.select_related("author"),
        "counterpart_principals": deviation.counterpart_principals.order_by("name"),
        "counterpart_services": deviation.counterpart_services.all(),
        "can_act": can_act,
        "can_edit": deviation.can_edit(user),
        "can_review": deviation.can_review(user),
        "can_assign": deviation.can_assign(user),
        "can_redact": deviation.can_redact(user),
        "next_steps": [(s, step_label(deviation, s)) for s in deviation.next_steps]
        if can_act
        else [],
        "question": question,
        "comment_form": CommentForm(),
        "assign_form": AssignForm(initial={"assigned_to": deviation.assigned_to_id}),
        "ladder": _ladder(deviation),
        "local_group": deviation.local_group(),
        "counterparts": counterpart_rows(deviation, user),
    }
    principals = counterpart_services.open_principals(deviation, user)
    if principals:
        context["response_form"] = CounterpartResponseForm(
            principals=principals, prefix=RESPONSE_PREFIX
        )
    context.update(extra)
    return context


class DeviationDetailView(LoginRequiredMixin, DetailView):
    template_name = "deviations/deviation_detail.html"
    context_object_name = "deviation"

    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        return get_deviation_for_user(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return detail_context(self.request, self.object, **kwargs)


class CommentView(ServiceFormMixin, SingleObjectMixin, FormView):
    """A comment on a report by anyone who sees it; made once however often it is sent. A
    refused comment comes back on the report's page with its text and the reason."""

    form_class = CommentForm
    template_name = "deviations/deviation_detail.html"
    once_per_submission = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = get_deviation_for_user(request, kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return detail_context(self.request, self.object, comment_form=kwargs["form"])

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.add_comment(
            deviation=self.object,
            user=self.request.user,
            text=form.cleaned_data["text"],
            request=self.request,
        )
        messages.success(self.request, _("The comment is saved."))
        return redirect("deviations:detail", pk=self.object.pk)


def _ladder(deviation: Deviation) -> list[dict]:
    """The steps of the ladder for the progress list, marking the current one."""
    path = [Status.DRAFT, Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM]
    reached = {Status.DRAFT}
    if deviation.submitted_at:
        reached.add(Status.WITH_MANAGER)
    if deviation.reached_local_group_at:
        reached.add(Status.WITH_LOCAL_GROUP)
    if deviation.reached_bussam_at:
        reached.add(Status.WITH_BUSSAM)
    items = [
        {"label": Status(s).label, "current": deviation.status == s, "done": s in reached}
        for s in path
    ]
    if deviation.is_closed or deviation.is_returned:
        items.append({"label": deviation.get_status_display(), "current": True, "done": True})
    return items


def earlier_send(request: HttpRequest, prefix: str = "") -> HttpResponse | None:
    """Where this user's earlier send of the posted form led, if it was sent before."""
    field = f"{prefix}-{TOKEN_FIELD}" if prefix else TOKEN_FIELD
    try:
        token = uuid.UUID(request.POST.get(field, ""))
    except ValueError:
        return None
    earlier = (
        FormSubmission.objects.filter(token=token, user=request.user).exclude(result_url="").first()
    )
    if earlier is None:
        return None
    messages.info(request, _("The form had already been sent; this is what it saved."))
    return redirect(earlier.result_url)


class TransitionView(ServiceFormMixin, SingleObjectMixin, FormView):
    """GET: a confirmation page for one step, asking for what the step brings (a comment; the
    question when returning a report, the outcome when closing it, the reason when sending it
    on to BUSSAM); POST: take the step, once however often the form is sent."""

    form_class = StepForm
    template_name = "deviations/transition_confirm.html"
    context_object_name = "deviation"
    once_per_submission = True

    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        deviation = get_deviation_for_user(self.request, self.kwargs["pk"], write=True)
        if self.kwargs["to"] not in Status.values:
            raise Http404
        return deviation

    # The report is read after the login check (in dispatch), as Django's DetailView does.
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.object = self.get_object()
        except PermissionDenied:
            # A repeated send of a step this user took (a double click): the step moved the
            # report on, so they may not act any more; the send goes where the first one went.
            earlier = earlier_send(request)
            if earlier is None:
                raise
            return earlier
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "to_status": self.kwargs["to"],
            "deviation": self.object,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        to_status = self.kwargs["to"]
        return super().get_context_data(
            to_status=to_status,
            to_label=step_label(self.object, to_status),
            missing=self.object.missing_before_step(to_status),
            **kwargs,
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        to_status = self.kwargs["to"]
        services.move(
            deviation=self.object,
            to_status=to_status,
            user=self.request.user,
            comment=form.cleaned_data["comment"],
            outcome=form.cleaned_data.get("outcome"),
            principled_reason=form.cleaned_data.get("principled_reason"),
            request=self.request,
        )
        messages.success(
            self.request,
            _("Done: the report is now “%(status)s”.") % {"status": Status(to_status).label},
        )
        return redirect("deviations:detail", pk=self.object.pk)


class RedactView(ServiceFormMixin, SingleObjectMixin, FormView):
    """Remove an identity number or a name found in a report: what the page finds, and a name
    to remove. For whoever handles the report now, and the secretariat at any step."""

    form_class = RedactForm
    template_name = "deviations/redact_form.html"
    context_object_name = "deviation"
    once_per_submission = True

    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        return get_deviation_for_redaction(self.request, self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def can_see_report(self) -> bool:
        return Deviation.objects.visible_to(self.request.user).filter(pk=self.object.pk).exists()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        placeholders = {kind: str(text) for kind, text in PLACEHOLDERS.items()}
        findings = [
            {
                "label": finding.text.label,
                "places": [
                    {
                        "line": hit.line,
                        "column": hit.column,
                        "excerpt": deidentify.excerpt(
                            finding.text.text, hit, finding.hits, placeholders
                        ),
                    }
                    for hit in finding.hits
                ],
            }
            for finding in redaction.identity_numbers_in(self.object)
        ]
        return super().get_context_data(
            findings=findings,
            names=redaction.likely_names_in(self.object),
            can_see_report=self.can_see_report(),
            **kwargs,
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        codes = redaction.redact(
            deviation=self.object,
            user=self.request.user,
            phrase=form.cleaned_data["phrase"],
            request=self.request,
        )
        where = ", ".join(redaction.label_of(code) for code in codes)
        messages.success(
            self.request,
            _("Removed and replaced by “%(marker)s” in: %(texts)s.")
            % {"marker": REDACTED, "texts": where or _("the notifications")},
        )
        if self.can_see_report():
            return redirect("deviations:detail", pk=self.object.pk)
        return redirect("deviations:redact", pk=self.object.pk)


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    services.mark_read(notification=notification, user=request.user)
    if request.POST.get("next") == "detail":
        return redirect("deviations:detail", pk=notification.deviation_id)
    return redirect(reverse("home"))
