"""The accessibility statement (tillgänglighetsredogörelse) and reporting a problem with it.

Public: anyone who cannot use the portal must be able to read how to get help and report it.
A report is stored and e-mailed to the administrators (``ACCESSIBILITY_EMAIL``) in the
background.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from bus_portal.links import absolute_url
from bus_portal.models import AccessibilityReport

#: The date the statement was last reviewed (Digg's model asks for it).
REVIEWED_ON = "2026-11-29"


class ReportForm(forms.ModelForm):
    class Meta:
        model = AccessibilityReport
        fields = ["page", "description", "contact"]
        labels = {
            "page": gettext_lazy("Which page (address or name)"),
            "description": gettext_lazy("What did not work?"),
            "contact": gettext_lazy("Your e-mail, if you want an answer"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


@task()
def notify_accessibility_report(report_id: int) -> None:
    report = AccessibilityReport.objects.get(pk=report_id)
    admin_url = absolute_url("admin:bus_portal_accessibilityreport_change", object_id=report.pk)
    send_mail(
        subject=_("Accessibility problem reported in BUS-portalen"),
        message=_("A problem with accessibility was reported on %(page)s.\n\n%(url)s")
        % {"page": report.page or "–", "url": admin_url},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[str(settings.ACCESSIBILITY_EMAIL)],
    )


def statement(request: HttpRequest) -> HttpResponse:
    initial = {"page": request.GET.get("sida", "")[:500]}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        if request.user.is_authenticated:
            report.user = request.user
        report.save()
        transaction.on_commit(lambda: notify_accessibility_report.enqueue(report.pk))
        messages.success(request, _("Thank you. The report was sent to the administrators."))
        return redirect("accessibility")
    return render(
        request,
        "bus_portal/accessibility.html",
        {"form": form, "reviewed_on": REVIEWED_ON, "contact": settings.ACCESSIBILITY_EMAIL},
    )
