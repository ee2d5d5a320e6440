"""Every user's "Att göra" list, their e-mail choice, and the outbox an administrator reads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bus_portal import audit, inbox
from bus_portal.access import role_required
from bus_portal.models import AuditAction, OutboundMessage, User
from bus_portal.pagination import open_ended_page
from bus_portal.roles import Role


@login_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "bus_portal/inbox.html",
        {"items": inbox.request_items(request), "today": inbox.today()},
    )


class EmailChoiceForm(forms.ModelForm):
    email_digest = forms.TypedChoiceField(
        label=gettext_lazy("How do you want e-mail from the portal?"),
        choices=[
            (True, gettext_lazy("Once a day: one e-mail that lists what happened")),
            (False, gettext_lazy("At once: one e-mail for each event")),
        ],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Calendar invitations to meetings always come at once. E-mails never contain "
            "personal data about a child, only a short text and a link."
        ),
    )

    class Meta:
        model = User
        fields = ["email_digest"]


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = EmailChoiceForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            audit.record(
                user=user,
                action=AuditAction.CHANGE,
                obj=user,
                changes={"fields": ["email_digest"]},
                request=request,
            )
        messages.success(request, _("Your choice is saved."))
        return redirect("notification_settings")
    return render(request, "bus_portal/notification_settings.html", {"form": form})


@role_required(Role.ADMIN)
def outbox_list(request: HttpRequest) -> HttpResponse:
    """What the portal has sent or will send; in demo mode the place to read the e-mails."""
    page = open_ended_page(request, OutboundMessage.objects.select_related("recipient"), 50)
    return render(request, "bus_portal/outbox.html", {"page_obj": page})
