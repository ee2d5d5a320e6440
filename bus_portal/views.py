from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from bus_portal import inbox
from bus_portal.access import RoleRequiredMixin
from bus_portal.forms import AccessLogFilterForm
from bus_portal.models import AuditEvent, User
from bus_portal.pagination import open_ended_page
from bus_portal.registry import portal
from bus_portal.roles import Role

# How many of the user's inbox items the start page lists.
HOME_INBOX_ITEMS = 10


@login_required
def home(request):
    return render(
        request,
        "home.html",
        {
            "panels": portal.dashboard_panels(request),
            "inbox_items": inbox.request_items(request)[:HOME_INBOX_ITEMS],
            "today": inbox.today(),
        },
    )


class AccessLogView(RoleRequiredMixin, TemplateView):
    """A unit chief reviews who read, changed or was refused records that belong to their units.

    Newest first, 50 a page, without a total: counting a unit's share of millions of audit rows
    would cost more than showing them (issue 7). A GET form narrows the log to one child (by
    identity number, or a plan's or case's number), a user and a period.
    """

    required_roles = (Role.UNIT_CHIEF,)
    template_name = "bus_portal/access_log.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        user = self.request.user
        assert isinstance(user, User)  # RoleRequiredMixin let only a signed-in unit chief in
        subjects = portal.audit_subjects(user.unit_ids_with_role(Role.UNIT_CHIEF))
        form = AccessLogFilterForm(self.request.GET or None, subjects=subjects)
        events: QuerySet[AuditEvent] = AuditEvent.objects.none()
        if not form.is_bound or form.is_valid():
            events = _filtered_events(subjects, form.cleaned_data if form.is_bound else {})
        page = open_ended_page(self.request, events, self.paginate_by)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page_obj=page,
            object_list=page.object_list,
            is_paginated=page.has_other_pages(),
            query_string=query.urlencode(),
            **kwargs,
        )


def _filtered_events(subjects: set[str], filters: dict) -> QuerySet[AuditEvent]:
    """The rows about these subjects, narrowed by the access log's valid filters."""
    chosen = filters.get("child") or subjects
    events = AuditEvent.objects.filter(subject__any=sorted(chosen))
    for word in filters.get("user") or []:
        events = events.filter(
            Q(actor__username__icontains=word)
            | Q(actor__first_name__icontains=word)
            | Q(actor__last_name__icontains=word)
        )
    if filters.get("date_from"):
        events = events.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_start_of(filters["date_to"] + datetime.timedelta(days=1)))
    return events.select_related("actor", "content_type")


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of the day, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
