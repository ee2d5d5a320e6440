"""Follow-up evaluations are chosen, never defaulted (issue 12, item 4)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sip.demo import AGREED_CHILD
from sip.models import Plan
from tests.submissions import once

pytestmark = pytest.mark.django_db


def agreed_plan() -> Plan:
    return Plan.objects.get(child__personal_number=AGREED_CHILD)


def test_the_form_preselects_no_outcome(officer_client):
    plan = agreed_plan()
    body = officer_client.get(reverse("sip:plan_followup", kwargs={"pk": plan.pk})).content.decode()
    measures = list(plan.measures.all())
    for measure in measures:
        select = re.search(rf'<select name="m{measure.pk}-outcome".*?</select>', body, re.S)
        assert select is not None
        selected = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))
        assert selected == [""], selected  # the empty "choose" option, never "done"


def test_submitting_without_choosing_is_refused_listing_the_measures(officer_client):
    plan = agreed_plan()
    versions = plan.versions.count()
    first, second, third = plan.measures.all()
    response = officer_client.post(
        reverse("sip:plan_followup", kwargs={"pk": plan.pk}),
        once(
            {
                "meeting_on": str(timezone.localdate()),
                "summary": "Mötet gick bra.",
                f"m{first.pk}-outcome": "ongoing",
                f"m{first.pk}-comment": "Fortsätter som förut",
            }
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    summary = re.search(r'id="error-summary".*?</div>', body, re.S).group(0)
    assert f"insats 2 ({second.description[:60]})" in summary
    assert f"insats 3 ({third.description[:60]})" in summary
    assert "insats 1 (" not in summary
    # The input is kept.
    assert "Mötet gick bra." in body and "Fortsätter som förut" in body
    assert re.search(r'<option value="ongoing" selected>', body)
    assert plan.versions.count() == versions


def test_every_measure_chosen_saves_the_follow_up(officer_client):
    plan = agreed_plan()
    data = {"meeting_on": str(timezone.localdate()), "summary": "Klart."}
    for measure in plan.measures.all():
        data[f"m{measure.pk}-outcome"] = "not_started"
    response = officer_client.post(reverse("sip:plan_followup", kwargs={"pk": plan.pk}), once(data))
    assert response.status_code == 302
    latest = plan.versions.order_by("-number").first()
    assert {e.outcome for e in latest.evaluations.all()} == {"not_started"}
