"""Screens and actions for deviation reports. Services change state; views only call them.

Form pages are Django's generic views with ``ServiceFormMixin`` in front: the form validates,
``perform`` calls the service, and a rule the service refuses is shown on the form. Small POST-only
actions (comment, assign, mark a notification read) are function views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)
from django.views.generic.detail import SingleObjectMixin

from bus_portal.access import RoleRequiredMixin, role_required
from bus_portal.documents import document_response
from bus_portal.pagination import OpenEndedPaginator
from bus_portal.roles import COUNTY_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from deviations import documents, services
from deviations.access import get_deviation_for_user
from deviations.filters import QueueFilter
from deviations.forms import (
    AssignForm,
    CategoryForm,
    CommentForm,
    DeviationForm,
    ReviewForm,
    StepForm,
)
from deviations.models import REPORTER_ROLES, Category, Deviation, Notification, Status
from deviations.statistics import compile_year


def _list_queryset(qs: QuerySet[Deviation]) -> QuerySet[Deviation]:
    return qs.select_related("reporter", "reporter_unit__principal", "area", "category")


class DeviationListView(LoginRequiredMixin, ListView):
    """Reports the user can see: their own, and those waiting for them."""

    template_name = "deviations/deviation_list.html"
    paginate_by = 25
    paginator_class = OpenEndedPaginator

    def get_queryset(self) -> QuerySet[Deviation]:
        return _list_queryset(Deviation.objects.visible_to(self.request.user)).order_by(
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


def _transition_url(deviation: Deviation, to_status: str) -> str:
    # reverse(), not redirect(name, ...): redirect's own first parameter is called ``to``.
    return reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": to_status})


class DraftFormMixin(ServiceFormMixin):
    """The report form: a new report, or the reporter's draft (``self.object``)."""

    form_class = DeviationForm
    template_name = "deviations/deviation_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        deviation = services.save_draft(
            user=self.request.user,
            cleaned=form.cleaned_data,
            deviation=self.object,
            request=self.request,
        )
        if "submit" in self.request.POST:
            # Sending is a step of its own, confirmed on the next page; the draft is saved first.
            return redirect(_transition_url(deviation, Status.WITH_MANAGER))
        messages.success(self.request, _("The draft is saved."))
        return redirect("deviations:detail", pk=deviation.pk)


class DeviationCreateView(DraftFormMixin, CreateView):
    required_roles = REPORTER_ROLES

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
        return initial


class DeviationUpdateView(DraftFormMixin, UpdateView):
    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        deviation = get_deviation_for_user(self.request, self.kwargs["pk"])
        if not deviation.can_edit(self.request.user):
            raise PermissionDenied
        return deviation


class DeviationDetailView(LoginRequiredMixin, DetailView):
    template_name = "deviations/deviation_detail.html"
    context_object_name = "deviation"

    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        return get_deviation_for_user(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        deviation = self.object
        can_act = deviation.can_act(user)
        context.update(
            steps=deviation.steps.select_related("actor"),
            comments=deviation.comments.select_related("author"),
            counterpart_principals=deviation.counterpart_principals.order_by("name"),
            counterpart_services=deviation.counterpart_services.all(),
            can_act=can_act,
            can_edit=deviation.can_edit(user),
            can_review=deviation.can_review(user),
            can_assign=deviation.can_assign(user),
            next_steps=[(s, Status(s).label) for s in deviation.next_steps] if can_act else [],
            comment_form=CommentForm(),
            assign_form=AssignForm(initial={"assigned_to": deviation.assigned_to_id}),
            ladder=_ladder(deviation),
            local_group=deviation.local_group(),
        )
        return context


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
    if deviation.is_closed:
        items.append({"label": deviation.get_status_display(), "current": True, "done": True})
    return items


class TransitionView(ServiceFormMixin, SingleObjectMixin, FormView):
    """GET: a confirmation page for one step (with a comment); POST: take the step."""

    form_class = StepForm
    template_name = "deviations/transition_confirm.html"
    context_object_name = "deviation"

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
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        to_status = self.kwargs["to"]
        return super().get_context_data(
            to_status=to_status,
            to_label=Status(to_status).label,
            missing=self.object.missing_for_move_to(to_status),
            **kwargs,
        )

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        to_status = self.kwargs["to"]
        services.move(
            deviation=self.object,
            to_status=to_status,
            user=self.request.user,
            comment=form.cleaned_data["comment"],
            request=self.request,
        )
        messages.success(
            self.request,
            _("Done: the report is now “%(status)s”.") % {"status": Status(to_status).label},
        )
        return redirect("deviations:detail", pk=self.object.pk)


@require_POST
@login_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = get_deviation_for_user(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(
            deviation=deviation, user=request.user, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, _("The comment is saved."))
    else:
        for error in form.errors.get("text", []):
            messages.error(request, _("Comment: %(error)s") % {"error": error})
    return redirect("deviations:detail", pk=deviation.pk)


@require_POST
@role_required(Role.SECRETARIAT)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = get_deviation_for_user(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.assign(
                deviation=deviation,
                user=request.user,
                assignee=form.cleaned_data["assigned_to"],
                request=request,
            )
            messages.success(request, _("The assignment is saved."))
        except services.DeviationError as error:
            messages.error(request, str(error))
    return redirect("deviations:detail", pk=deviation.pk)


class ReviewView(ServiceFormMixin, UpdateView):
    """The secretariat's judgement and response on a report sent to BUSSAM."""

    required_roles = (Role.SECRETARIAT,)
    form_class = ReviewForm
    template_name = "deviations/review_form.html"
    context_object_name = "deviation"

    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        deviation = get_deviation_for_user(self.request, self.kwargs["pk"])
        if not deviation.can_review(self.request.user):
            raise PermissionDenied
        return deviation

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.review(
            deviation=self.object,
            user=self.request.user,
            cleaned=form.cleaned_data,
            request=self.request,
        )
        if "close" in self.request.POST:
            # Closing is a step of its own, confirmed on the next page.
            return redirect(_transition_url(self.object, Status.CLOSED))
        messages.success(self.request, _("The secretariat's review is saved."))
        return redirect("deviations:detail", pk=self.object.pk)


class QueueView(RoleRequiredMixin, ListView):
    """Reports sent to BUSSAM, with filters, for the secretariat (and BUSSAM, read-only)."""

    required_roles = COUNTY_ROLES
    template_name = "deviations/queue.html"
    paginate_by = 25
    paginator_class = OpenEndedPaginator

    def get_queryset(self) -> QuerySet[Deviation]:
        base = Deviation.objects.visible_to(self.request.user).filter(
            reached_bussam_at__isnull=False
        )
        self.filterset = QueueFilter(self.request.GET or None, queryset=base)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base
        return (
            _list_queryset(qs).select_related("assigned_to").order_by("-reached_bussam_at", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class StatisticsView(RoleRequiredMixin, TemplateView):
    required_roles = COUNTY_ROLES
    template_name = "deviations/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        this_year = timezone.localdate().year
        context["compilation"] = compile_year(year)
        context["years"] = list(range(this_year, this_year - 6, -1))
        context["year"] = year
        return context


@role_required(*COUNTY_ROLES)
def statistics_pdf(request: HttpRequest) -> HttpResponse:
    document = documents.yearly_report(compile_year(_year(request)), user=request.user)
    services.record_statistics_export(user=request.user, document=document, request=request)
    return document_response(document)


@role_required(*COUNTY_ROLES)
def statistics_csv(request: HttpRequest) -> HttpResponse:
    document = documents.yearly_csv(compile_year(_year(request), with_charts=False))
    services.record_statistics_export(user=request.user, document=document, request=request)
    return document_response(document)


class CategoryListView(RoleRequiredMixin, ListView):
    required_roles = (Role.SECRETARIAT,)
    template_name = "deviations/category_list.html"

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.order_by("position", "name")


class CategoryFormMixin(ServiceFormMixin):
    """A new category, or a change to one (``self.object``); the secretariat keeps the list."""

    required_roles = (Role.SECRETARIAT,)
    form_class = CategoryForm
    template_name = "deviations/category_form.html"
    success_url = reverse_lazy("deviations:categories")

    def perform(self, form: forms.BaseForm) -> None:
        self.object = services.save_category(
            user=self.request.user,
            cleaned=form.cleaned_data,
            category=self.object,
            request=self.request,
        )
        messages.success(self.request, _("The category is saved."))


class CategoryCreateView(CategoryFormMixin, CreateView):
    pass


class CategoryUpdateView(CategoryFormMixin, UpdateView):
    queryset = Category.objects.all()


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    services.mark_read(notification=notification, user=request.user)
    if request.POST.get("next") == "detail":
        return redirect("deviations:detail", pk=notification.deviation_id)
    return redirect(reverse("home"))
