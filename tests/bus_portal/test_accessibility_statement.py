"""The accessibility statement (DOS-lagen, Digg's model): public, linked from every page, with a
way to report a problem that reaches the administrators."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bus_portal.models import AccessibilityReport, OutboundMessage

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_follows_diggs_model():
    response = Client().get(reverse("accessibility"))
    assert response.status_code == 200
    body = response.content.decode()
    for heading in (
        "Hur tillgänglig är portalen?",
        "Rapportera en brist i tillgängligheten",
        "Tillsyn",
        "Teknisk information om portalens tillgänglighet",
        "Hur vi har testat portalen",
    ):
        assert heading in body, heading
    assert "https://www.digg.se/tdosanmalan" in body


def test_every_page_links_to_it_from_the_footer(officer_client):
    body = officer_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accessibility")}"' in body
    assert "Rapportera en brist i tillgängligheten" in body


def test_a_report_is_stored_and_mailed_to_the_administrators(
    settings, officer_client, django_capture_on_commit_callbacks
):
    settings.ACCESSIBILITY_EMAIL = "tillganglighet@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("accessibility"),
            {"page": "/sip/", "description": "Tabellen går inte att läsa med skärmläsare."},
        )
    assert response.status_code == 302
    report = AccessibilityReport.objects.get()
    assert report.page == "/sip/" and report.user.username == "officer"
    (message,) = mail.outbox
    assert message.to == ["tillganglighet@example.org"]
    assert "/sip/" in message.body and "Tabellen" not in message.body
    # Through the outbox: the administrator can read it on the outbox page, and it is retried.
    stored = OutboundMessage.objects.get(source=f"accessibility.report:{report.pk}")
    assert stored.sent_at and not stored.digest
    assert stored.url == reverse("admin:bus_portal_accessibilityreport_change", args=[report.pk])
    assert stored.url in message.body


@pytest.mark.parametrize("description", ["", "x" * 5001])
def test_an_empty_or_overlong_report_is_refused_with_the_text_kept(description):
    response = Client().post(reverse("accessibility"), {"page": "/", "description": description})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not AccessibilityReport.objects.exists()
