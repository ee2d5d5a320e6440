"""The create form pre-filled from a declined SIP invitation: initial values only, no personal
data, odd parameters ignored, and the de-identification checkbox still required."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Unit
from deviations.models import Deviation
from tests.submissions import once

pytestmark = pytest.mark.django_db

URL = reverse("deviations:create")


def bup() -> Unit:
    return Unit.objects.get(principal__name="Region Stockholm", name="BUP Täby öppenvård")


def test_the_link_from_a_declined_invitation_fills_in_the_form(officer_client):
    count = Deviation.objects.count()
    day = timezone.localdate() - datetime.timedelta(days=3)
    page = officer_client.get(
        URL,
        {"prefill": "sip_declined", "occurred_on": day.isoformat(), "counterpart_unit": bup().pk},
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["event_date"] == day
    assert form.initial["counterpart_principals"] == [bup().principal_id]
    assert form.initial["counterpart_services"] == ["bup"]
    assert form["category"].value() is not None
    assert "SIP" in form.fields["category"].queryset.get(pk=form["category"].value()).name
    html = page.content.decode()
    assert "En huvudman deltog inte i ett SIP-möte som den var kallad till." in html
    assert 'id="prefilled"' in html
    assert Deviation.objects.count() == count  # nothing saved by showing it


@pytest.mark.parametrize(
    "params",
    [
        {"prefill": "sip_declined", "occurred_on": "2099-01-01", "counterpart_unit": "1e9"},
        {"prefill": "sip_declined", "occurred_on": "31/12/2025", "counterpart_unit": "-4"},
        {"prefill": "sip_declined", "occurred_on": "1999-12-31", "counterpart_unit": "9" * 40},
        {"prefill": "sip_declined", "occurred_on": "2025-02-30", "counterpart_unit": "٣"},
        {"prefill": "sip_declined", "occurred_on": "x" * 5000, "counterpart_unit": "99999999"},
        {"prefill": "something_else", "occurred_on": "2025-01-01"},
        {"prefill": "sip_declined\x00", "counterpart_unit": "1"},
    ],
)
def test_odd_parameters_are_ignored(officer_client, params):
    page = officer_client.get(URL, params)
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["event_date"] == timezone.localdate()  # the usual default
    assert "counterpart_principals" not in initial


def test_it_is_saved_only_when_sent_and_confirmed(officer_client):
    params = {"prefill": "sip_declined", "counterpart_unit": bup().pk}
    form = officer_client.get(URL, params).context["form"]
    data = {
        name: value
        for name in form.fields
        if (value := form[name].value()) is not None and name != "confirm_no_identification"
    }
    data["consequence"] = "Planeringen försenades."
    data = once(data)
    refused = officer_client.post(URL + "?prefill=sip_declined", data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm_no_identification"]
    assert not Deviation.objects.filter(description__startswith="En huvudman deltog").exists()
    sent = officer_client.post(URL, {**data, "confirm_no_identification": "on"})
    assert sent.status_code == 302
    saved = Deviation.objects.get(description__startswith="En huvudman deltog")
    assert list(saved.counterpart_principals.all()) == [bup().principal]
