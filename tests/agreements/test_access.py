"""Who reads and who edits: steering members, body members, drafts hidden from everyone else."""

import pytest
from django.urls import reverse

from agreements import access
from agreements.models import Body, LocalGroup, Meeting, MinutesStatus
from tests.agreements.factories import BodyMemberFactory

pytestmark = pytest.mark.django_db


def taby():
    return LocalGroup.objects.get(name="Täby")


def test_chair_is_steering_member_of_taby_and_nowhere_else(chair, chief, outsider):
    assert access.is_steering_member(chair, taby())
    assert not access.is_steering_member(chair, LocalGroup.objects.get(name="Norrtälje"))
    assert not access.is_steering_member(chief, taby())
    assert not access.is_steering_member(outsider, taby())
    assert [g.name for g in access.users_steering_groups(chair)] == ["Täby"]


def test_a_steering_body_chair_without_the_role_is_a_steering_member(officer):
    body = Body.objects.get(agreement__local_group__name="Norrtälje", name="Lokal styrgrupp")
    BodyMemberFactory(body=body, user=officer, role="member")
    assert access.is_steering_member(officer, body.agreement.local_group)
    assert access.can_edit_agreement(body.agreement, officer)


def test_working_group_member_logs_meetings_but_does_not_edit_the_agreement(chief):
    working = Body.objects.get(agreement__local_group__name="Täby", name="Arbetsgrupp")
    assert access.can_edit_meetings(working, chief)
    assert not access.can_edit_agreement(working.agreement, chief)
    steering = Body.objects.get(agreement__local_group__name="Täby", name="Lokal styrgrupp")
    assert not access.can_edit_meetings(steering, chief)


def test_draft_minutes_are_hidden_from_non_members(outsider_client, officer_client, chief_client):
    draft = Meeting.objects.filter(
        body__agreement__local_group__name="Täby", minutes_status=MinutesStatus.DRAFT
    ).first()
    url = reverse("agreements:meeting_detail", args=[draft.pk])
    assert outsider_client.get(url).status_code == 404
    assert officer_client.get(url).status_code == 404
    assert chief_client.get(url).status_code == 200
    assert (
        outsider_client.get(reverse("agreements:meeting_pdf", args=[draft.pk])).status_code == 404
    )


def test_published_minutes_are_readable_by_everyone(outsider_client):
    published = Meeting.objects.filter(
        body__agreement__local_group__name="Täby", minutes_status=MinutesStatus.PUBLISHED
    ).first()
    response = outsider_client.get(reverse("agreements:meeting_detail", args=[published.pk]))
    assert response.status_code == 200
    assert "Redigera" not in response.content.decode()


def test_the_group_page_lists_only_minutes_the_user_may_read(outsider_client, chief_client):
    url = reverse("agreements:group_detail", args=[taby().pk])
    outsider_page = outsider_client.get(url).content.decode()
    chief_page = chief_client.get(url).content.decode()
    assert "Utkast" not in outsider_page
    assert "Utkast" in chief_page


def test_a_former_member_no_longer_sees_drafts(officer):
    import datetime

    from agreements.models import BodyMember

    body = Body.objects.get(agreement__local_group__name="Täby", name="Arbetsgrupp")
    member = BodyMember.objects.create(body=body, name="Sara Ekholm", user=officer)
    draft = Meeting.objects.filter(body=body, minutes_status=MinutesStatus.DRAFT).first()
    assert Meeting.objects.visible_to(officer).filter(pk=draft.pk).exists()
    member.valid_to = datetime.date(2020, 1, 1)
    member.save()
    assert not Meeting.objects.visible_to(officer).filter(pk=draft.pk).exists()
