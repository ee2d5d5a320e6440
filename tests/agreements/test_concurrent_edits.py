"""Two people editing one record: the second save never replaces the first unseen.

Both open the edit form; the first saves. The second save is refused (409) and the page shows
what the first person changed since the form was opened, field by field, with the form again
holding the saved record and the second person's own changes on top (as the SIP edit does).
The PostgreSQL test sends two stale forms at the same moment.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from agreements.models import Agreement, Body, Meeting, MinutesStatus, Party, Revision
from tests.agreements.payloads import form_payload, post_in_parallel
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def draft_meeting() -> Meeting:
    return Meeting.objects.filter(
        body__agreement__local_group__name="Täby",
        body__name="Arbetsgrupp",
        minutes_status=MinutesStatus.DRAFT,
    ).first()


def meeting_url(meeting: Meeting) -> str:
    return reverse("agreements:meeting_edit", args=[meeting.pk])


def open_meeting(client, meeting):
    return client.get(meeting_url(meeting)).context


def meeting_payload(context, **changes) -> dict:
    return form_payload(context, formsets=["formset"], **changes)


def test_the_second_save_of_the_minutes_shows_what_the_first_changed_and_keeps_both(
    chair_client, chief_client
):
    meeting = draft_meeting()
    mine, theirs = open_meeting(chief_client, meeting), open_meeting(chair_client, meeting)
    first = chair_client.post(meeting_url(meeting), meeting_payload(theirs, minutes="Annas text."))
    assert first.status_code == 302

    refused = chief_client.post(meeting_url(meeting), meeting_payload(mine, place="Rum Näsby"))

    assert refused.status_code == 409
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.place) == ("Annas text.", draft_meeting().place)
    context = refused.context
    (change,) = context["their_changes"]
    assert change["label"] == "Minnesanteckningar" and change["theirs"] == "Annas text."
    assert [row["label"] for row in context["your_changes"]] == ["Plats"]
    body = refused.content.decode()
    assert 'id="stale-warning"' in body and "Annas text." in body
    form = context["form"]
    assert form["minutes"].value() == "Annas text."
    assert form["place"].value() == "Rum Näsby"
    assert form["lock_version"].value() == meeting.lock_version

    merged = chief_client.post(meeting_url(meeting), meeting_payload(context))
    assert merged.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.place) == ("Annas text.", "Rum Näsby")


def test_minutes_both_changed_are_shown_side_by_side_and_replaced_only_knowingly(
    chair_client, chief_client
):
    meeting = draft_meeting()
    mine, theirs = open_meeting(chief_client, meeting), open_meeting(chair_client, meeting)
    chair_client.post(meeting_url(meeting), meeting_payload(theirs, minutes="Annas text."))
    refused = chief_client.post(meeting_url(meeting), meeting_payload(mine, minutes="Mina ord."))
    assert refused.status_code == 409
    assert refused.context["conflicts"] == 1
    (change,) = refused.context["their_changes"]
    assert change["conflict"] and (change["theirs"], change["yours"]) == (
        "Annas text.",
        "Mina ord.",
    )
    assert "Ni har båda ändrat ett fält" in refused.content.decode()
    assert refused.context["form"]["minutes"].value() == "Mina ord."
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Annas text."


def test_saving_a_stale_meeting_form_again_still_cannot_overwrite(chair_client, chief_client):
    meeting = draft_meeting()
    mine, theirs = open_meeting(chief_client, meeting), open_meeting(chair_client, meeting)
    chair_client.post(meeting_url(meeting), meeting_payload(theirs, minutes="Annas text."))
    stale = meeting_payload(mine, minutes="Mina ord.")
    statuses = [chief_client.post(meeting_url(meeting), stale).status_code for _ in range(3)]
    assert statuses == [409, 409, 409]
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Annas text."


def test_twenty_pairs_saving_the_same_minutes_lose_no_text(chair_client, chief_client):
    """The reported bug: both got "saved" and one text was lost, 20 times of 20."""
    meeting = draft_meeting()
    lost = refused = 0
    for attempt in range(20):
        mine, theirs = open_meeting(chief_client, meeting), open_meeting(chair_client, meeting)
        chair_client.post(meeting_url(meeting), meeting_payload(theirs, minutes=f"Anna {attempt}"))
        response = chief_client.post(
            meeting_url(meeting), meeting_payload(mine, minutes=f"Olle {attempt}")
        )
        if response.status_code == 409:
            refused += 1
            # Olle sees Anna's text beside his own and writes both into the form.
            text = f"Anna {attempt}\nOlle {attempt}"
            chief_client.post(meeting_url(meeting), meeting_payload(response.context, minutes=text))
        saved = Meeting.objects.get(pk=meeting.pk).minutes
        lost += not (f"Anna {attempt}" in saved and f"Olle {attempt}" in saved)
    assert (refused, lost) == (20, 0)


def test_an_altered_base_shows_every_difference_as_both_changed(chair_client, chief_client):
    meeting = draft_meeting()
    mine, theirs = open_meeting(chief_client, meeting), open_meeting(chair_client, meeting)
    chair_client.post(meeting_url(meeting), meeting_payload(theirs, minutes="Annas text."))
    refused = chief_client.post(
        meeting_url(meeting), meeting_payload(mine, base="förfalskad", place="Rum B")
    )
    assert refused.status_code == 409
    labels = {row["label"] for row in refused.context["their_changes"]}
    assert {"Minnesanteckningar", "Plats"} <= labels
    assert all(row["conflict"] for row in refused.context["their_changes"])


# Revisions -----------------------------------------------------------------------------------


def draft_revision(admin) -> Revision:
    from agreements import services

    agreement = Agreement.objects.get(local_group__name="Täby")
    return services.start_revision(agreement=agreement, user=admin)


def revision_url(revision: Revision) -> str:
    return reverse("agreements:revision_edit", args=[revision.pk])


def revision_payload(context, **changes) -> dict:
    return form_payload(context, formsets=["formset"], **changes)


def test_two_people_editing_a_revision_merge_terms_and_sections(chair_client, admin_client, admin):
    revision = draft_revision(admin)
    url = revision_url(revision)
    mine, theirs = chair_client.get(url).context, admin_client.get(url).context
    purpose = revision.sections.get(key="purpose")
    index = next(f.prefix for f in theirs["formset"].forms if f.initial.get("id") == purpose.pk)
    assert (
        admin_client.post(
            url, revision_payload(theirs, **{f"{index}-text": "Nytt syfte från Sara."})
        ).status_code
        == 302
    )
    refused = chair_client.post(url, revision_payload(mine, diary_number="KS 2026/77"))
    assert refused.status_code == 409
    (change,) = refused.context["their_changes"]
    assert change["label"] == "Avsnitt" and "Nytt syfte från Sara." in change["theirs"]
    assert refused.context["form"]["diary_number"].value() == "KS 2026/77"
    merged = revision_payload(refused.context)
    assert chair_client.post(url, merged).status_code == 302
    revision.refresh_from_db()
    assert revision.diary_number == "KS 2026/77"
    assert revision.sections.get(key="purpose").text == "Nytt syfte från Sara."


# Other edit forms: bodies, members, parties ---------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "obj", "field", "theirs", "mine"),
    [
        (
            "agreements:body_edit",
            lambda: Body.objects.get(agreement__local_group__name="Täby", name="Arbetsgrupp"),
            "remit",
            "Arbetsgruppen samordnar.",
            "Arbetsgruppen leder.",
        ),
        (
            "agreements:party_edit",
            lambda: (
                Party.objects.filter(revision__agreement__local_group__name="Täby")
                .order_by("-revision__number", "id")
                .first()
            ),
            "contact_person",
            "Eva Ek",
            "Per Al",
        ),
    ],
)
def test_other_edit_forms_refuse_a_stale_save(
    chair_client, admin_client, url_name, obj, field, theirs, mine
):
    record = obj()
    url = reverse(url_name, args=[record.pk])
    mine_ctx, theirs_ctx = chair_client.get(url).context, admin_client.get(url).context
    assert admin_client.post(url, form_payload(theirs_ctx, **{field: theirs})).status_code == 302
    refused = chair_client.post(url, form_payload(mine_ctx, **{field: mine}))
    assert refused.status_code == 409
    record.refresh_from_db()
    assert getattr(record, field) == theirs
    assert refused.context["conflicts"] == 1


# PostgreSQL: two stale forms at the same moment ------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time; the sequential tests above cover it there",
)
def test_two_stale_minutes_forms_sent_at_once_save_one_and_refuse_the_other(demo_county):
    meeting = draft_meeting()
    url = meeting_url(meeting)
    chair, chief = client_for("chair"), client_for("chief")
    base = meeting_payload(chair.get(url).context)
    statuses = post_in_parallel(
        [
            (chair, url, {**base, "minutes": "Annas text."}),
            (chief, url, {**base, "minutes": "Olles text."}),
        ]
    )
    assert sorted(statuses) == [302, 409]
    saved = Meeting.objects.get(pk=meeting.pk)
    winner = "Annas text." if statuses[0] == 302 else "Olles text."
    assert saved.minutes == winner and saved.lock_version == base["lock_version"] + 1
