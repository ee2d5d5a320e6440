"""The accessibility statement (tillgänglighetsredogörelse) and reporting a problem with it.

Public: anyone who cannot use the portal must be able to read how to get help and report it.
A report is stored and e-mailed at once to the administrators (``ACCESSIBILITY_EMAIL``)
through the outbox.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bus_portal import outbox
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


def notify_accessibility_report(report: AccessibilityReport) -> None:
    outbox.send(
        str(settings.ACCESSIBILITY_EMAIL),
        subject=_("Accessibility problem reported in BUS-portalen"),
        body=_("A problem with accessibility was reported on %(page)s.")
        % {"page": report.page or "–"},
        url=reverse("admin:bus_portal_accessibilityreport_change", args=[report.pk]),
        source=f"accessibility.report:{report.pk}",
    )


def statement(request: HttpRequest) -> HttpResponse:
    initial = {"page": request.GET.get("sida", "")[:500]}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        if request.user.is_authenticated:
            report.user = request.user
        report.save()
        notify_accessibility_report(report)
        messages.success(request, _("Thank you. The report was sent to the administrators."))
        return redirect("accessibility")
    return render(
        request,
        "bus_portal/accessibility.html",
        {"form": form, "reviewed_on": REVIEWED_ON, "contact": settings.ACCESSIBILITY_EMAIL},
    )
