"""Two tabs on one draft: the second save never replaces the first unseen.

Both open the edit form; the first saves. The second is refused with 409, the page shows what
the first changed field by field, and the form holds the saved report with the second tab's own
changes on top. A redaction meanwhile counts as a save: the stale form cannot put the text back.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from bus_portal.concurrency import sign_state
from deviations import redaction
from deviations.models import Deviation, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory

pytestmark = pytest.mark.django_db


def payload(context, **changes) -> dict:
    """What the browser sends from the edit form as shown, with ``changes`` typed into it."""
    form = context["form"]
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "on" if value is True else str(value)
    data.update(confirm_no_identification="on", save_draft="1", **changes)
    return data


@pytest.fixture
def draft() -> Deviation:
    return DeviationFactory(
        description="Remissen till BUP returnerades.", consequence="Stödet dröjde."
    )


def open_form(client, draft):
    return client.get(reverse("deviations:edit", kwargs={"pk": draft.pk})).context


def save(client, draft, data):
    return client.post(reverse("deviations:edit", kwargs={"pk": draft.pk}), data)


def test_the_second_tab_gets_409_with_what_changed_and_keeps_both(officer_client, draft):
    first, second = open_form(officer_client, draft), open_form(officer_client, draft)
    saved = save(officer_client, draft, payload(first, description="Text från flik ett."))
    assert saved.status_code == 302

    refused = save(officer_client, draft, payload(second, consequence="Text från flik två."))

    assert refused.status_code == 409
    draft.refresh_from_db()
    assert (draft.description, draft.consequence) == ("Text från flik ett.", "Stödet dröjde.")
    context = refused.context
    (change,) = context["their_changes"]
    assert change["label"] == "Beskrivning av samverkansproblemet"
    assert (change["base"], change["theirs"]) == (
        "Remissen till BUP returnerades.",
        "Text från flik ett.",
    )
    assert not change["conflict"]
    assert [row["label"] for row in context["your_changes"]] == [
        "Konsekvens för barnet, i allmänna ordalag"
    ]
    body = refused.content.decode()
    assert 'id="stale-warning"' in body and "Text från flik ett." in body
    # The form holds their description and my consequence; saving it keeps both.
    form = context["form"]
    assert form["description"].value() == "Text från flik ett."
    assert form["consequence"].value() == "Text från flik två."
    assert form["lock_version"].value() == draft.lock_version
    assert save(officer_client, draft, payload(context)).status_code == 302
    draft.refresh_from_db()
    assert (draft.description, draft.consequence) == ("Text från flik ett.", "Text från flik två.")


def test_saving_the_stale_form_again_still_cannot_overwrite(officer_client, draft):
    first, second = open_form(officer_client, draft), open_form(officer_client, draft)
    save(officer_client, draft, payload(first, description="Ett."))
    stale = payload(second, description="Två.")
    assert [save(officer_client, draft, stale).status_code for _ in range(3)] == [409] * 3
    draft.refresh_from_db()
    assert draft.description == "Ett."


def test_a_field_both_changed_is_shown_side_by_side(officer_client, draft):
    first, second = open_form(officer_client, draft), open_form(officer_client, draft)
    save(officer_client, draft, payload(first, description="Ett."))
    refused = save(officer_client, draft, payload(second, description="Två."))
    assert refused.status_code == 409
    assert refused.context["conflicts"] == 1
    (change,) = refused.context["their_changes"]
    assert change["conflict"] and (change["theirs"], change["yours"]) == ("Ett.", "Två.")
    assert refused.context["form"]["description"].value() == "Två."
    assert "Ni har båda ändrat ett fält" in refused.content.decode()


def test_an_altered_or_missing_base_shows_every_difference(officer_client, draft):
    first, second = open_form(officer_client, draft), open_form(officer_client, draft)
    save(officer_client, draft, payload(first, description="Ett."))
    forged = payload(second, consequence="Två.")
    forged["base"] = sign_state({"description": "x"}, salt="another")
    refused = save(officer_client, draft, forged)
    assert refused.status_code == 409
    labels = {row["label"] for row in refused.context["their_changes"]}
    assert {"Beskrivning av samverkansproblemet", "Konsekvens för barnet, i allmänna ordalag"} <= (
        labels
    )


def test_a_form_without_its_version_cannot_overwrite(officer_client, draft):
    first = open_form(officer_client, draft)
    save(officer_client, draft, payload(first, description="Ett."))
    data = payload(first, description="Utan version.")
    del data["lock_version"]
    assert save(officer_client, draft, data).status_code == 409


def test_a_redaction_meanwhile_cannot_be_undone_by_a_stale_form(officer_client):
    draft = DeviationFactory(description="Elsa väntade. Remissen returnerades.")
    stale = open_form(officer_client, draft)
    redaction.redact(deviation=draft, user=demo_user("secretariat"), phrase="Elsa")
    data = payload(stale, consequence="Ny konsekvens.")
    # The stale text still holds the name: first the warning, then the refusal.
    warned = save(officer_client, draft, data)
    assert warned.status_code == 200 and warned.context["form"].warnings
    data["warnings_seen"] = warned.context["form"].warnings_fingerprint()
    refused = save(officer_client, draft, data)
    assert refused.status_code == 409
    draft.refresh_from_db()
    assert draft.description == "[borttaget] väntade. Remissen returnerades."
    form = refused.context["form"]
    assert form["description"].value() == "[borttaget] väntade. Remissen returnerades."
    assert save(officer_client, draft, payload(refused.context)).status_code == 302
    draft.refresh_from_db()
    assert "Elsa" not in draft.description and draft.consequence == "Ny konsekvens."


def test_a_returned_report_is_edited_under_the_same_lock(officer_client):
    from tests.deviations.factories import advance

    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    from deviations import services

    services.move(
        deviation=deviation, to_status=Status.RETURNED, user=demo_user("chief"), comment="Fråga?"
    )
    first, second = open_form(officer_client, deviation), open_form(officer_client, deviation)
    assert save(officer_client, deviation, payload(first, description="Ett.")).status_code == 302
    assert save(officer_client, deviation, payload(second, description="Två.")).status_code == 409


# --- the secretariat's review: two of the secretariat writing the response at once -----------
def _review_form(client, deviation):
    return client.get(reverse("deviations:review", kwargs={"pk": deviation.pk})).context


def _review(client, deviation, context, **changes):
    form = context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return client.post(reverse("deviations:review", kwargs={"pk": deviation.pk}), data)


@pytest.fixture
def at_bussam() -> Deviation:
    from tests.deviations.factories import advance

    return advance(
        DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM
    )


def test_two_reviews_at_once_keep_both_texts(secretariat_client, at_bussam):
    first = _review_form(secretariat_client, at_bussam)
    second = _review_form(secretariat_client, at_bussam)
    saved = _review(secretariat_client, at_bussam, first, response="Svar från den första.")
    assert saved.status_code == 302

    refused = _review(secretariat_client, at_bussam, second, regional_action="routine")

    assert refused.status_code == 409
    at_bussam.refresh_from_db()
    assert (at_bussam.response, at_bussam.regional_action) == ("Svar från den första.", "")
    (change,) = refused.context["their_changes"]
    assert change["theirs"] == "Svar från den första." and not change["conflict"]
    assert [row["yours"] for row in refused.context["your_changes"]] == ["Regional rutin behövs"]
    body = refused.content.decode()
    assert 'id="stale-warning"' in body and "Svar från den första." in body
    # The form holds their response with my regional action on top; saving it keeps both.
    form = refused.context["form"]
    assert form["response"].value() == "Svar från den första."
    assert form["regional_action"].value() == "routine"
    assert _review(secretariat_client, at_bussam, refused.context).status_code == 302
    at_bussam.refresh_from_db()
    assert (at_bussam.response, at_bussam.regional_action) == ("Svar från den första.", "routine")


def test_a_stale_review_form_never_overwrites_and_shows_both_responses(
    secretariat_client, at_bussam
):
    first = _review_form(secretariat_client, at_bussam)
    second = _review_form(secretariat_client, at_bussam)
    _review(secretariat_client, at_bussam, first, response="Ett.")
    statuses = [
        _review(secretariat_client, at_bussam, second, response="Två.").status_code
        for _ in range(2)
    ]
    assert statuses == [409, 409]
    at_bussam.refresh_from_db()
    assert at_bussam.response == "Ett."
    refused = _review(secretariat_client, at_bussam, second, response="Två.")
    assert refused.context["conflicts"] == 1
    assert refused.context["form"]["response"].value() == "Två."


def test_a_review_form_without_its_version_cannot_overwrite(secretariat_client, at_bussam):
    form = _review_form(secretariat_client, at_bussam)
    _review(secretariat_client, at_bussam, form, response="Ett.")
    data = {"regional_action": "", "regional_action_url": "", "response": "Utan version."}
    response = secretariat_client.post(
        reverse("deviations:review", kwargs={"pk": at_bussam.pk}), data
    )
    assert response.status_code == 409
    at_bussam.refresh_from_db()
    assert at_bussam.response == "Ett."
