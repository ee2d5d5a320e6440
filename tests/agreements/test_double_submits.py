"""A create form sent twice — a double click, a resend, ten parallel posts — creates one record.

The agreements create forms carry a one-time token (bus_portal.submissions); a repeated send is
taken to what the first one created. The parallel test runs on PostgreSQL, where sends overlap.
"""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Agreement,
    Attachment,
    Body,
    BodyMember,
    LocalGroup,
    Meeting,
    MinutesAddendum,
    Party,
    PlanItem,
    Principal,
    Review,
    Signatory,
)
from bus_portal.submissions import TOKEN_FIELD
from tests.conftest import demo_user
from tests.submissions import once

TODAY = timezone.localdate()


def taby() -> Agreement:
    return Agreement.objects.get(local_group__name="Täby")


def steering() -> Body:
    return Body.objects.get(agreement=taby(), name="Lokal styrgrupp")


def draft_party(admin) -> Party:
    """A party of a new, unsigned revision of Täby's agreement."""
    from agreements import services

    revision = services.start_revision(agreement=taby(), user=admin)
    return revision.parties.order_by("id").first()


def meeting_data() -> dict:
    return {
        "held_on": TODAY.isoformat(),
        "place": "Dubbelklickrummet",
        "host_principal": Principal.objects.get(name="Täby kommun").pk,
        "minutes": "Ett möte.",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        # The empty assignment row as shown: assigned to the working group by default.
        "assignments-0-body": Body.objects.get(agreement=taby(), name="Arbetsgrupp").pk,
    }


def pdf(name="skanning.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 dubbel", content_type="application/pdf")


# Each create form: (url, data, how many records of the kind exist).
def create_forms(admin):
    party = draft_party(admin)
    group = LocalGroup.objects.get(name="Skärholmen")
    published = Meeting.objects.filter(body=steering(), minutes_status="published").first()
    return {
        "agreement": (
            reverse("agreements:agreement_create", args=[group.pk]),
            {"title": "Dubbel överenskommelse", "template": "empty"},
            lambda: Agreement.objects.filter(local_group=group).count(),
        ),
        "meeting": (
            reverse("agreements:meeting_create", args=[steering().pk]),
            meeting_data(),
            lambda: Meeting.objects.filter(place="Dubbelklickrummet").count(),
        ),
        "party": (
            reverse("agreements:party_create", args=[party.revision_id]),
            {"principal": Principal.objects.get(name="Danderyds kommun").pk},
            lambda: Party.objects.filter(
                revision=party.revision_id, principal__name="Danderyds kommun"
            ).count(),
        ),
        "signatory": (
            reverse("agreements:signatory_create", args=[party.pk]),
            {"name": "Dubbel Dubbelsson"},
            lambda: Signatory.objects.filter(name="Dubbel Dubbelsson").count(),
        ),
        "plan item": (
            reverse("agreements:plan_item_create", args=[taby().pk]),
            {"year": TODAY.year, "kind": "goal", "text": "Dubbelmål"},
            lambda: PlanItem.objects.filter(text="Dubbelmål").count(),
        ),
        "body": (
            reverse("agreements:body_create", args=[taby().pk]),
            {
                "name": "Dubbelorgan",
                "kind": "other",
                "min_meetings_per_term": 1,
                "notice_days": 7,
                "position": 9,
            },
            lambda: Body.objects.filter(name="Dubbelorgan").count(),
        ),
        "member": (
            reverse("agreements:member_create", args=[steering().pk]),
            {"name": "Dubbel Ledamot", "role": "member"},
            lambda: BodyMember.objects.filter(name="Dubbel Ledamot").count(),
        ),
        "addendum": (
            reverse("agreements:meeting_addendum", args=[published.pk]),
            {"text": "Dubbelt tillägg"},
            lambda: MinutesAddendum.objects.filter(text="Dubbelt tillägg").count(),
        ),
        "review": (
            reverse("agreements:review_record", args=[taby().pk]),
            {"reviewed_on": TODAY.isoformat(), "next_review": TODAY.replace(year=TODAY.year + 1)},
            lambda: Review.objects.filter(agreement=taby()).count(),
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind",
    [
        "agreement",
        "meeting",
        "party",
        "signatory",
        "plan item",
        "body",
        "member",
        "addendum",
        "review",
    ],
)
def test_each_create_form_sent_twice_creates_once(admin_client, admin, kind):
    url, data, count = create_forms(admin)[kind]
    before = count()
    data = once(data)
    first = admin_client.post(url, data)
    second = admin_client.post(url, data, follow=True)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert count() == before + 1
    # The second send lands where the first one went, and says so.
    assert second.redirect_chain[-1][0].split("#")[0] == first["Location"].split("#")[0]
    assert "Formuläret var redan skickat" in second.content.decode()


@pytest.mark.django_db
def test_an_attachment_sent_twice_is_kept_once(chair_client):
    url = reverse("agreements:attachment_create", args=[taby().pk])
    data = once({"kind": "appendix", "title": "Dubbelbilaga"})
    assert chair_client.post(url, {**data, "file": pdf()}).status_code == 302
    assert chair_client.post(url, {**data, "file": pdf()}).status_code == 302
    assert Attachment.objects.filter(title="Dubbelbilaga").count() == 1


@pytest.mark.django_db
def test_a_refused_create_keeps_its_token_and_the_corrected_form_saves(chair_client):
    url = reverse("agreements:plan_item_create", args=[taby().pk])
    data = once({"year": "99999999999999999999", "kind": "goal", "text": "Rättat mål"})
    refused = chair_client.post(url, data)
    assert refused.status_code == 200
    assert data[TOKEN_FIELD] in refused.content.decode()
    assert chair_client.post(url, {**data, "year": TODAY.year}).status_code == 302
    assert PlanItem.objects.filter(text="Rättat mål").count() == 1


@pytest.mark.django_db
def test_a_create_without_a_token_is_refused(chair_client):
    url = reverse("agreements:meeting_create", args=[steering().pk])
    response = chair_client.post(url, meeting_data())
    assert response.status_code == 200
    assert "Formuläret kunde inte skickas som det var" in response.content.decode()
    assert not Meeting.objects.filter(place="Dubbelklickrummet").exists()


def _post_in_parallel(username: str, url: str, data: dict, times: int = 10) -> list[int]:
    """Send the same form ``times`` times at once, each from its own thread and connection.

    (The pattern of tests/sip/test_double_submits.py, copied: apps' tests do not import each
    other.)
    """
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
@pytest.mark.parametrize("kind", ["meeting", "agreement", "party", "plan item"])
def test_ten_parallel_sends_of_a_create_form_make_one_record(demo_county, kind):
    url, data, count = create_forms(demo_user("admin"))[kind]
    before = count()
    statuses = _post_in_parallel("admin", url, once(data))
    assert statuses == [302] * 10
    assert count() == before + 1
