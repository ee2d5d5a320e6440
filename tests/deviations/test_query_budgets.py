"""Query budgets (issue 7): the deviation pages ask the database a fixed number of times."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deviations.models import Comment, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance
from tests.querycount import assert_query_budget

pytestmark = pytest.mark.django_db

TO_BUSSAM = (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM)


def _reports(count: int, *statuses: str, **fields) -> list:
    return [advance(DeviationFactory(**fields), *statuses) for _ in range(count)]


def test_deviation_list_does_not_grow(officer_client):
    assert_query_budget(
        officer_client,
        reverse("deviations:list"),
        grow=lambda: (_reports(3, Status.WITH_MANAGER), _reports(2)),
    )


def test_deviation_detail_does_not_grow_with_steps_and_comments(officer_client):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    secretariat = demo_user("secretariat")

    def grow():
        advance(deviation, *TO_BUSSAM[1:])
        for text in ("Fråga", "Svar", "Tack"):
            Comment.objects.create(deviation=deviation, author=secretariat, text=text)

    assert_query_budget(
        officer_client, reverse("deviations:detail", kwargs={"pk": deviation.pk}), grow=grow
    )


def test_queue_does_not_grow(secretariat_client):
    assert_query_budget(
        secretariat_client, reverse("deviations:queue"), grow=lambda: _reports(3, *TO_BUSSAM)
    )


def test_filtered_queue_does_not_grow(secretariat_client):
    url = reverse("deviations:queue") + "?year=2026&service_a=school&service_b=bup&status="
    assert_query_budget(secretariat_client, url, grow=lambda: _reports(3, *TO_BUSSAM))


@pytest.mark.parametrize("client_fixture", ["secretariat_client", "bussam_client"])
def test_statistics_do_not_grow(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    event = datetime.date(2026, 4, 2)
    assert_query_budget(
        client,
        reverse("deviations:statistics") + "?year=2026",
        grow=lambda: (
            _reports(2, *TO_BUSSAM, event_date=event),
            _reports(2, Status.WITH_MANAGER, Status.RESOLVED_LOCALLY, event_date=event),
        ),
    )


@pytest.mark.parametrize("username", ["secretariat", "bussam", "officer"])
def test_start_page_does_not_grow(username):
    from tests.conftest import client_for

    def grow():
        _reports(3, Status.WITH_MANAGER)
        _reports(2, *TO_BUSSAM)

    assert_query_budget(client_for(username), reverse("home"), grow=grow)


@pytest.mark.parametrize("username", ["officer", "chief", "chair", "secretariat"])
def test_start_page_panels_ask_twice_whatever_the_reports(username, rf):
    """The whole start page of a chief or chair also holds the agreements and SIP panels; the
    deviation panels themselves cost two queries (notifications, reports waiting)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deviations.dashboard import panels

    user = demo_user(username)

    def count() -> int:
        request = rf.get("/")
        request.user = demo_user(username)
        _ = request.user.active_memberships  # loaded by the role checks before the panels
        with CaptureQueriesContext(connection) as queries:
            panels(request)
        return len(queries)

    before = count()
    _reports(3, Status.WITH_MANAGER)
    _reports(2, *TO_BUSSAM)
    assert count() == before <= 2, user
