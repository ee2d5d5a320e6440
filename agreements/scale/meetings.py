"""Scale meetings: years of meetings with attendees, agenda, decisions, assignments and addenda."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from agreements.demo import texts
from agreements.models import (
    AgendaItem,
    Assignment,
    Attendee,
    Body,
    Decision,
    Meeting,
    MinutesAddendum,
    MinutesStatus,
)
from bus_portal.scale import BATCH, ScaleContext, copy_rows

_AGENDA = [
    "Föregående minnesanteckningar",
    "Aktuellt från huvudmännen",
    "Uppföljning av samordnade individuella planer",
    "Avvikelser sedan förra mötet",
    "Ärenden från BUS individforum",
    "Verksamhetsplan och fokusområden",
    "Kompetensutveckling",
    "Övriga frågor",
]
_DECISIONS = [
    "Minnesanteckningarna från föregående möte läggs till handlingarna.",
    "Arbetsgruppen får i uppdrag att se över rutinen för SIP.",
    "Styrgruppen ställer sig bakom förslaget till gemensam utbildningsdag.",
    "Avvikelsen lyfts till BUSSAM.",
    "Nästa möte hålls hos regionen.",
]
_ASSIGNMENTS = [
    "Ta fram en gemensam kontaktlista",
    "Sammanställa antalet SIP per huvudman",
    "Planera gemensam utbildningsdag",
    "Se över rutinen för övergång bas–specialist",
    "Följa upp avvikelsen med skolan",
]


def seed_meetings(ctx: ScaleContext) -> dict[str, int]:
    """``ctx.sizes["meetings"]`` meetings spread over the years and the groups' steering and working groups.

    Each has attendees, agenda items, decisions and some assignments; minutes older than a month
    are published (a few with an addendum), recent ones checked or still a draft, and assignments
    are done when long past due, otherwise open or in progress. Rows go in with COPY on PostgreSQL.
    """
    bodies = list(
        Body.objects.filter(
            kind__in=[Body.Kind.STEERING, Body.Kind.WORKING],
            agreement__local_group__isnull=False,
        )
        .select_related("agreement")
        .prefetch_related("members__unit")
        .order_by("id")
    )
    # Meetings are held at a member's principal: bodies need a member with a unit.
    bodies = [b for b in bodies if any(m.unit_id for m in b.members.all())]
    total = ctx.sizes["meetings"]
    if not bodies or not total:
        return {"meetings": 0}
    rng, today = ctx.rng, ctx.today
    working_of = {b.parent_id: b for b in bodies if b.kind == Body.Kind.WORKING and b.parent_id}
    start = datetime.date(ctx.first_year, 1, 1)
    span = (today - start).days

    meetings, plans = [], []
    for index, body in enumerate(bodies):
        count = total // len(bodies) + (1 if index < total % len(bodies) else 0)
        members = list(body.members.all())
        hosts = sorted({m.unit.principal_id for m in members if m.unit_id})
        step = span / max(count, 1)
        for k in range(count):
            held_on = start + datetime.timedelta(days=int(k * step + rng.random() * step * 0.8))
            held_on = min(held_on, today)
            # Chair and meeting place alternate between the principals; now and then they do not.
            host = hosts[(k + (rng.random() < 0.1)) % len(hosts)]
            chair = next(m for m in members if m.unit_id and m.unit.principal_id == host)
            age = (today - held_on).days
            status = (
                MinutesStatus.PUBLISHED
                if age > 30 and rng.random() > 0.01
                else (MinutesStatus.CHECKED if age > 14 else MinutesStatus.DRAFT)
            )
            meetings.append(
                Meeting(
                    body_id=body.pk,
                    held_on=held_on,
                    place=f"Sammanträdesrum {1 + k % 4}",
                    host_principal_id=host,
                    chair_id=chair.pk,
                    convenor_id=chair.pk,
                    minutes="Ordinarie möte enligt överenskommelsen. Huvudmännen rapporterade "
                    "läget i verksamheterna och gick igenom öppna uppdrag.",
                    minutes_status=status,
                    checker_name=members[-1].name if status != MinutesStatus.DRAFT else "",
                    checked_on=(
                        min(held_on + datetime.timedelta(days=7), today)
                        if status != MinutesStatus.DRAFT
                        else None
                    ),
                    published_at=(
                        timezone.make_aware(
                            datetime.datetime.combine(
                                held_on + datetime.timedelta(days=9), datetime.time(10)
                            )
                        )
                        if status == MinutesStatus.PUBLISHED
                        else None
                    ),
                )
            )
            plans.append((body, members))
    _insert(Meeting, meetings)

    attendees, agenda, decisions, assignments, addenda = [], [], [], [], []
    for meeting, (body, members) in zip(meetings, plans, strict=True):
        present = rng.sample(members, k=max(1, len(members) - rng.randrange(3)))
        attendees += [Attendee(meeting_id=meeting.pk, member_id=m.pk) for m in present]
        if rng.random() < 0.1:
            attendees.append(
                Attendee(
                    meeting_id=meeting.pk,
                    guest_name=texts.person(meeting.pk),
                    guest_organisation="Elevhälsan",
                )
            )
        items = [_AGENDA[0], *rng.sample(_AGENDA[1:-1], k=rng.randrange(2, 4)), _AGENDA[-1]]
        agenda += [
            AgendaItem(meeting_id=meeting.pk, position=i, title=title)
            for i, title in enumerate(items, start=1)
        ]
        decisions += [
            Decision(meeting_id=meeting.pk, position=i, text=text)
            for i, text in enumerate(rng.sample(_DECISIONS, k=rng.randrange(1, 4)))
        ]
        for _ in range(rng.choice((0, 1, 1, 2))):
            due_on = meeting.held_on + datetime.timedelta(days=rng.randrange(30, 120))
            done = due_on < today - datetime.timedelta(days=30) and rng.random() > 0.03
            to = working_of.get(body.pk, body) if rng.random() < 0.3 else body
            assignments.append(
                Assignment(
                    meeting_id=meeting.pk,
                    body_id=to.pk,
                    title=rng.choice(_ASSIGNMENTS),
                    owner=rng.choice(members).name,
                    due_on=due_on,
                    status=Assignment.Status.DONE
                    if done
                    else rng.choice([Assignment.Status.OPEN, Assignment.Status.IN_PROGRESS]),
                    done_on=min(due_on, today) if done else None,
                    outcome="Klart och redovisat för gruppen." if done else "",
                )
            )
        if meeting.minutes_status == MinutesStatus.PUBLISHED and rng.random() < 0.02:
            addenda.append(
                MinutesAddendum(
                    meeting_id=meeting.pk,
                    text="Rättelse: fel datum för nästa möte i punkt 5.",
                    created_at=meeting.published_at + datetime.timedelta(days=3),
                )
            )
    for model, rows in [
        (Attendee, attendees),
        (AgendaItem, agenda),
        (Decision, decisions),
        (Assignment, assignments),
        (MinutesAddendum, addenda),
    ]:
        _insert(model, rows, need_ids=False)
    return {
        "meetings": len(meetings),
        "attendees": len(attendees),
        "agenda_items": len(agenda),
        "decisions": len(decisions),
        "assignments": len(assignments),
        "addenda": len(addenda),
    }


def _insert(model, objs: list, *, need_ids: bool = True) -> None:
    """Bulk insert; on PostgreSQL through COPY, reading the new ids back (COPY keeps row order)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    before = model.objects.aggregate(m=Max("pk"))["m"] or 0
    copy_rows(
        model._meta.db_table,
        [f.column for f in fields],
        ([getattr(obj, f.attname) for f in fields] for obj in objs),
    )
    if need_ids:
        ids = list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
        assert len(ids) == len(objs), "concurrent inserts while seeding"
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
