"""Issue 7: the key agreement pages answer in a fixed, small number of queries as the county grows,
and the scale seeder fills the meeting tables."""

import datetime
import random

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import dashboard
from agreements.models import (
    AgendaItem,
    Agreement,
    Assignment,
    Attendee,
    Body,
    BodyMember,
    Decision,
    LocalGroup,
    Meeting,
    MinutesAddendum,
    MinutesStatus,
)
from agreements.scale import seed_agreements, seed_directory, seed_meetings
from bus_portal.scale import ScaleContext
from tests.agreements.factories import (
    AssignmentFactory,
    BodyFactory,
    BodyMemberFactory,
    LocalGroupFactory,
    MeetingFactory,
    signed_agreement,
)
from tests.querycount import assert_query_budget

pytestmark = pytest.mark.django_db


def _taby_body(name="Lokal styrgrupp") -> Body:
    return Body.objects.get(agreement__local_group__name="Täby", name=name)


def _full_meeting(body: Body, held_on: datetime.date, **fields) -> Meeting:
    """A meeting with what the pages show of it: attendees, agenda, decisions, an open assignment."""
    meeting = MeetingFactory(body=body, held_on=held_on, **fields)
    members = list(body.members.all())
    Attendee.objects.bulk_create(Attendee(meeting=meeting, member=m) for m in members)
    Attendee.objects.create(meeting=meeting, guest_name="Gäst", guest_organisation="Elevhälsan")
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, title=f"Punkt {i}") for i in range(1, 4)
    )
    Decision.objects.bulk_create(
        Decision(meeting=meeting, position=i, text=f"Beslut {i}") for i in range(2)
    )
    AssignmentFactory(meeting=meeting, body=body, due_on=held_on + datetime.timedelta(days=60))
    return meeting


def _grow_group(body: Body, n: int = 30) -> None:
    """More meetings (over several terms), members and open assignments for the body's group."""
    start = timezone.localdate() - datetime.timedelta(days=3 * 365)
    for i in range(n):
        _full_meeting(body, start + datetime.timedelta(days=i * 30))
    BodyMemberFactory.create_batch(3, body=body)


def test_county_overview_query_budget(bussam_client):
    def grow():
        today = timezone.localdate()
        for _ in range(30):
            agreement = signed_agreement(group=LocalGroupFactory())
            steering = BodyFactory(agreement=agreement)
            BodyMemberFactory.create_batch(2, body=steering)
            _full_meeting(steering, today)

    assert_query_budget(bussam_client, reverse("agreements:overview"), grow=grow)


def test_local_group_page_query_budget(chair_client):
    group = LocalGroup.objects.get(name="Täby")
    assert_query_budget(
        chair_client,
        reverse("agreements:group_detail", args=[group.pk]),
        grow=lambda: _grow_group(_taby_body("Arbetsgrupp")),
    )


def test_meeting_log_query_budget(chair_client):
    body = _taby_body()
    assert_query_budget(
        chair_client,
        reverse("agreements:body_detail", args=[body.pk]),
        grow=lambda: _grow_group(body),
    )


def test_meeting_log_is_paginated(chair_client):
    body = _taby_body()
    _grow_group(body, n=40)
    visible = Meeting.objects.visible_to(chair_client.get("/").wsgi_request.user)
    total = visible.filter(body=body).count()
    url = reverse("agreements:body_detail", args=[body.pk])
    first = chair_client.get(url)
    assert len(first.context["meetings"]) == 25
    # The pages (without a count) follow each other until every visible meeting was shown once.
    shown, page = [], first
    while True:
        shown += [m.pk for m in page.context["meetings"]]
        if not page.context["page_obj"].has_next():
            break
        page = chair_client.get(url, {"page": page.context["page_obj"].next_page_number()})
    assert len(shown) == len(set(shown)) == total
    assert chair_client.get(url, {"page": page.context["page_obj"].number + 1}).status_code == 404
    # The rules still count every meeting, not only the page shown.
    held = {c.term: c.held for c in first.context["body_compliance"]}
    assert sum(held.values()) == sum(
        Meeting.objects.filter(body=body).in_term(term).count() for term in held
    )


@pytest.mark.parametrize("status", [MinutesStatus.DRAFT, MinutesStatus.PUBLISHED])
def test_meeting_page_query_budget(chair_client, status):
    """Published minutes add the addenda, and the chair (a member) sees the history too."""
    body = _taby_body()
    published = {"checker_name": "Per", "checked_on": datetime.date(2025, 3, 2)}
    if status == MinutesStatus.PUBLISHED:
        published["published_at"] = timezone.now()
    meeting = MeetingFactory(
        body=body, held_on=datetime.date(2025, 3, 1), minutes_status=status, **published
    )

    def grow():
        members = BodyMemberFactory.create_batch(5, body=body)
        Attendee.objects.bulk_create(Attendee(meeting=meeting, member=m) for m in members)
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i, title=f"Punkt {i}") for i in range(10)
        )
        Decision.objects.bulk_create(
            Decision(meeting=meeting, position=i, text=f"Beslut {i}") for i in range(10)
        )
        AssignmentFactory.create_batch(5, meeting=meeting)
        MinutesAddendum.objects.bulk_create(
            MinutesAddendum(meeting=meeting, text=f"Rättelse {i}") for i in range(3)
        )

    response = chair_client.get(reverse("agreements:meeting_detail", args=[meeting.pk]))
    assert response.context["can_edit"] and response.context["events"] is not None
    assert_query_budget(
        chair_client, reverse("agreements:meeting_detail", args=[meeting.pk]), grow=grow
    )


def test_meeting_page_lists_agenda_and_decisions_in_order(chair_client):
    meeting = _full_meeting(_taby_body(), datetime.date(2025, 3, 1))
    Decision.objects.create(meeting=meeting, position=5, text="Fokus", is_focus_area=True)
    response = chair_client.get(reverse("agreements:meeting_detail", args=[meeting.pk]))
    assert [a.title for a in response.context["agenda"]] == ["Punkt 1", "Punkt 2", "Punkt 3"]
    assert [(d.text, d.is_focus_area) for d in response.context["decisions"]] == [
        ("Beslut 0", False),
        ("Beslut 1", False),
        ("Fokus", True),
    ]


def test_minutes_pdf_query_budget(chair_client):
    meeting = _full_meeting(_taby_body(), datetime.date(2025, 3, 1))

    def grow():
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i, title=f"Extra {i}") for i in range(4, 20)
        )
        AssignmentFactory.create_batch(5, meeting=meeting)

    assert_query_budget(chair_client, reverse("agreements:meeting_pdf", args=[meeting.pk]), grow)


def test_start_page_panel_queries_do_not_grow(chair):
    def panel_queries() -> int:
        request = RequestFactory().get("/")
        request.user = type(chair).objects.get(pk=chair.pk)  # fresh per-request caches
        with CaptureQueriesContext(connection) as captured:
            panels = dashboard.panels(request)
        assert panels
        return len(captured.captured_queries)

    small = panel_queries()
    for name in ("Lokal styrgrupp", "Arbetsgrupp"):
        body = _taby_body(name)
        for i in range(15):
            _full_meeting(body, timezone.localdate() - datetime.timedelta(days=i))
    assert panel_queries() == small <= 3


def test_scale_seeder_creates_agreements_bodies_and_meetings():
    sizes = {"groups": 36, "years": 2, "meetings": 60, "users_per_group": 2}
    ctx = ScaleContext(scale="test", sizes=sizes, rng=random.Random(7), today=timezone.localdate())
    meetings_before = Meeting.objects.count()
    seed_directory(ctx)
    created = seed_agreements(ctx)
    assert created["agreements"] == 3 and created["bodies"] == 9
    assert not LocalGroup.objects.filter(name__startswith="Skalkommun", agreement=None).exists()
    scale_agreement = Agreement.objects.filter(local_group__name__startswith="Skalkommun").first()
    assert scale_agreement.status() in {"in_force", "review_due", "expiring", "expired", "unsigned"}
    assert BodyMember.objects.filter(body__agreement=scale_agreement).count() >= 5

    counts = seed_meetings(ctx)
    assert counts["meetings"] == 60
    assert Meeting.objects.count() == meetings_before + 60
    new = Meeting.objects.order_by("-id")[:60]
    assert {m.body.kind for m in new} <= {Body.Kind.STEERING, Body.Kind.WORKING}
    assert all(m.held_on.year >= ctx.first_year for m in new)
    assert counts["attendees"] >= 60 and counts["agenda_items"] >= 3 * 60
    assert counts["decisions"] >= 60
    assert Attendee.objects.filter(meeting__in=new).count() == counts["attendees"]
    assert Assignment.objects.filter(meeting__in=new).count() == counts["assignments"]
    assert Meeting.objects.filter(pk__in=[m.pk for m in new], minutes_status="published").exists()
