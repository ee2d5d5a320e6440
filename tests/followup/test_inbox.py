"""The county survey in "Att göra": the contact person's open surveys, due by the deadline, gone
once the group's answer is submitted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.models import LocalGroup
from bus_portal.models import User
from followup import inbox
from followup.models import Response, Survey, SurveyContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    user = User.objects.get(username="chair")
    group = LocalGroup.objects.get(name="Täby")
    SurveyContact.objects.get_or_create(group=group, user=user)
    return user, group


def open_survey() -> Survey:
    survey = Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year").first()
    assert survey is not None, "the demo has an open survey"
    return survey


def test_a_contact_person_is_asked_to_answer_by_the_deadline(contact):
    user, group = contact
    survey = open_survey()
    Response.objects.filter(survey=survey, group=group).delete()
    items = [
        i for i in inbox.items(user) if str(survey.year) in i.detail and group.name in i.detail
    ]
    assert len(items) == 1
    assert items[0].due == survey.deadline
    assert items[0].url == reverse(
        "followup:response_start", kwargs={"year": survey.year, "group": group.pk}
    )


def test_a_draft_is_to_be_finished_and_a_submitted_answer_is_done(contact):
    user, group = contact
    survey = open_survey()
    Response.objects.filter(survey=survey, group=group).delete()
    draft = Response.objects.create(survey=survey, group=group, participants="both")
    items = [i for i in inbox.items(user) if group.name in i.detail]
    assert [i.url for i in items] == [reverse("followup:response_edit", kwargs={"pk": draft.pk})]
    Response.objects.filter(pk=draft.pk).update(status=Response.Status.SUBMITTED)
    assert not [i for i in inbox.items(user) if group.name in i.detail]


def test_nothing_for_others_or_for_a_closed_survey(contact):
    user, group = contact
    assert list(inbox.items(User.objects.get(username="outsider"))) == []
    Survey.objects.filter(status=Survey.Status.OPEN).update(status=Survey.Status.CLOSED)
    assert list(inbox.items(user)) == []


def test_the_inbox_page_shows_the_survey_item(contact, client):
    user, group = contact
    survey = open_survey()
    Response.objects.filter(survey=survey, group=group).delete()
    client.force_login(user)
    html = client.get(reverse("inbox")).content.decode()
    assert "Besvara länsenkäten för den lokala BUS-gruppen" in html
