"""The secretariat's screens: assignment, review, the queue of reports sent to BUSSAM, the
yearly statistics and the categories. Same patterns as ``deviations.views``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from bus_portal.access import RoleRequiredMixin, role_required
from bus_portal.concurrency import three_way
from bus_portal.documents import document_response
from bus_portal.errors import DomainError
from bus_portal.pagination import OpenEndedPaginator
from bus_portal.roles import COUNTY_ROLES, Role
from bus_portal.views_generic import ServiceFormMixin
from deviations import documents, edit_state, services
from deviations.access import get_deviation_for_user
from deviations.filters import QueueFilter
from deviations.forms import AssignForm, CategoryForm, ReviewForm
from deviations.models import Category, Deviation, Status
from deviations.statistics import compile_year
from deviations.views import list_queryset, transition_url


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
    """The secretariat's judgement and response on a report sent to BUSSAM.

    Optimistic locking as on the report form: a save over someone else's is refused with 409,
    what they changed, and the form with the saved review and this user's changes on top.
    """

    required_roles = (Role.SECRETARIAT,)
    form_class = ReviewForm
    template_name = "deviations/review_form.html"
    context_object_name = "deviation"

    def get_object(self, queryset: QuerySet[Deviation] | None = None) -> Deviation:
        deviation = get_deviation_for_user(self.request, self.kwargs["pk"])
        if not deviation.can_review(self.request.user):
            raise PermissionDenied
        return deviation

    def get_initial(self) -> dict[str, Any]:
        state = edit_state.review_state(self.object)
        return {
            "lock_version": self.object.lock_version,
            "base": edit_state.sign(self.object, state, form="review"),
        }

    def perform(self, form: forms.BaseForm) -> HttpResponse:
        services.review(
            deviation=self.object,
            user=self.request.user,
            cleaned=form.cleaned_data,
            # A form without its version (sent from a page older than the guard) counts as stale.
            expected_version=form.cleaned_data.get("lock_version") or 0,
            request=self.request,
        )
        if "close" in self.request.POST:
            # Closing is a step of its own, confirmed on the next page.
            return redirect(transition_url(self.object, Status.CLOSED))
        messages.success(self.request, _("The secretariat's review is saved."))
        return redirect("deviations:detail", pk=self.object.pk)

    def refused(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, services.StaleEdit):
            return super().refused(form, error)
        deviation = Deviation.objects.get(pk=self.object.pk)
        theirs = edit_state.review_state(deviation)
        merge = three_way(
            edit_state.unsign(deviation, form.cleaned_data.get("base", ""), form="review"),
            theirs,
            edit_state.posted_review_state(form),
        )
        merged = ReviewForm(
            initial={
                **merge.state,
                "lock_version": deviation.lock_version,
                "base": edit_state.sign(deviation, theirs, form="review"),
            },
            instance=deviation,
        )
        describe = edit_state.Describer(merged)
        self.object = deviation
        response = self.render_to_response(
            self.get_context_data(
                form=merged,
                stale=error,
                their_changes=describe.rows(merge.theirs),
                your_changes=describe.rows(merge.yours),
                conflicts=len(merge.conflicts),
            )
        )
        response.status_code = 409
        return response


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
        return list_queryset(qs).select_related("assigned_to").order_by("-reached_bussam_at", "-id")

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
