"""Screens and actions for deviation reports. Services change state; views only call them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from bus_portal import audit
from bus_portal.access import RoleRequiredMixin, role_required
from bus_portal.documents import document_response, render_csv
from bus_portal.models import AuditAction
from bus_portal.roles import Role
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
from deviations.models import (
    LOCAL_GROUP_ROLES,
    MANAGER_ROLES,
    Category,
    Deviation,
    Notification,
    Status,
)
from deviations.statistics import compile_year, csv_rows

REPORTER_ROLES = (Role.CASE_OFFICER, *MANAGER_ROLES, *LOCAL_GROUP_ROLES)
COUNTY = (Role.SECRETARIAT, Role.BUSSAM)


def _list_queryset(qs):
    return qs.select_related("reporter", "reporter_unit__principal", "area", "category")


class DeviationListView(LoginRequiredMixin, ListView):
    """Reports the user can see: their own, and those waiting for them."""

    template_name = "deviations/deviation_list.html"
    paginate_by = 25

    def get_queryset(self):
        return _list_queryset(Deviation.objects.visible_to(self.request.user)).order_by(
            "-created_at", "-id"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_report"] = user.has_role(*REPORTER_ROLES)
        context["is_county"] = user.has_role(*COUNTY)
        context["is_secretariat"] = user.has_role(Role.SECRETARIAT)
        page_ids = [d.pk for d in context["object_list"]]
        context["may_act_ids"] = set(
            Deviation.objects.waiting_for(user).filter(pk__in=page_ids).values_list("pk", flat=True)
        )
        return context


class DeviationCreateView(RoleRequiredMixin, CreateView):
    required_roles = REPORTER_ROLES
    form_class = DeviationForm
    template_name = "deviations/deviation_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        user = self.request.user
        memberships = user.active_memberships
        initial = {"event_date": timezone.localdate()}
        if memberships:
            unit = memberships[0].unit
            initial["reporter_unit"] = unit.pk
            initial["area"] = unit.area_id
        contact = [user.get_full_name() or user.username]
        contact += [x for x in (user.title, user.phone, user.email) if x]
        initial["contact_person"] = ", ".join(contact)
        return initial

    def form_valid(self, form):
        try:
            deviation = services.save_draft(
                user=self.request.user, cleaned=form.cleaned_data, request=self.request
            )
        except services.DeviationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return _after_save(self.request, deviation)


def _after_save(request, deviation):
    if "submit" in request.POST:
        return redirect(
            reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": Status.WITH_MANAGER})
        )
    messages.success(request, _("The draft is saved."))
    return redirect("deviations:detail", pk=deviation.pk)


class DeviationUpdateView(LoginRequiredMixin, UpdateView):
    form_class = DeviationForm
    template_name = "deviations/deviation_form.html"

    def get_object(self, queryset=None):
        deviation = get_deviation_for_user(self.request, self.kwargs["pk"])
        if deviation.reporter_id != self.request.user.pk or deviation.status != Status.DRAFT:
            raise PermissionDenied
        return deviation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            deviation = services.save_draft(
                user=self.request.user,
                cleaned=form.cleaned_data,
                deviation=self.object,
                request=self.request,
            )
        except services.DeviationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return _after_save(self.request, deviation)


class DeviationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "deviations/deviation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        deviation = get_deviation_for_user(self.request, self.kwargs["pk"])
        may_act = deviation.may_act(user)
        context.update(
            deviation=deviation,
            steps=deviation.steps.select_related("actor"),
            comments=deviation.comments.select_related("author"),
            counterpart_principals=deviation.counterpart_principals.order_by("name"),
            counterpart_services=deviation.counterpart_services.all(),
            may_act=may_act,
            next_steps=[(s, Status(s).label) for s in deviation.next_steps] if may_act else [],
            is_secretariat=user.has_role(Role.SECRETARIAT)
            and deviation.reached_bussam_at is not None,
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


class TransitionView(LoginRequiredMixin, View):
    """GET: a confirmation page for one step (with a comment); POST: take the step."""

    template_name = "deviations/transition_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.deviation = get_deviation_for_user(request, kwargs["pk"], write=True)
        self.to_status = kwargs["to"]
        if self.to_status not in Status.values:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "deviation": self.deviation,
                "form": form,
                "to_status": self.to_status,
                "to_label": Status(self.to_status).label,
                "missing": self.deviation.missing_for(self.to_status),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self._render(StepForm())

    def post(self, request, *args, **kwargs):
        form = StepForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            services.move(
                deviation=self.deviation,
                to_status=self.to_status,
                user=request.user,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except services.DeviationError as error:
            messages.error(request, str(error))
            return redirect("deviations:detail", pk=self.deviation.pk)
        messages.success(
            request,
            _("Done: the report is now “%(status)s”.") % {"status": Status(self.to_status).label},
        )
        return redirect("deviations:detail", pk=self.deviation.pk)


@require_POST
def comment(request, pk):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
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
def assign(request, pk):
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


class ReviewView(RoleRequiredMixin, View):
    """The secretariat's judgement and response on a report sent to BUSSAM."""

    required_roles = (Role.SECRETARIAT,)
    template_name = "deviations/review_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.required_roles):
            raise PermissionDenied
        self.deviation = get_deviation_for_user(request, kwargs["pk"])
        if self.deviation.status != Status.WITH_BUSSAM:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self._render(ReviewForm(instance=self.deviation))

    def _render(self, form):
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"deviation": self.deviation, "form": form},
        )

    def post(self, request, *args, **kwargs):
        form = ReviewForm(request.POST, instance=Deviation.objects.get(pk=self.deviation.pk))
        if not form.is_valid():
            return self._render(form)
        try:
            services.review(
                deviation=self.deviation,
                user=request.user,
                cleaned=form.cleaned_data,
                request=request,
            )
        except services.DeviationError as error:
            messages.error(request, str(error))
            return redirect("deviations:detail", pk=self.deviation.pk)
        if "close" in request.POST:
            return redirect(
                reverse(
                    "deviations:transition", kwargs={"pk": self.deviation.pk, "to": Status.CLOSED}
                )
            )
        messages.success(request, _("The secretariat's review is saved."))
        return redirect("deviations:detail", pk=self.deviation.pk)


class QueueView(RoleRequiredMixin, ListView):
    """Reports sent to BUSSAM, with filters, for the secretariat (and BUSSAM, read-only)."""

    required_roles = COUNTY
    template_name = "deviations/queue.html"
    paginate_by = 25

    def get_queryset(self):
        base = Deviation.objects.visible_to(self.request.user).filter(
            reached_bussam_at__isnull=False
        )
        self.filterset = QueueFilter(self.request.GET or None, queryset=base)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base
        return (
            _list_queryset(qs).select_related("assigned_to").order_by("-reached_bussam_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class StatisticsView(RoleRequiredMixin, TemplateView):
    required_roles = COUNTY
    template_name = "deviations/statistics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        this_year = timezone.localdate().year
        context["compilation"] = compile_year(year)
        context["years"] = list(range(this_year, this_year - 6, -1))
        context["year"] = year
        return context


@role_required(*COUNTY)
def statistics_pdf(request):
    year = _year(request)
    compilation = compile_year(year)
    document = documents.yearly_report(compilation, user=request.user)
    with_audit = Category.objects.first() or Deviation.objects.first()
    if with_audit is not None:
        audit.record(
            user=request.user,
            action=AuditAction.EXPORT,
            obj=with_audit,
            purpose=f"deviation statistics {year} (PDF)",
            request=request,
        )
    return document_response(document)


@role_required(*COUNTY)
def statistics_csv(request):
    year = _year(request)
    compilation = compile_year(year, with_charts=False)
    document = render_csv(
        [_("Section"), _("Row"), _("Column"), _("Value")],
        csv_rows(compilation),
        filename=f"avvikelser-{year}.csv",
    )
    with_audit = Category.objects.first() or Deviation.objects.first()
    if with_audit is not None:
        audit.record(
            user=request.user,
            action=AuditAction.EXPORT,
            obj=with_audit,
            purpose=f"deviation statistics {year} (CSV)",
            request=request,
        )
    return document_response(document)


class CategoryListView(RoleRequiredMixin, ListView):
    required_roles = (Role.SECRETARIAT,)
    template_name = "deviations/category_list.html"

    def get_queryset(self):
        return Category.objects.order_by("position", "name")


class CategoryCreateView(RoleRequiredMixin, CreateView):
    required_roles = (Role.SECRETARIAT,)
    form_class = CategoryForm
    template_name = "deviations/category_form.html"

    def form_valid(self, form):
        category = form.save()
        audit.record(
            user=self.request.user,
            action=AuditAction.CREATE,
            obj=category,
            purpose="deviation category",
            request=self.request,
        )
        messages.success(self.request, _("The category is saved."))
        return redirect("deviations:categories")


class CategoryUpdateView(RoleRequiredMixin, UpdateView):
    required_roles = (Role.SECRETARIAT,)
    form_class = CategoryForm
    template_name = "deviations/category_form.html"
    queryset = Category.objects.all()

    def form_valid(self, form):
        category = form.save()
        audit.record(
            user=self.request.user,
            action=AuditAction.CHANGE,
            obj=category,
            purpose="deviation category",
            request=self.request,
        )
        messages.success(self.request, _("The category is saved."))
        return redirect("deviations:categories")


@require_POST
def notification_read(request, pk):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    services.mark_read(notification=notification, user=request.user)
    target = request.POST.get("next")
    if target == "detail":
        return redirect("deviations:detail", pk=notification.deviation_id)
    return redirect(reverse("home"))
