"""Query budgets (issue 7): the follow-up's key pages ask the database a fixed number of times."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import LocalGroup
from followup.models import Survey
from sip.models import PlanVersion
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance
from tests.followup.factories import ResponseFactory, SurveyFactory
from tests.querycount import assert_query_budget
from tests.sip.factories import ForumCaseFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _records_in_years(years: list[int]) -> None:
    """SIPs, follow-ups, forum cases and deviations for a span of years, so every indicator and
    every trend year has something to count."""
    officer = demo_user("officer")
    for year in years:
        plan = PlanFactory(need_noticed_on=datetime.date(year, 2, 1))
        agreed = timezone.make_aware(datetime.datetime(year, 3, 1, 12))
        plan.__class__.objects.filter(pk=plan.pk).update(status="agreed", agreed_at=agreed)
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            kind=PlanVersion.Kind.FOLLOW_UP,
            created_at=agreed + datetime.timedelta(days=90),
            created_by=officer,
        )
        ForumCaseFactory(
            need_noticed_on=datetime.date(year, 4, 1),
            outcome="escalated",
            escalated_on=datetime.date(year, 4, 20),
            status="escalated",
        )
        advance(DeviationFactory(event_date=datetime.date(year, 5, 1)), "with_manager")


def _surveys_in_years(years: list[int]) -> None:
    group = LocalGroup.objects.order_by("pk").first()
    for year in years:
        survey = SurveyFactory(year=year, status=Survey.Status.CLOSED)
        ResponseFactory.with_answers(
            {"group_exists": ["yes"], "services": ["bup", "school"]}, survey=survey, group=group
        )


def test_county_dashboard_does_not_grow_with_the_years(bussam_client):
    this_year = timezone.localdate().year
    url = reverse("followup:county_dashboard")
    taby = LocalGroup.objects.get(name="Täby")

    def grow():
        _records_in_years(list(range(this_year - 4, this_year + 1)))
        _surveys_in_years(list(range(2050, 2054)))

    assert_query_budget(bussam_client, f"{url}?group={taby.pk}", grow=grow)


@pytest.mark.parametrize("client_fixture", ["secretariat_client", "bussam_client"])
def test_county_report_does_not_grow_with_the_responses(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    survey = SurveyFactory(status=Survey.Status.CLOSED)
    SurveyFactory(year=survey.year - 1, status=Survey.Status.CLOSED)  # the comparison year
    groups = list(LocalGroup.objects.order_by("pk"))

    def grow():
        for group in groups[:6]:
            ResponseFactory.with_answers(
                {"group_exists": ["yes"], "services": ["bup"], "local_agreements_example": "X"},
                survey=survey,
                group=group,
            )

    assert_query_budget(client, reverse("followup:report", kwargs={"year": survey.year}), grow=grow)


@pytest.mark.parametrize("username", ["chair", "secretariat", "bussam", "officer"])
def test_start_page_panels_do_not_grow(username, rf):
    """The follow-up's start-page panels: a contact person's open surveys, the secretariat's
    answer tracking, a chair's unsigned years. At most four queries, whatever the responses."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from followup.dashboard import panels

    def count() -> int:
        cache.clear()
        request = rf.get("/")
        request.user = demo_user(username)
        _ = request.user.active_memberships  # loaded by the role checks before the panels
        with CaptureQueriesContext(connection) as queries:
            panels(request)
        return len(queries)

    survey = SurveyFactory(status=Survey.Status.OPEN)
    before = count()
    for group in LocalGroup.objects.order_by("pk")[:5]:
        ResponseFactory(survey=survey, group=group)
    SurveyFactory(status=Survey.Status.OPEN)
    assert count() == before <= 4
