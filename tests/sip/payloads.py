"""What sip's forms send: posted data for the tests, built once here."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from agreements.models import Principal, Unit
from sip.models import Plan
from tests.submissions import once

#: A child the demo county does not have (the new-plan form creates it).
NEW_CHILD = "201502287632"


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_plan_post(**overrides) -> dict:
    """The new-plan form for ``NEW_CHILD``, with one participant and one measure (BUP Täby)."""
    taby = Principal.objects.get(name="Täby kommun")
    bup = Unit.objects.get(name="BUP Täby öppenvård")
    data = {
        "child_first_name": "Mira",
        "child_last_name": "Provsson",
        "personal_number": NEW_CHILD[2:],
        "guardian1_name": "Eva Provsson",
        "need_noticed_on": str(timezone.localdate()),
        "question": "Behöver stöd",
        "overall_principal": str(taby.pk),
        "legal_reference": "SoL 16 kap. 4 §",
        "lock_version": "",
        **management("participants", 1),
        "participants-0-kind": "unit",
        "participants-0-unit": str(bup.pk),
        "participants-0-name": "Jonas Vikander",
        **management("measures", 1),
        "measures-0-description": "Samtal",
        "measures-0-unit": str(bup.pk),
    }
    return once({**data, **overrides})


def consent_post(**overrides) -> dict:
    """A consent given by the child, shared by Täby kommun and Region Stockholm."""
    principals = Principal.objects.filter(name__in=["Täby kommun", "Region Stockholm"])
    data = {
        "person": "child",
        "person_name": "Alva",
        "child_is_mature": "on",
        "principals": [str(p.pk) for p in principals],
        "given_on": str(timezone.localdate()),
        "form": "written",
    }
    return once({**data, **overrides})


def form_payload(context, **changes) -> dict:
    """What the plan form a page shows sends when saved, with ``changes`` typed into it."""
    data: dict = {}
    for form in (context["form"], *context["participants"], *context["measures"]):
        for bound in form:
            value = bound.value()
            if value is None or value is False or value == "":
                continue
            data[bound.html_name] = "on" if value is True else getattr(value, "pk", value)
    for formset in (context["participants"], context["measures"]):
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
    data.update(changes)
    return data


def edit_payload(client, plan: Plan, **changes) -> dict:
    """What the edit form posts when opened now and saved with ``changes``."""
    context = client.get(reverse("sip:plan_edit", kwargs={"pk": plan.pk})).context
    return form_payload(context, **changes)
