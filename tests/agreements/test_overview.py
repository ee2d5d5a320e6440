"""The county overview and the meeting log answer in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import overview
from agreements.models import AgreementStatus, Area, Body, LocalGroup
from tests.agreements.factories import (
    BodyFactory,
    BodyMemberFactory,
    LocalGroupFactory,
    MeetingFactory,
    region,
    signed_agreement,
)

pytestmark = pytest.mark.django_db


def _add_groups(n):
    today = timezone.localdate()
    for _ in range(n):
        group = LocalGroupFactory()
        agreement = signed_agreement(group=group)
        steering = BodyFactory(agreement=agreement)
        BodyMemberFactory(body=steering)
        MeetingFactory(body=steering, held_on=today)


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overview_query_count_is_the_same_with_33_and_300_groups(bussam_client):
    url = reverse("agreements:overview")
    assert LocalGroup.objects.count() == 33
    bussam_client.get(url)  # warm caches (session, content types) that are not the page's own work
    small = _count_queries(bussam_client, url)
    _add_groups(267)
    assert LocalGroup.objects.count() == 300
    large = _count_queries(bussam_client, url)
    assert small == large
    assert small <= 20


def test_meeting_log_query_count_does_not_grow_with_meetings(chair_client):
    group = LocalGroup.objects.get(name="Täby")
    url = reverse("agreements:group_detail", args=[group.pk])
    chair_client.get(url)
    small = _count_queries(chair_client, url)
    body = Body.objects.get(agreement__local_group=group, name="Arbetsgrupp")
    for day in range(1, 40):
        MeetingFactory(body=body, held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=day))
    assert _count_queries(chair_client, url) == small
    body_url = reverse("agreements:body_detail", args=[body.pk])
    chair_client.get(body_url)
    before = _count_queries(chair_client, body_url)
    for day in range(1, 20):
        MeetingFactory(body=body, held_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=day))
    assert _count_queries(chair_client, body_url) == before


def test_overview_shows_every_status_and_flags_missing_services():
    rows = overview.county_rows()
    statuses = {row.status for row in rows}
    # Every status but "signed, not yet in force", which no demo group is in (see test_in_force).
    assert statuses == set(AgreementStatus.values) - {AgreementStatus.SIGNED}
    assert any(row.missing == ["bumm"] for row in rows)
    assert any(row.missing == ["habilitation"] for row in rows)
    taby = next(row for row in rows if row.group.name == "Täby")
    assert taby.missing == [] and taby.status == AgreementStatus.IN_FORCE


def test_overview_filters_by_area_and_status(bussam_client):
    taby = Area.objects.get(name="Täby")
    response = bussam_client.get(reverse("agreements:overview"), {"area": taby.pk})
    rows = response.context["rows"]
    assert [r.group.name for r in rows] == ["Täby"]
    response = bussam_client.get(
        reverse("agreements:overview"), {"status": AgreementStatus.EXPIRED}
    )
    assert response.context["rows"] and all(
        r.status == AgreementStatus.EXPIRED for r in response.context["rows"]
    )


def test_meeting_compliance_this_term_counts_meetings_per_body():
    rows = {row.group.name: row for row in overview.county_rows()}
    nynashamn = {c.body.name: c for c in rows["Nynäshamn"].compliance}
    assert nynashamn["Gemensam styrgrupp"].required == 3
    assert not nynashamn["Gemensam styrgrupp"].met
    assert region() is not None
