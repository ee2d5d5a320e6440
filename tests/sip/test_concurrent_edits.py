"""Two people editing one plan: the second save never replaces the first unseen.

Both open the edit form; the first saves. The second save is refused (409) and the page shows
what the first person changed since the form was opened, field by field, with the form again
holding the saved plan and the second person's own changes on top of it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from sip.demo import DRAFT_CHILD
from sip.models import Plan
from tests.sip.payloads import form_payload

pytestmark = pytest.mark.django_db


def plan() -> Plan:
    return Plan.objects.get(child__personal_number=DRAFT_CHILD)


def measure_key(data: dict, pk: int) -> str:
    """The posted name of the measure row's id field ("measures-1-id")."""
    return next(
        k for k, v in data.items() if k.startswith("measures-") and k.endswith("-id") and v == pk
    )


def open_form(client):
    return client.get(reverse("sip:plan_edit", kwargs={"pk": plan().pk})).context


def save(client, data):
    return client.post(reverse("sip:plan_edit", kwargs={"pk": plan().pk}), data)


def test_the_second_save_shows_what_the_first_changed_and_keeps_both(
    officer_client, officer2_client
):
    original = plan()
    mine, theirs = open_form(officer2_client), open_form(officer_client)
    assert save(officer_client, form_payload(theirs, question="Saras nya fråga")).status_code == 302

    refused = save(officer2_client, form_payload(mine, goals_short="Jonas nya mål"))

    assert refused.status_code == 409
    saved = plan()
    assert (saved.question, saved.goals_short) == ("Saras nya fråga", original.goals_short)
    context = refused.context
    (change,) = context["their_changes"]
    assert change["label"] == "Gemensam fråga och behov"
    assert (change["base"], change["theirs"]) == (original.question, "Saras nya fråga")
    assert not change["conflict"]
    assert [row["label"] for row in context["your_changes"]] == ["Mål på kort sikt"]
    body = refused.content.decode()
    assert 'id="stale-warning"' in body and "Saras nya fråga" in body
    # The form holds their question and my goals; saving it keeps both.
    form = context["form"]
    assert form["question"].value() == "Saras nya fråga"
    assert form["goals_short"].value() == "Jonas nya mål"
    assert form["lock_version"].value() == saved.lock_version

    assert save(officer2_client, form_payload(context)).status_code == 302
    merged = plan()
    assert (merged.question, merged.goals_short) == ("Saras nya fråga", "Jonas nya mål")


def test_saving_the_stale_form_again_still_cannot_overwrite(officer_client, officer2_client):
    mine, theirs = open_form(officer2_client), open_form(officer_client)
    save(officer_client, form_payload(theirs, question="Saras fråga"))
    stale = form_payload(mine, question="Jonas fråga")
    assert [save(officer2_client, stale).status_code for _ in range(3)] == [409, 409, 409]
    assert plan().question == "Saras fråga"


def test_a_field_both_changed_is_shown_side_by_side_and_replaced_only_knowingly(
    officer_client, officer2_client
):
    mine, theirs = open_form(officer2_client), open_form(officer_client)
    save(officer_client, form_payload(theirs, question="Saras fråga"))
    refused = save(officer2_client, form_payload(mine, question="Jonas fråga"))
    assert refused.status_code == 409
    assert refused.context["conflicts"] == 1
    (change,) = refused.context["their_changes"]
    assert change["conflict"] and (change["theirs"], change["yours"]) == (
        "Saras fråga",
        "Jonas fråga",
    )
    assert "Ni har båda ändrat ett fält" in refused.content.decode()
    assert refused.context["form"]["question"].value() == "Jonas fråga"
    # Saving the shown form is a choice made with both texts in view.
    assert save(officer2_client, form_payload(refused.context)).status_code == 302
    assert plan().question == "Jonas fråga"


def test_rows_added_changed_and_removed_by_either_are_merged(officer_client, officer2_client):
    draft = plan()
    first, second = list(draft.measures.all())[:2]
    mine, theirs = open_form(officer2_client), open_form(officer_client)
    # They add a measure and remove the second one.
    their_data = form_payload(theirs)
    index = measure_key(their_data, second.pk)
    their_data[index.replace("-id", "-DELETE")] = "on"
    total = int(their_data["measures-TOTAL_FORMS"])
    their_data.update(
        {
            "measures-TOTAL_FORMS": str(total + 1),
            f"measures-{total}-description": "Läxhjälp på biblioteket",
            f"measures-{total}-other_actor": "Biblioteket",
        }
    )
    assert save(officer_client, their_data).status_code == 302
    # I change the first measure's text.
    my_index = measure_key(form_payload(mine), first.pk)
    refused = save(
        officer2_client,
        form_payload(mine, **{my_index.replace("-id", "-description"): "Samtal varje vecka"}),
    )
    assert refused.status_code == 409
    labels = [(row["label"], row["theirs"]) for row in refused.context["their_changes"]]
    assert ("Insats", "Läxhjälp på biblioteket | Biblioteket | ") in labels
    assert any(row["theirs"] == "(raden finns inte)" for row in refused.context["their_changes"])

    assert save(officer2_client, form_payload(refused.context)).status_code == 302
    descriptions = list(plan().measures.values_list("description", flat=True))
    assert "Samtal varje vecka" in descriptions and "Läxhjälp på biblioteket" in descriptions
    assert second.description not in descriptions


def test_an_altered_base_shows_every_difference_as_both_changed(officer_client, officer2_client):
    mine, theirs = open_form(officer2_client), open_form(officer_client)
    save(officer_client, form_payload(theirs, question="Saras fråga"))
    refused = save(officer2_client, form_payload(mine, base="förfalskad", chair="Jonas"))
    assert refused.status_code == 409
    assert {row["label"] for row in refused.context["their_changes"]} >= {
        "Gemensam fråga och behov",
        "Ordförande",
    }
    assert all(row["conflict"] for row in refused.context["their_changes"])
    assert plan().question == "Saras fråga"


def test_twenty_pairs_of_concurrent_edits_lose_nothing(officer_client, officer2_client):
    lost = 0
    for attempt in range(20):
        mine, theirs = open_form(officer2_client), open_form(officer_client)
        save(officer_client, form_payload(theirs, question=f"Fråga {attempt}"))
        response = save(officer2_client, form_payload(mine, chair=f"Ordförande {attempt}"))
        if response.status_code == 409:
            save(officer2_client, form_payload(response.context))
        saved = plan()
        lost += (saved.question, saved.chair) != (f"Fråga {attempt}", f"Ordförande {attempt}")
    assert lost == 0
