"""The administrator finds agreements' records in Django admin (no more 404) and reads them there;
removing one goes through the same service as the portal: its rules and its audit row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.audit import Purpose
from agreements.models import (
    Agreement,
    Attachment,
    BodyMember,
    Meeting,
    MinutesStatus,
    Party,
    PlanItem,
    Review,
    Revision,
    Signatory,
)
from bus_portal.models import AuditEvent
from tests.agreements.factories import MeetingFactory, PartyFactory, RevisionFactory

pytestmark = pytest.mark.django_db

MODELS = [Revision, Party, Signatory, PlanItem, Attachment, Meeting, Review, BodyMember]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_admin_lists_and_shows_each_record(admin_client, model):
    meta = model._meta
    listing = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        page = admin_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        )
        assert page.status_code == 200
    # Records are added in the portal, where the rules and the audit apply.
    assert (
        admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code
        == 403
    )


def test_removing_a_wrong_party_in_the_admin_is_audited_like_the_portal(admin_client, admin):
    revision = RevisionFactory(agreement=Agreement.objects.get(local_group__name="Täby"), number=50)
    party = PartyFactory(revision=revision)
    url = reverse("admin:agreements_party_delete", args=[party.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Party.objects.filter(pk=party.pk).exists()
    row = AuditEvent.objects.get(object_id=str(party.pk), purpose=Purpose.PARTY_REMOVED)
    assert row.actor == admin


def test_the_admin_cannot_remove_what_the_rules_keep(admin_client):
    signed = Party.objects.filter(revision__agreement__local_group__name="Täby").first()
    assert (
        admin_client.post(
            reverse("admin:agreements_party_delete", args=[signed.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    published = Meeting.objects.filter(minutes_status=MinutesStatus.PUBLISHED).first()
    assert (
        admin_client.post(
            reverse("admin:agreements_meeting_delete", args=[published.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Party.objects.filter(pk=signed.pk).exists()
    assert Meeting.objects.filter(pk=published.pk).exists()


def test_a_draft_test_meeting_is_deleted_in_the_admin_through_the_service(admin_client):
    meeting = MeetingFactory(minutes="Test")
    response = admin_client.post(
        reverse("admin:agreements_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert AuditEvent.objects.filter(
        object_id=str(meeting.pk), purpose=Purpose.MEETING_DELETED
    ).exists()


def test_the_admin_links_to_where_the_record_is_corrected(admin_client):
    party = Party.objects.first()
    page = admin_client.get(reverse("admin:agreements_party_change", args=[party.pk]))
    assert reverse("agreements:party_edit", args=[party.pk]) in page.content.decode()
