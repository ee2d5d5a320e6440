""" "Min plan" in the child's words, with the professional text only as a marked fallback."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from sip import documents
from sip.demo import DRAFT_CHILD
from sip.models import Plan
from tests.sip.payloads import edit_payload

pytestmark = pytest.mark.django_db

HINT = "Texten är skriven för vuxna"


def draft_plan() -> Plan:
    return Plan.objects.get(child__personal_number=DRAFT_CHILD)


def test_without_child_language_the_adult_text_is_shown_with_a_hint(officer_client):
    plan = draft_plan()
    body = officer_client.get(reverse("sip:my_plan", kwargs={"pk": plan.pk})).content.decode()
    assert HINT in body
    assert plan.measures.first().description in body


def test_the_officer_writes_my_plan_with_the_child_on_the_edit_page(officer_client):
    plan = draft_plan()
    url = reverse("sip:plan_edit", kwargs={"pk": plan.pk})
    form_page = officer_client.get(url).content.decode()
    for name in ("my_plan_what", "my_plan_who", "my_plan_when"):
        assert f'name="{name}"' in form_page
    response = officer_client.post(
        url,
        edit_payload(
            officer_client,
            plan,
            my_plan_what="Jag får prata med Jonas varannan vecka.",
            my_plan_who="Jonas på BUP och min lärare Anna.",
            my_plan_when="Vi ses igen efter sommarlovet.",
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.snapshot()["my_plan_who"] == "Jonas på BUP och min lärare Anna."

    body = officer_client.get(reverse("sip:my_plan", kwargs={"pk": plan.pk})).content.decode()
    assert "Jag får prata med Jonas varannan vecka." in body
    assert "Jonas på BUP och min lärare Anna." in body
    assert "Vi ses igen efter sommarlovet." in body
    assert HINT not in body
    assert plan.measures.first().description not in body

    plan = Plan.objects.get(pk=plan.pk)
    with translation.override("sv"):
        html = render_to_string("sip/pdf/my_plan.html", documents.my_plan_context(plan))
    assert "Jag får prata med Jonas varannan vecka." in html and HINT not in html
    pdf = officer_client.get(reverse("sip:my_plan_pdf", kwargs={"pk": plan.pk}))
    assert pdf.content.startswith(b"%PDF-")


def test_one_empty_field_falls_back_with_the_hint_in_its_own_section(officer_client):
    plan = draft_plan()
    Plan.objects.filter(pk=plan.pk).update(my_plan_what="Jag får hjälp i skolan.")
    plan = Plan.objects.get(pk=plan.pk)
    with translation.override("sv"):
        html = render_to_string("sip/pdf/my_plan.html", documents.my_plan_context(plan))
    what, _sep, rest = html.partition("Vem hjälper mig")
    assert "Jag får hjälp i skolan." in what and HINT not in what
    assert HINT in rest  # "who helps me" is the professional list, marked
