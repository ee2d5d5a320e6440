"""A year's survey, report and indicators are about the local groups of that year: a group that
ended earlier or began later is not counted, asked or reminded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Area, LocalGroup
from followup import services
from followup.models import Survey, SurveyContact
from tests.followup.factories import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(db) -> LocalGroup:
    """A grouping that ended before the demo years."""
    group = LocalGroup.objects.create(
        name="Gamla Nordost",
        valid_from=datetime.date(2010, 1, 1),
        valid_to=datetime.date(2015, 12, 31),
    )
    group.areas.set(Area.objects.filter(name__in=["Täby", "Danderyd"]))
    return group


def test_the_tracking_page_lists_the_groups_of_the_surveys_year(ended, secretariat_client):
    old = SurveyFactory(year=2014)
    current = Survey.objects.get(year=2025)

    old_rows = secretariat_client.get(reverse("followup:survey_detail", kwargs={"year": 2014}))
    new_rows = secretariat_client.get(reverse("followup:survey_detail", kwargs={"year": 2025}))

    assert ended in [row["group"] for row in old_rows.context["rows"]]
    assert ended not in [row["group"] for row in new_rows.context["rows"]]
    assert old.local_groups().count() == current.local_groups().count() + 1


def test_reminders_count_only_the_groups_of_the_year(ended, secretariat):
    survey = SurveyFactory()

    reminder = services.send_reminders(survey=survey, user=secretariat)

    assert reminder.group_count == LocalGroup.objects.valid_on().count()
    assert ended.pk not in services.groups_without_answer(survey).values_list("pk", flat=True)


def test_a_group_out_of_force_cannot_start_an_answer_and_is_not_offered(ended, chair, chair_client):
    survey = SurveyFactory()
    SurveyContact.objects.create(group=ended, user=chair)

    with pytest.raises(services.FollowupError):
        services.start_response(survey=survey, group=ended, participants="both", user=chair)
    entries = chair_client.get(reverse("followup:my_surveys")).context["entries"]
    assert ended not in [entry["group"] for entry in entries]
    assert LocalGroup.objects.get(name="Täby") in [entry["group"] for entry in entries]


def test_the_county_overviews_offer_the_groups_of_their_years(ended, bussam_client):
    dashboard = bussam_client.get(reverse("followup:county_dashboard"))
    indicators = bussam_client.get(reverse("followup:indicator_list"))

    assert ended not in dashboard.context["groups"]
    assert ended not in [row["group"] for row in indicators.context["rows"]]
    recent = LocalGroup.objects.create(
        name="Ny grupp", valid_from=datetime.date(timezone.localdate().year, 1, 1)
    )
    assert recent in bussam_client.get(reverse("followup:county_dashboard")).context["groups"]
