"""Building blocks for the demo agreements (fictional people)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from agreements.models import (
    AgendaItem,
    Agreement,
    Attendee,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MinutesStatus,
    Party,
    PlanItem,
    Principal,
    Revision,
    RevisionSection,
    Signatory,
    Unit,
)

COUNTY_TITLE = "BUS-överenskommelsen 2012"
NO_AGREEMENT_GROUPS = {"Skärholmen", "Farsta"}
SPECIAL_GROUPS = {"Täby", "Norrtälje", "Nynäshamn"}

D = datetime.date


def as_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def make_revision(
    agreement: Agreement,
    number: int,
    title: str,
    *,
    sections,
    parties,
    signed,
    **fields,
) -> Revision:
    """parties: [(principal, contact, [(name, title)])], the same people for every revision of an
    agreement; signed: the date each party signed, in the same order (None: not yet)."""
    revision = Revision.objects.create(agreement=agreement, number=number, title=title, **fields)
    RevisionSection.objects.bulk_create(
        RevisionSection(revision=revision, key=key, heading=heading, text=text, position=i)
        for i, (key, heading, text) in enumerate(sections)
    )
    for position, ((principal, contact, signers), signed_on) in enumerate(
        zip(parties, signed, strict=True)
    ):
        party = Party.objects.create(
            revision=revision, principal=principal, contact_person=contact, position=position
        )
        Signatory.objects.bulk_create(
            Signatory(party=party, name=name, title=role, signed_on=signed_on)
            for name, role in signers
        )
    return revision


def make_revisions(agreement: Agreement, revisions: list[dict[str, Any]], **common) -> None:
    """Revisions 1, 2, … of an agreement, one dict of fields each; ``common`` holds the fields
    they share (the parties, the text sections …)."""
    for number, fields in enumerate(revisions, start=1):
        make_revision(agreement, number, **common, **fields)


def make_members(body: Body, rows) -> dict[str, BodyMember]:
    """rows: [(key, name, unit, role, user)] → {key: member}."""
    created = {}
    for key, name, unit, role, user in rows:
        created[key] = BodyMember.objects.create(
            body=body, name=name, unit=unit, role=role, user=user
        )
    return created


def make_meeting(
    body,
    held_on,
    place,
    host,
    chair,
    *,
    status,
    minutes,
    attendees,
    agenda=(),
    decisions=(),
    focus=(),
    creator=None,
):
    meeting = Meeting.objects.create(
        body=body,
        held_on=held_on,
        place=place,
        host_principal=host,
        chair=chair,
        convenor=chair,
        minutes=minutes,
        minutes_status=status,
        checker_name=attendees[-1].name if status != MinutesStatus.DRAFT and attendees else "",
        checked_on=held_on + datetime.timedelta(days=7) if status != MinutesStatus.DRAFT else None,
        published_at=(
            timezone.make_aware(
                datetime.datetime.combine(held_on + datetime.timedelta(days=9), datetime.time(10))
            )
            if status == MinutesStatus.PUBLISHED
            else None
        ),
        published_by=creator if status == MinutesStatus.PUBLISHED else None,
        created_by=creator,
    )
    Attendee.objects.bulk_create(Attendee(meeting=meeting, member=m) for m in attendees)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, title=t) for i, t in enumerate(agenda, start=1)
    )
    Decision.objects.bulk_create(
        [Decision(meeting=meeting, position=i, text=t) for i, t in enumerate(decisions)]
        + [
            Decision(meeting=meeting, position=len(decisions) + i, text=t, is_focus_area=True)
            for i, t in enumerate(focus)
        ]
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            agreement_id=body.agreement_id,
            year=held_on.year + 1,
            kind=PlanItem.Kind.FOCUS_AREA,
            text=t,
            meeting=meeting,
        )
        for t in focus
    )
    return meeting


def unit_named(principal: Principal, name: str) -> Unit:
    return Unit.objects.get(principal=principal, name=name)
