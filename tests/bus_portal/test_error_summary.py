"""Every link in the error summary reaches a control, check-box groups included (WCAG 2.4.3)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sip.demo import DRAFT_CHILD
from sip.models import Plan
from tests.submissions import once

pytestmark = pytest.mark.django_db


def test_a_check_box_groups_error_links_to_its_first_box(officer_client):
    plan = Plan.objects.get(child__personal_number=DRAFT_CHILD)
    response = officer_client.post(
        reverse("sip:plan_agree", kwargs={"pk": plan.pk}), once({"meeting_on": "2026-11-01"})
    )
    body = response.content.decode()
    summary = re.search(r'id="error-summary".*?</div>', body, re.S).group(0)
    anchors = re.findall(r'href="#([^"]*)"', summary)
    assert anchors, summary
    for anchor in anchors:
        assert anchor, "a link to '#' reaches nothing"
        assert f'id="{anchor}"' in body, anchor
