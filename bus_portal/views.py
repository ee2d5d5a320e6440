from __future__ import annotations

import base64
import datetime
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bus_portal import inbox
from bus_portal.access import RoleRequiredMixin
from bus_portal.forms import AccessLogFilterForm, LoginForm, TokenForm, TotpSetupForm
from bus_portal.models import AuditEvent, User
from bus_portal.pagination import open_ended_page
from bus_portal.registry import portal
from bus_portal.roles import Role


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            from django.contrib.auth import get_user_model

            context["demo_users"] = (
                get_user_model()
                .objects.filter(is_demo=True)
                .order_by("id")
                .only("username", "first_name", "last_name", "title")
            )
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


def _safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


@never_cache
@login_required
def otp_verify(request):
    """Second factor: a TOTP code; users without a confirmed device are sent to set one up."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{_url('otp_setup')}?next={_safe_next(request, '/')}")
    form = TokenForm(request.user, request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.get_user().otp_device)
        return redirect(_safe_next(request))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@never_cache
@login_required
def otp_setup(request):
    """Enrol an authenticator app: show the secret as a QR code, confirm with one valid code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_url("otp_verify"))
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Autentiseringsapp"}
    )
    form = TotpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor login is activated."))
            return redirect(_safe_next(request))
        form.add_error(
            "otp_token",
            _("The code does not match. Check that your phone's clock is correct and try again."),
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    qr_data = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr_data": qr_data, "secret": secret, "next": _safe_next(request, "")},
    )


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# The start page shows the most urgent items; the whole list is on /att-gora/.
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
