"""A create form sent twice — a double click, a resend, ten parallel posts — creates one record.

The forms carry a one-time token (bus_portal.submissions); a repeated send is taken to what the
first one created. The parallel test runs on PostgreSQL, where sends really overlap.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Unit
from bus_portal.models import FormSubmission
from bus_portal.submissions import TOKEN_FIELD
from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.models import Child, Consent, ForumCase, Plan, PlanVersion
from tests.conftest import demo_user
from tests.sip.payloads import NEW_CHILD, consent_post, new_plan_post
from tests.submissions import once


def forum_post() -> dict:
    bup = Unit.objects.get(name="BUP Täby öppenvård")
    return once(
        {
            "child_first_name": "Ines",
            "child_last_name": "Dubbelforum",
            "personal_number": "201107139824",
            "need_noticed_on": str(timezone.localdate()),
            "question": "Oenighet om stöd",
            "invited_units": [str(bup.pk)],
        }
    )


@pytest.mark.django_db
def test_the_new_plan_form_sent_twice_makes_one_plan_and_one_child(officer_client):
    data = new_plan_post()
    first = officer_client.post(reverse("sip:plan_create"), data)
    second = officer_client.post(reverse("sip:plan_create"), data, follow=True)
    plan = Plan.objects.get(child__personal_number=NEW_CHILD)
    assert first.status_code == 302 and first["Location"] == plan.get_absolute_url()
    # The second send lands on the same plan and says so.
    assert second.redirect_chain[-1][0] == plan.get_absolute_url()
    assert "Formuläret var redan skickat" in second.content.decode()
    assert Child.objects.filter(personal_number=NEW_CHILD).count() == 1


@pytest.mark.django_db
def test_a_refused_send_keeps_the_token_usable(officer_client):
    data = new_plan_post(question="")  # refused: the joint question is required
    refused = officer_client.post(reverse("sip:plan_create"), data)
    assert refused.status_code == 200
    # The page shown again carries the same token, and the corrected form saves.
    assert data[TOKEN_FIELD] in refused.content.decode()
    saved = officer_client.post(reverse("sip:plan_create"), {**data, "question": "Behöver stöd"})
    assert saved.status_code == 302
    assert Plan.objects.filter(child__personal_number=NEW_CHILD).count() == 1


@pytest.mark.django_db
def test_a_send_without_a_token_is_refused_and_gets_a_fresh_one(officer_client):
    data = new_plan_post()
    del data[TOKEN_FIELD]
    response = officer_client.post(reverse("sip:plan_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Formuläret kunde inte skickas som det var" in body
    assert f'name="{TOKEN_FIELD}" value="' in body
    assert not Plan.objects.filter(child__personal_number=NEW_CHILD).exists()


@pytest.mark.django_db
def test_another_users_token_leads_nowhere(officer_client, officer2_client):
    data = new_plan_post()
    officer_client.post(reverse("sip:plan_create"), data)
    response = officer2_client.post(reverse("sip:plan_create"), data)
    assert response.status_code == 200
    assert "redan skickats" in response.content.decode()
    assert Plan.objects.filter(child__personal_number=NEW_CHILD).count() == 1


@pytest.mark.django_db
def test_consent_forum_case_and_follow_up_sent_twice_create_once(officer_client, chief_client):
    draft = Plan.objects.get(child__personal_number=DRAFT_CHILD)
    consents = Consent.objects.filter(plan=draft).count()
    data = consent_post(person="guardian_1", form="recorded", child_is_mature="")
    url = reverse("sip:consent_create", kwargs={"pk": draft.pk})
    assert [officer_client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert Consent.objects.filter(plan=draft).count() == consents + 1

    data = forum_post()
    assert [chief_client.post(reverse("sip:forum_create"), data).status_code] * 2 == [302] * 2
    chief_client.post(reverse("sip:forum_create"), data)
    assert ForumCase.objects.filter(child__last_name="Dubbelforum").count() == 1

    agreed = Plan.objects.get(child__personal_number=AGREED_CHILD)
    versions = agreed.versions.count()
    data = {"meeting_on": str(timezone.localdate()), "summary": "Klart."}
    for measure in agreed.measures.all():
        data[f"m{measure.pk}-outcome"] = "done"
    data = once(data)
    url = reverse("sip:plan_followup", kwargs={"pk": agreed.pk})
    assert [officer_client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert PlanVersion.objects.filter(plan=agreed).count() == versions + 1


def _post_in_parallel(username: str, url: str, data: dict, times: int = 10) -> list[int]:
    """Send the same form ``times`` times at once, each from its own thread and connection."""
    session = Client()
    session.force_login(demo_user(username))
    barrier = threading.Barrier(times)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        client = Client()
        client.cookies = session.cookies
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time; the sequential tests above cover it there",
)
def test_ten_parallel_sends_of_each_create_form_make_one_record(demo_county):
    statuses = _post_in_parallel("officer", reverse("sip:plan_create"), new_plan_post())
    assert statuses == [302] * 10
    assert Plan.objects.filter(child__personal_number=NEW_CHILD).count() == 1
    assert Child.objects.filter(personal_number=NEW_CHILD).count() == 1

    draft = Plan.objects.get(child__personal_number=DRAFT_CHILD)
    consents = Consent.objects.filter(plan=draft).count()
    url = reverse("sip:consent_create", kwargs={"pk": draft.pk})
    assert (
        _post_in_parallel(
            "officer", url, consent_post(person="guardian_1", form="recorded", child_is_mature="")
        )
        == [302] * 10
    )
    assert Consent.objects.filter(plan=draft).count() == consents + 1

    assert _post_in_parallel("chief", reverse("sip:forum_create"), forum_post()) == [302] * 10
    assert ForumCase.objects.filter(child__last_name="Dubbelforum").count() == 1
    assert FormSubmission.objects.count() == 3
