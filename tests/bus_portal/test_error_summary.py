"""Every link in the error summary reaches a control, check-box groups included (WCAG 2.4.3)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sip.demo import DRAFT_CHILD
from sip.models import Plan
from tests.sip.payloads import consent_post

pytestmark = pytest.mark.django_db


def test_a_check_box_groups_error_links_to_its_first_box(officer_client):
    plan = Plan.objects.get(child__personal_number=DRAFT_CHILD)
    # The consent form's principals are a required group of check boxes; none is ticked.
    response = officer_client.post(
        reverse("sip:consent_create", kwargs={"pk": plan.pk}), consent_post(principals=[])
    )
    body = response.content.decode()
    summary = re.search(r'id="error-summary".*?</div>', body, re.S).group(0)
    anchors = re.findall(r'href="#([^"]*)"', summary)
    assert anchors, summary
    for anchor in anchors:
        assert anchor, "a link to '#' reaches nothing"
        assert f'id="{anchor}"' in body, anchor
